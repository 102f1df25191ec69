// "Did you mean" suggestions: the closest candidate by edit distance, if it is close enough to be
// a plausible typo.

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** Most candidates compared for one suggestion: in a file with thousands of names, a
 * suggestion must not cost more than the check it decorates. */
const MAX_COMPARISONS = 2000;

export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > 200) return undefined;
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  let compared = 0;
  for (const c of candidates) {
    // The distance is at least the difference in length: most candidates need no comparison.
    const allowed = Math.max(1, Math.floor(Math.max(word.length, c.length) / 3));
    if (Math.abs(c.length - word.length) > allowed || Math.abs(c.length - word.length) >= bestD) continue;
    if (++compared > MAX_COMPARISONS) break;
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) { best = c; bestD = d; }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(Math.max(word.length, best.length) / 3)) ? best : undefined;
}

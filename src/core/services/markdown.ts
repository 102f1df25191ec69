// Text from the user's file (certificate names, record values, header values) shown in hover
// markdown. Without escaping, a backtick in an issuer ends the code span early and the rest is
// read as markdown: links, images, HTML.

/** `s` as an inline code span: the fence is one backtick longer than the longest run inside,
 * padded with a space when `s` starts or ends with a backtick (CommonMark 6.1). */
export function code(s: string): string {
  const clean = s.replace(/[\r\n]+/g, ' ');
  let longest = 0;
  for (const run of clean.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || (clean.startsWith(' ') && clean.endsWith(' ') && clean.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** `s` as plain markdown text: the characters that open markdown constructs mid-line (code,
 * emphasis, links and images, HTML, entities, table cells) are backslash-escaped (CommonMark
 * 2.4), and line breaks become spaces so nothing can start a block. */
export function plain(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>|~&#]/g, '\\$&');
}

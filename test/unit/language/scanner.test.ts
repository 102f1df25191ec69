import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Scanner, Tok, tokenize, type TokenKind } from '../../../src/core/language/lexer';
import { MAX_PARSE_DIAGNOSTICS, parse } from '../../../src/core/language/parser';
import { parseJourney } from '../../../src/core/model/build';

const KINDS: readonly TokenKind[] = ['word', 'string', 'lbrace', 'rbrace', 'semi', 'newline', 'comment', 'error', 'eof'];

describe('scanner', () => {
  it('reads every kind of token with its exact offsets, line ends as VS Code counts them', () => {
    const text = '\ufeffhost a#b {\r\n  x "q\\"\\t\\n\\z" ; # c\r}\n"open\u0001\u0002 y\n';
    const got = tokenize(text).map((t) => [t.kind, t.start, t.end, t.value, t.error ?? '']);
    assert.deepEqual(got, [
      ['word', 1, 5, 'host', ''], ['word', 6, 9, 'a#b', ''], ['lbrace', 10, 11, '{', ''], ['newline', 12, 13, '\n', ''],
      ['word', 15, 16, 'x', ''], ['string', 17, 28, 'q"\t\nz', ''], ['semi', 29, 30, ';', ''], ['comment', 31, 34, '# c', ''],
      ['newline', 34, 35, '\r', ''], ['rbrace', 35, 36, '}', ''], ['newline', 36, 37, '\n', ''],
      // An unterminated string runs to the end of its line.
      ['string', 37, 46, 'open\u0001\u0002 y', 'Unterminated string: add a closing " before the end of the line.'],
      ['newline', 46, 47, '\n', ''], ['eof', 47, 47, '', ''],
    ]);
    const bad = tokenize('a\u0000\u0007b');
    assert.deepEqual(bad.map((t) => [t.kind, t.start, t.end]), [['word', 0, 1], ['error', 1, 3], ['word', 3, 4], ['eof', 4, 4]]);
    assert.equal(bad[1].error, 'Unexpected control character U+0000: remove it.');
  });

  it('steps through the same tokens as tokenize, covering every character that is not a blank (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: fc.constantFrom('a', '1', '.', ' ', '\t', '\n', '\r', '{', '}', ';', '"', '\\', '#', '\u0000', '\u007f', 'é', '\ufeff') }), (text) => {
      const list = tokenize(text);
      const s = new Scanner(text);
      let i = 0;
      let covered = text.charCodeAt(0) === 0xfeff ? 1 : 0;
      for (;;) {
        const k = s.next();
        const t = list[i++];
        assert.deepEqual([KINDS[k], s.start, s.end, s.tokenText()], [t.kind, t.start, t.end, t.text]);
        if (k === Tok.Word || k === Tok.String) assert.equal(s.value(), t.value);
        assert.equal(s.error(), t.error);
        // Only blanks (and the CR of a CRLF) lie between tokens.
        assert.match(text.slice(covered, t.start), /^[ \t]*\r?$|^[ \t\r]*$/);
        covered = t.end;
        if (k === Tok.Eof) break;
      }
      assert.equal(i, list.length);
    }), { numRuns: 300 });
  });
});

describe('parser over the scanner', () => {
  it('keeps the whole token list for whoever asks, made on first read', () => {
    const text = 'host a { # hi\n  gateway 1.2.3.4\n}\n';
    const doc = parseJourney(text);
    assert.deepEqual(doc.tokens, tokenize(text));
    assert.ok(Object.keys(doc).includes('tokens'), 'tokens is an own, enumerable property');
    assert.deepEqual(JSON.parse(JSON.stringify(doc)).tokens.length, tokenize(text).length);
    doc.tokens = [];
    assert.deepEqual(doc.tokens, []);
  });

  it('gives one statement per keyword with exact-size argument lists, however many share a keyword', () => {
    const text = Array.from({ length: 50 }, (_, i) => `mac 02:00:00:00:00:${String(i).padStart(2, '0')}\nroute 10.0.0.0/8 via 10.0.0.1\n`).join('');
    const doc = parse(text);
    assert.equal(doc.statements.length, 100);
    assert.deepEqual(new Set(doc.statements.map((s) => s.keyword)), new Set(['mac', 'route']));
    assert.deepEqual(doc.statements[1].args.map((a) => a.value), ['10.0.0.0/8', 'via', '10.0.0.1']);
    assert.deepEqual(doc.statements[98].args[0].span, { start: text.lastIndexOf('02:'), end: text.lastIndexOf('02:') + 17 });
  });

  it('reports characters it cannot read before the parser\'s own findings, both within one cap', () => {
    const text = '\u0001 }\n'.repeat(MAX_PARSE_DIAGNOSTICS + 20);
    const doc = parse(text);
    assert.equal(doc.diagnostics.length, MAX_PARSE_DIAGNOSTICS);
    assert.ok(doc.diagnostics.every((d) => d.code === 'syntax-bad-character'));
    // Each line's stray brace is one more finding (runs of braces count once).
    assert.equal(doc.suppressedDiagnostics, 20 + 1);
    const few = parse('}\n\u0001\n');
    assert.deepEqual(few.diagnostics.map((d) => d.code), ['syntax-bad-character', 'syntax-unmatched-brace']);
  });
});

// Hostile input to the lexer and parser (issue #11): BOMs, every line-ending style, nesting
// deep enough to overflow a recursive parser, and files made of nothing but mistakes.
import { strict as assert } from 'node:assert';
import { parseJourney } from '../../../src/core/model/build';
import { LineIndex } from '../../../src/core/language/range';
import { format } from '../../../src/core/language/format';
import { TOP_LEVEL_KEYWORDS } from '../../../src/core/language/schema';
import { MAX_NESTING, MAX_PARSE_DIAGNOSTICS } from '../../../src/core/language/parser';
import * as V from '../../../src/core/language/values';

const HOST = ['host a {', '  interface e {', '    mac 02:00:00:00:00:01', '  }', '}'];

describe('language: hostile input', () => {
  it('a UTF-8 byte-order mark does not become part of the first keyword', () => {
    const doc = parseJourney(`\ufeff${HOST.join('\n')}\n`);
    assert.deepEqual(doc.diagnostics, []);
    assert.equal(doc.statements[0].keyword, 'host');
    assert.deepEqual(doc.statements[0].keywordSpan, { start: 1, end: 5 });
  });

  for (const [name, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']] as const) {
    it(`${name} line endings: same tree, comments end at the line, positions count lines as VS Code does`, () => {
      const text = ['# a comment', ...HOST, 'link l {', '  latency "5ms', '}'].join(eol) + eol;
      const doc = parseJourney(text);
      assert.deepEqual(doc.statements.map((s) => s.keyword), ['host', 'link']);
      assert.equal(doc.comments.length, 1);
      assert.equal(doc.comments[0].text, '# a comment');
      const idx = new LineIndex(text);
      assert.equal(idx.lineCount, 10);
      assert.deepEqual(idx.position(doc.statements[1].keywordSpan.start), { line: 6, character: 0 });
      const unterminated = doc.diagnostics.find((d) => d.code === 'syntax-unterminated-string');
      assert.ok(unterminated, 'the string stops at the end of its line');
      assert.deepEqual(idx.position(unterminated.span.start), { line: 7, character: 10 });
      assert.equal(idx.lineText(2), '  interface e {');
      assert.equal(idx.offset({ line: 2, character: 999 }), text.indexOf('  interface e {') + '  interface e {'.length);
      // The formatter keeps the tree whatever the line endings.
      const formatted = format(text, { topLevelKeywords: TOP_LEVEL_KEYWORDS });
      assert.deepEqual(parseJourney(formatted).statements.map((s) => s.keyword), ['host', 'link']);
    });
  }

  it('nesting 40,000 levels deep is one diagnostic, not a stack overflow, and formats', () => {
    const text = `scenario s {\n${'x {\n'.repeat(40000)}`;
    const doc = parseJourney(text);
    const deep = doc.diagnostics.filter((d) => d.code === 'syntax-too-deep');
    assert.equal(deep.length, 1);
    assert.match(deep[0].message, new RegExp(`more than ${MAX_NESTING} levels`));
    assert.doesNotThrow(() => format(text, { topLevelKeywords: TOP_LEVEL_KEYWORDS }));
  });

  it('balanced nesting 3,000 levels deep keeps the text after it', () => {
    const text = `${'a {'.repeat(3000)}${'}'.repeat(3000)}\nhost h {\n}\n`;
    const doc = parseJourney(text);
    assert.deepEqual(doc.statements.map((s) => s.keyword), ['a', 'host']);
    assert.equal(doc.diagnostics.filter((d) => d.code === 'syntax-unmatched-brace').length, 0);
  });

  it('a megabyte of "}" is one diagnostic; a megabyte of mistakes is capped', () => {
    const braces = parseJourney('}'.repeat(1 << 20));
    assert.equal(braces.diagnostics.length, 1);
    assert.match(braces.diagnostics[0].message, /These 1048576 "}" close nothing/);
    const junk = parseJourney('"\n'.repeat(100000));
    assert.equal(junk.diagnostics.length, MAX_PARSE_DIAGNOSTICS);
    assert.equal(junk.suppressedDiagnostics, 100000 - MAX_PARSE_DIAGNOSTICS);
  });
});

describe('values: ranges the simulation needs', () => {
  const msg = <T>(p: V.Parsed<T>): string => { assert.ok(!p.ok, 'expected a rejection'); return (p as { message: string }).message; };
  it('a 400-digit duration, size or rate is an error, never Infinity or NaN', () => {
    const huge = '9'.repeat(400);
    assert.match(msg(V.parseDuration(`${huge}ms`)), /too large/);
    assert.ok(msg(V.parseDuration(`${huge}ms`)).length < 200, 'the message quotes a shortened value');
    assert.match(msg(V.parseSize(`${huge}B`)), /whole number of bytes|too large/);
    assert.match(msg(V.parseBandwidth(`${huge}bps`)), /too large/);
    assert.match(msg(V.parseInteger(huge, 0, 10)), /from 0 to 10/);
    assert.match(msg(V.parseDuration('11d')), /not a unit/);
    assert.match(msg(V.parseDuration('300h')), /at most 10 days/);
    assert.match(msg(V.parseDuration('500ms', { min: 1000 })), /at least 1s/);
  });
  it('a date before 1970 is an error, not silently 19xx', () => {
    assert.match(msg(V.parseDate('0099-01-01')), /before 1970/);
    assert.equal(V.parseDate('1970-01-01').ok, true);
  });
  it('bandwidth 0 is an error, not an infinitely fast link', () => {
    assert.match(msg(V.parseBandwidth('0bps')), /at least 1bps/);
    assert.match(msg(V.parseBandwidth('0Gbps')), /at least 1bps/);
  });
  it('ports and sizes honour the bounds a statement gives', () => {
    assert.match(msg(V.parsePort('8080', { min: 30000, max: 32767 })), /30000 to 32767/);
    assert.equal(V.parsePort('30080', { min: 30000, max: 32767 }).ok, true);
    assert.match(msg(V.parseSize('2MB', { max: 1e6 })), /at most 1MB/);
  });
  it('header names are tokens; values hold no control characters but may hold non-ASCII', () => {
    for (const bad of ['X Y', 'a/b', 'user@host', 'X-😀', 'a:b', '']) assert.equal(V.parseFieldName(bad).ok, false, bad);
    assert.match(msg(V.parseFieldName('X Y')), /a space \(U\+0020\)/);
    assert.match(msg(V.parseFieldName('X-😀')), /U\+1F600/);
    assert.equal(V.parseFieldName("X-Custom_1!#$%&'*+.^`|~").ok, true);
    for (const bad of ['a\nb', 'a\rb', 'a\u0000b', 'a\u0007b', 'a\u007fb']) assert.equal(V.parseFieldValue(bad).ok, false, JSON.stringify(bad));
    assert.match(msg(V.parseFieldValue('a\nb')), /line break \(LF, U\+000A\)/);
    for (const good of ['naïve 😀', 'a\tb', '', 'text/html; q=0.9']) assert.equal(V.parseFieldValue(good).ok, true, good);
  });
  it('a URL is visible ASCII of a bounded length', () => {
    assert.match(msg(V.parseUrl('https://example.org/caf\u00e9')), /percent-encode/);
    assert.match(msg(V.parseUrl(`https://example.org/${'a'.repeat(9000)}`)), /at most 8000/);
  });
});

// The HTML shell and report as strings (no browser): the CSP admits only what it must, and no
// trace text can leave the embedded JSON's script element.
import * as assert from 'node:assert/strict';
import { escapeJsonForScript, panelCsp, panelHtml } from '../../src/shared/panelHtml';
import { renderHtmlReport } from '../../src/node/htmlReport';
import { HOSTILE, hostileTrace } from './fixtures';

describe('panel shell (panelHtml)', () => {
  it('has a strict CSP: nothing by default, scripts by nonce only, no inline or eval', () => {
    const csp = panelCsp({ assets: { kind: 'uri', script: 'x', style: 'y' }, cspSource: 'https://cdn.example', nonce: 'abc' });
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
    assert.match(csp, /style-src https:\/\/cdn\.example/);
  });

  it('loads the script by nonce and the style by URI in a webview', () => {
    const html = panelHtml({ assets: { kind: 'uri', script: 'https://cdn.example/webview.js', style: 'https://cdn.example/webview.css' }, cspSource: 'https://cdn.example', nonce: 'n0nce' });
    assert.match(html, /<script nonce="n0nce" src="https:\/\/cdn\.example\/webview\.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/cdn\.example\/webview\.css">/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /id="app"/);
  });

  it('escapes JSON so that it reads back the same and cannot close its element', () => {
    const value = { s: HOSTILE.join(' '), ls: '\u2028\u2029', amp: '&' };
    const escaped = escapeJsonForScript(JSON.stringify(value));
    assert.doesNotMatch(escaped, /[<>&\u2028\u2029]/);
    assert.deepEqual(JSON.parse(escaped), value);
  });

  it('embeds a hostile trace in the report with exactly one executable script', () => {
    const html = renderHtmlReport(hostileTrace(), { script: 'console.log("</script>")\n//# sourceMappingURL=webview.js.map', css: 'body{}' }, { nonce: 'fixed' });
    assert.equal((html.match(/<script nonce="fixed">/g) ?? []).length, 1);
    assert.equal((html.match(/<\/script>/gi) ?? []).length, 2, 'only the data element and the script close');
    assert.doesNotMatch(html, /sourceMappingURL/);
    for (const h of HOSTILE.filter((x) => /[<>]/.test(x))) assert.ok(!html.includes(h), `raw ${h} must not appear`);
    assert.match(html.replace(/&#39;/g, "'"), /script-src 'nonce-fixed'/);
    const title = /<title>(.*)<\/title>/.exec(html)?.[1] ?? '';
    assert.doesNotMatch(title, /[<>]/);
  });
});

// The trace panel's HTML shell: one pure string function shared by the extension (the webview
// loads dist/webview.js and dist/webview.css by URI) and the HTML report (the same bundle
// inlined, with the trace embedded). The shell carries no markup of its own besides a mount
// point, so the panel and the report cannot drift apart.

/** Where the panel's script and style come from. */
export type PanelAssets =
  /** In a VS Code webview: URIs from `webview.asWebviewUri(...)`. */
  | { kind: 'uri'; script: string; style: string }
  /** In the self-contained report: the bundle's text itself. */
  | { kind: 'inline'; script: string; style: string };

export interface PanelHtmlOptions {
  assets: PanelAssets;
  /**
   * For a webview: `webview.cspSource`, allowed for the style sheet and fonts.
   * Unused for inline assets.
   */
  cspSource?: string;
  /**
   * A fresh random value per render (use `crypto.randomBytes(16).toString('base64')`):
   * the only way a script may run. For inline assets it also admits the inline style element.
   */
  nonce: string;
  /** The document's title (shown by screen readers and the report's browser tab). */
  title?: string;
  /**
   * A trace to embed (the report): JSON that the panel reads when `acquireVsCodeApi` is absent.
   * Pass it already serialised with `JSON.stringify`; it is escaped here so it cannot leave its
   * script element.
   */
  embeddedTraceJson?: string;
}

/** The id of the `<script type="application/json">` element holding an embedded trace. */
export const EMBEDDED_TRACE_ID = 'journey-trace';
/** The id of the element the panel mounts into. */
export const PANEL_ROOT_ID = 'app';

/**
 * Makes JSON safe inside a `<script>` element: `<` (so no `</script>` or `<!--`), `>`, `&` and
 * the two line separators JavaScript once treated as newlines are written as \u escapes, which
 * JSON.parse reads back as the same characters.
 */
export function escapeJsonForScript(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Makes an inline script or style body unable to close its element early. */
export function escapeInlineBody(text: string, tag: 'script' | 'style'): string {
  const re = tag === 'script' ? /<\/(script)/gi : /<\/(style)/gi;
  // `<\/script` means the same in JS strings, regexes and templates; CSS needs the escape form.
  return text.replace(re, tag === 'script' ? '<\\/$1' : '<\\2f $1');
}

function escapeAttr(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The Content-Security-Policy of the shell: nothing runs or loads unless named here. */
export function panelCsp(options: Pick<PanelHtmlOptions, 'assets' | 'cspSource' | 'nonce'>): string {
  const nonce = `'nonce-${options.nonce}'`;
  const inline = options.assets.kind === 'inline';
  const source = inline ? '' : ` ${options.cspSource ?? ''}`.trimEnd();
  return [
    "default-src 'none'",
    `script-src ${nonce}`,
    // Styles: our sheet (by URI or by nonce). The panel sets positions through the CSSOM
    // (element.style), which CSP does not restrict, so no 'unsafe-inline' is needed; the
    // component library (lit) uses constructable style sheets, also outside style-src.
    `style-src ${inline ? nonce : source.trim() || "'none'"}`,
    `font-src${source || " 'none'"}`,
    `img-src${source} data:`,
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The panel's full HTML document. The extension calls it with
 * `{ assets: { kind: 'uri', script: asWebviewUri(dist/webview.js), style: asWebviewUri(dist/webview.css) }, cspSource: webview.cspSource, nonce }`;
 * the report with inline assets and `embeddedTraceJson`.
 */
export function panelHtml(options: PanelHtmlOptions): string {
  const { assets, nonce } = options;
  const n = escapeAttr(nonce);
  const title = escapeAttr(options.title ?? 'Packet Journey');
  const style = assets.kind === 'inline'
    ? `<style nonce="${n}">${escapeInlineBody(assets.style, 'style')}</style>`
    : `<link rel="stylesheet" href="${escapeAttr(assets.style)}">`;
  const data = options.embeddedTraceJson === undefined ? ''
    : `<script type="application/json" id="${EMBEDDED_TRACE_ID}">${escapeJsonForScript(options.embeddedTraceJson)}</script>\n`;
  const script = assets.kind === 'inline'
    ? `<script nonce="${n}">${escapeInlineBody(assets.script, 'script')}</script>`
    : `<script nonce="${n}" src="${escapeAttr(assets.script)}"></script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(panelCsp(options))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
${style}
</head>
<body>
<div id="${PANEL_ROOT_ID}" aria-busy="true"><p class="loading">Waiting for a trace…</p></div>
${data}${script}
</body>
</html>
`;
}

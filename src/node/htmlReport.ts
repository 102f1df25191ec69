// The self-contained HTML report: the trace panel (the same bundle as in VS Code) with its
// script, style and the trace inlined in one file that opens from file:// with no network.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Trace } from '../core/trace/types';
import { panelHtml } from '../shared/panelHtml';

/** The panel's built bundle, as text. */
export interface PanelBundle { script: string; css: string }

export interface HtmlReportOptions {
  /** Fixed nonce (tests); by default a fresh random one. */
  nonce?: string;
  title?: string;
}

/** Source-map comments point at files the report does not carry; drop them. */
function withoutSourceMap(text: string): string {
  return text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n').replace(/\n?\/\*# sourceMappingURL=\S+ \*\/\s*$/, '\n');
}

/**
 * One `.html` document showing `trace` in the panel. `assets` is the built bundle
 * (see {@link readPanelBundle}). The trace is embedded as JSON escaped so that no string in it
 * can close its script element; the CSP admits only the inlined script and style (by nonce).
 */
export function renderHtmlReport(trace: Trace, assets: PanelBundle, options: HtmlReportOptions = {}): string {
  const nonce = options.nonce ?? randomBytes(16).toString('base64');
  return panelHtml({
    assets: { kind: 'inline', script: withoutSourceMap(assets.script), style: withoutSourceMap(assets.css) },
    nonce,
    title: options.title ?? `Packet Journey: ${trace.scenario}`,
    embeddedTraceJson: JSON.stringify(trace),
  });
}

/**
 * Reads `webview.js` and `webview.css` from the build output. `distDir` defaults to the folder
 * of the running bundle (dist/cli.js lives next to them), so the CLI can call
 * `renderHtmlReport(trace, readPanelBundle())`.
 */
export function readPanelBundle(distDir: string = __dirname): PanelBundle {
  return {
    script: readFileSync(path.join(distDir, 'webview.js'), 'utf8'),
    css: readFileSync(path.join(distDir, 'webview.css'), 'utf8'),
  };
}

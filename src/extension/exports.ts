// Writing a trace to a file the user picks: pcapng for Wireshark, the JSON trace, a Mermaid
// sequence diagram, or the self-contained HTML report (the panel with the trace inlined).
import * as path from 'path';
import * as vscode from 'vscode';
import { traceToMermaid } from '../core/export/mermaid';
import { pcapngOf } from '../core/export/pcapCapture';
import { fromHex } from '../core/wire/bytes';
import type { Trace } from '../core/trace/types';
import { readPanelBundle, renderHtmlReport } from '../node/htmlReport';
import type { ExportFormat } from '../shared/protocol';

const EXTENSIONS: Record<ExportFormat, { ext: string; label: string }> = {
  pcapng: { ext: '.pcapng', label: 'pcapng capture' },
  json: { ext: '.trace.json', label: 'JSON trace' },
  mermaid: { ext: '.mmd', label: 'Mermaid sequence diagram' },
  html: { ext: '.html', label: 'HTML report' },
};

/** The bytes of `trace` in `format`; `distDir` holds the panel's bundle for the HTML report. */
export function exportBytes(trace: Trace, format: ExportFormat, distDir: string): Uint8Array {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  switch (format) {
    // The panel's trace came from the worker as JSON: its frames are hex already.
    case 'pcapng': return pcapngOf(trace, (p) => fromHex(p.bytes));
    case 'json': return text(`${JSON.stringify(trace, null, 2)}\n`);
    case 'mermaid': return text(traceToMermaid(trace));
    case 'html': return text(renderHtmlReport(trace, readPanelBundle(distDir)));
  }
}

/** Asks where to save (next to the traced file by default), then writes. Returns the target. */
export async function exportTrace(trace: Trace, format: ExportFormat, source: vscode.Uri, distDir: string): Promise<vscode.Uri | undefined> {
  const { ext, label } = EXTENSIONS[format];
  const base = source.path.replace(/\.journey$/, '');
  const target = await vscode.window.showSaveDialog({
    // Next to the traced file when it is on disk; an untitled file has no folder to offer.
    defaultUri: source.scheme === 'untitled' ? undefined : source.with({ path: `${base}${ext}` }),
    filters: { [label]: [ext.slice(ext.lastIndexOf('.') + 1)] },
    title: `Export the trace as ${label}`,
  });
  if (!target) return undefined;
  try {
    await vscode.workspace.fs.writeFile(target, exportBytes(trace, format, distDir));
  } catch (e) {
    // A missing panel bundle or an unwritable folder: say which, not a stack in the log.
    void vscode.window.showErrorMessage(`Packet Journey: could not write ${path.basename(target.path)}: ${(e as Error).message}`);
    return undefined;
  }
  void vscode.window.showInformationMessage(`Packet Journey: wrote ${target.scheme === 'file' ? target.fsPath : target.toString()}`);
  return target;
}

// The panel's HTML for one webview: the bundle's URIs as the webview may load them and a fresh
// nonce, in the strict-CSP shell shared with the HTML report.
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { panelHtml } from '../shared/panelHtml';

/** Everything the webview may load lives here (localResourceRoots is limited to it). */
export function distRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist');
}

/** A CSP nonce from the OS's CSPRNG: Math.random is predictable. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export function panelHtmlFor(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const dist = distRoot(extensionUri);
  return panelHtml({
    assets: {
      kind: 'uri',
      script: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      style: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    },
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    title,
  });
}

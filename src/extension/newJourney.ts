// "New Journey": a quick pick of starter files (the seed example and the templates of
// templates.ts), opened as an untitled .journey document with the user's default TLS and HTTP
// versions in its request. Untitled, so nothing is written to the workspace until the user saves
// where they want; it traces as it is.
import * as vscode from 'vscode';
import type { Config } from './config';
import { TEMPLATES, fillTemplate } from './templates';

export const NEW_JOURNEY_COMMAND = 'packetJourney.newJourney';
/** The seed example, shipped in the package (examples/*.journey are in .vscodeignore's list). */
export const SEED_ID = 'follow-a-packet';

/** How many files New Journey opened: the value of the walkthrough's context keys. */
let opened = 0;

interface Choice extends vscode.QuickPickItem { id: string; uri: vscode.Uri }

function choices(extensionUri: vscode.Uri): Choice[] {
  return [
    {
      id: SEED_ID,
      label: 'Follow a packet (the example)',
      detail: 'A laptop at home to a Kubernetes service in the cloud: DNS, NAT, TCP, TLS 1.3, HTTP/2, load balancer, overlay and back',
      uri: vscode.Uri.joinPath(extensionUri, 'examples', `${SEED_ID}.journey`),
    },
    ...TEMPLATES.map((t) => ({ id: t.id, label: t.label, detail: t.detail, uri: vscode.Uri.joinPath(extensionUri, 'media', 'templates', t.file) })),
  ];
}

/** Asks for a template (unless `id` names one: the walkthrough's links do) and opens the new
 * document. Returns it, or undefined when the user cancelled. */
export async function newJourney(extensionUri: vscode.Uri, config: Config, id?: unknown): Promise<vscode.TextDocument | undefined> {
  const all = choices(extensionUri);
  const picked = typeof id === 'string' && all.find((c) => c.id === id)
    || await vscode.window.showQuickPick(all, { title: 'New Journey', placeHolder: 'Start from…', matchOnDetail: true });
  if (!picked) return undefined;
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(picked.uri));
  } catch (e) {
    void vscode.window.showErrorMessage(`Packet Journey: the template "${picked.label}" cannot be read (${(e as Error).message}); reinstall Packet Journey.`);
    return undefined;
  }
  // The seed stays as documented; a template asks for the versions the user prefers.
  const content = picked.id === SEED_ID ? text : fillTemplate(text, { tls: config.newFileTls, http: config.newFileHttp });
  const doc = await vscode.workspace.openTextDocument({ language: 'journey', content });
  await vscode.window.showTextDocument(doc, { preview: false });
  // The walkthrough's first and last steps complete on these (onContext:); a new value each
  // time, since the walkthrough notices changes only (see TraceSessions.walkthroughDone).
  void vscode.commands.executeCommand('setContext', picked.id === SEED_ID ? 'packetJourney.exampleOpened' : 'packetJourney.templateOpened', ++opened);
  return doc;
}

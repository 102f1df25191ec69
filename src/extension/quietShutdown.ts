// Language feature requests that fail only because the language server is going away (a window
// reload, a shutdown: the server process ends before the renderer stops asking for code
// actions) answer "nothing" instead of an error: VS Code would log each as "provider FAILED" in
// the extension host's log. A failure while the server runs is still an error.
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';

/** The middleware hooks of the request-based features the server offers. */
const HOOKS = [
  'provideCodeActions', 'provideCodeLenses', 'resolveCodeLens', 'provideHover', 'provideCompletionItem',
  'resolveCompletionItem', 'provideDocumentSymbols', 'provideDefinition', 'provideReferences',
  'provideDocumentHighlights', 'prepareRename', 'provideRenameEdits', 'provideFoldingRanges',
  'provideDocumentFormattingEdits', 'provideDocumentRangeFormattingEdits', 'provideDocumentLinks',
  'provideSelectionRanges', 'provideSignatureHelp', 'provideInlayHints',
] as const;

type Next = (...args: unknown[]) => unknown;

export function quietWhenStopped(client: () => LanguageClient | undefined): Middleware {
  const middleware: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const hook of HOOKS) {
    // Each hook receives the provider's arguments, then `next` last.
    middleware[hook] = async (...args: unknown[]) => {
      const next = args.pop() as Next;
      try {
        return await next(...args);
      } catch (e) {
        if (client()?.isRunning()) throw e;
        return undefined;
      }
    };
  }
  return middleware as Middleware;
}

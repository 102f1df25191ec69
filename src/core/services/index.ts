// The editor features as pure functions of (analysis, offset). The language server adapts them to
// LSP; nothing here knows about the protocol, the editor or the file system.
export * from './context';
export * from './completion';
export * from './hover';
export * from './navigation';
export * from './symbols';
export * from './folding';
export * from './formatting';
export * from './semanticTokens';
export * from './codeActions';
export * from './codeLens';
export * from './traceHover';
export * from './snippets';

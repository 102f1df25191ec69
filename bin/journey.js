#!/usr/bin/env node
// The `journey` command: a thin launcher for the bundled CLI.
// hpack.js's dependency calls the deprecated Buffer() once; that warning is not the user's business.
process.removeAllListeners('warning');
process.on('warning', (w) => { if (w.code !== 'DEP0005') process.stderr.write(`${w.name}: ${w.message}\n`); });
// A closed pipe (journey trace ... | head) ends the program quietly.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
require('../dist/cli.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });

// A stand-in for the CLI's main(argv, io), used by harness.test.ts to check that the pool and the
// property classify each kind of misbehaviour. The behaviour is named by the file's base name.
import * as path from 'node:path';

interface Io { out: (s: string) => void; err: (s: string) => void }

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, file] = argv;
  if (command === 'help') { io.out('usage: fake'); return 0; }
  const behaviour = path.basename(file ?? '', '.journey');
  const tracing = command === 'trace';
  switch (behaviour) {
    case 'hang': if (tracing) for (;;) { /* spin */ } break;
    // Output for 4.5 s, longer than the harness's 3 s idle bound: a long export, not a hang.
    case 'streams': if (tracing) { const end = Date.now() + 4500; while (Date.now() < end) io.out('x'.repeat(1 << 20)); } break;
    case 'chatter': if (tracing) for (;;) io.out('x'.repeat(1 << 20)); break;
    case 'oom': if (tracing) { const keep: number[][] = []; for (;;) keep.push(new Array(1e6).fill(keep.length)); } break;
    case 'throw': if (tracing) throw new TypeError('fake failure'); break;
    case 'exit3': if (tracing) { io.err('journey trace: internal error while tracing (please report it): WireError: fake\n    at encode (/x/src/core/wire/fake.ts:1:1)'); return 3; } break;
    case 'refuse': if (tracing) { io.err('journey trace: cannot simulate this'); return 2; } break;
    case 'silent': if (tracing) return 1; break;
    case 'errors': io.out(`${file}:1:1: error bad-value: fake`); if (tracing) io.err('fix them first'); return tracing ? 2 : 1;
  }
  io.out(tracing ? 'a journey' : '');
  return 0;
}

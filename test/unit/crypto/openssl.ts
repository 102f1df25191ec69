import { execFileSync } from 'node:child_process';

/** The openssl CLI as an independent implementation, or undefined (tests then skip, saying why). */
export const opensslVersion: string | undefined = (() => {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
})();

export function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function skipWithoutOpenssl(ctx: Mocha.Context): void {
  if (!opensslVersion) {
    console.log('      (skipped: the openssl command is not installed, so there is no independent implementation to compare with)');
    ctx.skip();
  }
}

/**
 * vitest globalSetup: the suite spawns the CLI many times through
 * bin/ioasid-verify.mjs, which starts from dist/ only when dist/ matches the
 * sources. After an edit it would fall back to tsx at ~0.6 s a spawn, so
 * rebuild once here (esbuild, well under a second) when dist/ is stale.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freshEntry } from '../../bin/fresh.mjs';

export default function setup(): void {
  if (freshEntry('cli/main.mjs') !== undefined) return;
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url)), '--quiet'], { stdio: 'inherit' });
}

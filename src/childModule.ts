/**
 * Where a module forked as a child process is, seen from the code that forks
 * it. Both live one folder down, in src/<folder>/ (the sources) or in dist/
 * (scripts/build.mjs bundles src/cli/main.ts to dist/cli/main.mjs and each
 * child to dist/<folder>/<name>.mjs), so `../<folder>/<name>` names the child
 * from either. Bundled code runs the .mjs; the sources run through tsx
 * (bin/run-ts.mjs), so a child forked from a test or a stale build runs the
 * same sources as its parent.
 */
import { fileURLToPath } from 'node:url';

/** `callerUrl` is the forking module's import.meta.url; `child` is e.g. 'explore/exploreChild'. */
export function childModule(callerUrl: string, child: string): { module: string; args: string[] } {
  if (callerUrl.endsWith('.mjs')) return { module: fileURLToPath(new URL(`../${child}.mjs`, callerUrl)), args: [] };
  return { module: fileURLToPath(new URL('../../bin/run-ts.mjs', callerUrl)), args: [fileURLToPath(new URL(`../${child}.ts`, callerUrl))] };
}

#!/usr/bin/env node
// Compiles the CLI once (the `prepare` script: it runs at `npm install` and
// `npm ci`), so a start pays for no TypeScript transpiling. esbuild bundles
// each entry with its imports into dist/, laid out like src/ (dist/cli/main.mjs
// for src/cli/main.ts) so that the `import.meta.url`-relative paths in the
// sources ('../../package.json') resolve alike from both. z3-solver stays
// external: it loads its .wasm beside itself and starts worker threads.
// dist/build.json records the inputs and their fingerprint (bin/fresh.mjs).
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { EXTRA_INPUTS, MANIFEST, ROOT, fingerprint } from '../bin/fresh.mjs';

const root = fileURLToPath(ROOT);
/** Built entry (under dist/) -> source. */
export const ENTRIES = {
  'cli/main': 'src/cli/main.ts',
  // forked by src/explore/parallel.ts, one process per design
  'explore/exploreChild': 'src/explore/exploreChild.ts',
  // started by src/explore/parallelBfs.ts as worker threads, explore --workers N
  'explore/bfsWorker': 'src/explore/bfsWorker.ts',
  // forked by src/sweep/sweep.ts, prove --up-to --jobs N
  'sweep/sweepChild': 'src/sweep/sweepChild.ts',
  // run by bench/bench.ts, a fresh process per measurement, its BFS workers from dist/ as the CLI's
  'bench/explore-once': 'bench/explore-once.ts',
};

const tmp = join(root, `dist.tmp-${process.pid}`);
rmSync(tmp, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([out, src]) => [out, join(root, src)])),
  outdir: tmp,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // The CLI imports its commands on demand (src/cli/commands/index.ts), so that --help
  // parses a fraction of the code; what the entries share goes to dist/chunks/, one
  // folder down like every entry, for the `import.meta.url`-relative paths above.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['z3-solver'],
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  // commander is CommonJS: its require() of node builtins needs a real require in an ES module.
  banner: { js: "import { createRequire as __ioasidCreateRequire } from 'node:module'; const require = __ioasidCreateRequire(import.meta.url);" },
});
const sources = Object.keys(result.metafile.inputs).map((p) => relative(root, join(root, p))).filter((p) => !p.startsWith('node_modules/')).sort();
const inputs = [...sources, ...EXTRA_INPUTS];
const entries = Object.keys(ENTRIES).map((e) => `${e}.mjs`);
mkdirSync(tmp, { recursive: true });
writeFileSync(join(tmp, 'build.json'), JSON.stringify({ entries, inputs, fingerprint: fingerprint(root, inputs) }, null, 1) + '\n');
// Swap in the new dist/ whole, so a CLI starting meanwhile sees the old build or the new one, never half of each.
const dist = join(root, 'dist');
const old = join(root, `dist.old-${process.pid}`);
try {
  renameSync(dist, old);
} catch {
  /* no dist/ yet */
}
renameSync(tmp, dist);
rmSync(old, { recursive: true, force: true });
if (!process.argv.includes('--quiet')) process.stdout.write(`built ${entries.map((e) => `dist/${e}`).join(', ')} from ${sources.length} sources (${MANIFEST})\n`);

#!/usr/bin/env node
// Starts the CLI from dist/ (compiled once by scripts/build.mjs at `npm install`)
// when dist/ was built from the sources as they are now; otherwise, e.g. while
// a source is being edited, runs the TypeScript sources through tsx's loader.
import { freshEntry } from './fresh.mjs';
import { onStalledExit } from './stalled.mjs';

onStalledExit();
const built = freshEntry('cli/main.mjs');
let main;
if (built) {
  ({ main } = await import(built.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
await main(process.argv.slice(2));

#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so no build step is needed.
import { register } from 'tsx/esm/api';
import { onStalledExit } from './stalled.mjs';

register();
onStalledExit();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));

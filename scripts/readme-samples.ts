/**
 * Regenerates the README's sample outputs from real runs, so they cannot go
 * stale: each block between `<!-- sample: CMD -->` and `<!-- /sample -->` is
 * replaced by what `ioasid-verify CMD` prints now (stdout; progress off).
 * `node bin/run-ts.mjs scripts/readme-samples.ts` (about a minute: `check` at
 * `default`). spec/cli/readme.test.ts holds the README's samples to the model
 * without re-running them (the structure, not the timings).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = `${ROOT}README.md`;
export const SAMPLE = /<!-- sample: ([^>]+?) -->\n```\n([\s\S]*?)```\n<!-- \/sample -->/g;

function run(cmd: string): string {
  const r = spawnSync(process.execPath, [`${ROOT}bin/ioasid-verify.mjs`, ...cmd.split(' '), '--quiet'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const text = readFileSync(README, 'utf8');
  const out = text.replace(SAMPLE, (_m, cmd: string) => {
    process.stderr.write(`running ioasid-verify ${cmd}...\n`);
    return `<!-- sample: ${cmd} -->\n\`\`\`\n${run(cmd).trimEnd()}\n\`\`\`\n<!-- /sample -->`;
  });
  writeFileSync(`${README}.tmp`, out);
  renameSync(`${README}.tmp`, README);
}

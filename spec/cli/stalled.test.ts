// @vitest-environment node
/*
 * bin/stalled.mjs: a run whose top-level await can never settle (a Z3 call
 * that never answers) must not end as Node's silent exit 13. It ends with the
 * CLI's one-line error and exit 3, unknown.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run';

const stalled = pathToFileURL(`${ROOT}/bin/stalled.mjs`).href;
const run = (body: string) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', `import { onStalledExit } from '${stalled}'; onStalledExit(); ${body}`], { encoding: 'utf8' });

describe('a run that stalls', () => {
  it('exits 3 with one E_SOLVER line instead of a silent 13', () => {
    const r = run('await new Promise(() => {});');
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('ioasid-verify: E_SOLVER: the solver stopped without answering; the result is unknown\n');
    expect(r.stdout).toBe('');
  });

  it('leaves every other exit alone', () => {
    for (const code of [0, 1, 2]) {
      const r = run(`process.exit(${code});`);
      expect([r.status, r.stderr]).toEqual([code, '']);
    }
    expect(run('await Promise.resolve();').status).toBe(0);
  });
});

// @vitest-environment node
/*
 * Model-based testing from a Quint spec, with the real tool, offline: Quint
 * (`quint run --mbt --backend typescript`, no download) simulates
 * quint/ioasid.qnt with a fixed seed and writes ITF traces; `ioasid-verify
 * replay DIR` runs every one on the model and the kernel. Quint starts
 * slowly (~3 s), so each module is run once for the whole file.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, ROOT } from '../cli/run';

const QUINT = join(ROOT, 'node_modules/@informalsystems/quint/dist/src/cli.js');
const SPEC = join(ROOT, 'quint/ioasid.qnt');
export const QUINT_SEED = '20210331';
const TRACES = 200;

const dir = mkdtempSync(join(tmpdir(), 'ioasid-quint-'));
const reference = join(dir, 'reference');
const noDmaBlock = join(dir, 'no-dma-block');

async function quintRun(main: string, out: string, samples: number, nTraces: number): Promise<string> {
  mkdirSync(out, { recursive: true }); // quint does not create it
  const args = ['run', '--backend', 'typescript', '--mbt', '--main', main, '--seed', QUINT_SEED, '--max-samples', String(samples), '--max-steps', '60'];
  const itf = ['--n-traces', String(nTraces), '--invariant', 'destroyedBlocksDma', '--out-itf', join(out, 't{seq}.itf.json'), SPEC];
  // exit 1 when the invariant is violated: that is what the no-dma-block run is for
  const r = await promisify(execFile)(process.execPath, [QUINT, ...args, ...itf], { cwd: ROOT, timeout: 120_000 }).catch((e: { stdout?: string; code?: number }) => {
    if (e.code === 1 && e.stdout?.includes('[violation]')) return { stdout: e.stdout };
    throw e;
  });
  return r.stdout;
}

interface ReplayJson {
  traces: number;
  ok: number;
  failed: number;
  errors: number;
  files: { file: string; ok: boolean; divergence: number | null; steps: { action: string; model: string; kernel: string; expected: string | null }[] }[];
}

let refRun: string;
let violationRun: string;

beforeAll(async () => {
  [refRun, violationRun] = await Promise.all([quintRun('ioasid', reference, TRACES, TRACES), quintRun('ioasidNoDmaBlock', noDmaBlock, 200, 1)]);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every result of these seven actions at `default`; `dma ok:2` is not one: the only pdev belongs to process 1. */
const EVERY_RESULT = [
  'alloc -EBADF', 'alloc -EDQUOT', 'alloc -ENOSPC', 'alloc -ESRCH', 'alloc 1',
  'attach -EBADF', 'attach -EEXIST', 'attach -ENOENT', 'attach -EPERM', 'attach -ESRCH', 'attach 0',
  'close -EBADF', 'close -ESRCH', 'close 0',
  'destroy -EBADF', 'destroy -ENOENT', 'destroy -ESRCH', 'destroy 0',
  'detach -ENOENT', 'detach -EPERM', 'detach -ESRCH', 'detach 0',
  'dma blocked', 'dma fault', 'dma ok:1',
  'open -EMFILE', 'open -ESRCH', 'open 1',
];

describe('Quint-generated traces replay on model and kernel', () => {
  it(`quint run --mbt (seed ${QUINT_SEED}) writes ${TRACES} traces; replay DIR runs them all with no divergence, and warns that they name no design`, async () => {
    expect(refRun).toContain('[ok]');
    expect(readdirSync(reference).length).toBe(TRACES);
    const run = await runInProcess(['replay', reference, '--json']);
    const j = JSON.parse(run.stdout) as ReplayJson;
    expect(run.code).toBe(0);
    expect({ traces: j.traces, ok: j.ok, failed: j.failed, errors: j.errors }).toEqual({ traces: TRACES, ok: TRACES, failed: 0, errors: 0 });
    const steps = j.files.flatMap((f) => f.steps);
    // The spec's results were read (Quint qualifies the variable: ioasid::ioasidDesign::result) and all three agree.
    expect(steps.every((s) => s.expected !== null && s.model === s.expected && s.kernel === s.expected)).toBe(true);
    expect(steps.length).toBe(TRACES * 60);
    const seen = new Set(steps.map((s) => `${s.action} ${s.expected}`));
    expect([...seen].sort()).toEqual(EVERY_RESULT);
    expect(run.stderr).toContain(`${TRACES} of ${TRACES} traces: #meta names no variant and no rules; replaying as reference (override with --variant or --design)`);
    expect(run.stderr).toContain('#meta names no scope; replaying at scope default (override with --scope)');
    console.log(`quint: ${TRACES} traces, ${steps.length} steps, ${seen.size} distinct (action, result) pairs, replayed on model and kernel: no divergence`);
  });

  it('the text form is a summary table, one row per trace', async () => {
    const run = await runInProcess(['replay', join(reference, 't0.itf.json'), join(reference, 't1.itf.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/t0\.itf\.json\s+reference\s+60\s+ok/);
    expect(run.stdout).toContain('2 ok, 0 failed, 0 bad input');
  });

  it('a Quint violation of no-dma-block is not reproduced by the reference: replay says so and exits 1', async () => {
    expect(violationRun).toContain('[violation]');
    const [file] = readdirSync(noDmaBlock);
    const trace = join(noDmaBlock, file!);
    const asIs = await runInProcess(['replay', trace]);
    expect(asIs.code).toBe(1);
    expect(asIs.stdout).toContain('NOT REPRODUCED: #meta.status is "violation", but the model (reference) violates no invariant at the last state');
    expect(asIs.stderr).toContain('#meta names no variant and no rules; replaying as reference');
    const asDesign = await runInProcess(['replay', trace, '--variant', 'no-dma-block', '--json']);
    const j = JSON.parse(asDesign.stdout) as { status: { reproduced: boolean }; violated: string[] };
    expect(j.status).toEqual({ recorded: 'violation', reproduced: true });
    expect(j.violated).toContain('destroyed-blocks-dma');
    expect(asDesign.stderr).not.toContain('no variant');
  });

  it('a trace with a bad file among good ones: a row for it, exit 2', async () => {
    const run = await runInProcess(['replay', join(reference, 't0.itf.json'), join(dir, 'missing.itf.json')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('bad input E_FILE');
    expect(run.stdout).toContain('1 ok, 0 failed, 1 bad input');
  });
});

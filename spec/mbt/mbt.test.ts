/**
 * Model-based tests: random sequences of every action of DESIGN.md §3, valid
 * and invalid arguments alike, run on the kernel and on the reference model
 * in lockstep. After every step the results are equal, the abstracted kernel
 * state equals the model state (normalized), and every invariant holds on the
 * abstracted kernel state. A fixed seed, so CI is reproducible.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IoasidKernel } from '../../src/kernel/index';
import { presetDesign } from '../../model/index';
import { parseTrace } from '../../src/trace/itf';
import { describeResult, runMbt, type MbtOptions, type MbtResult } from './runner';
import { mbtScope } from './scopes';

export const CI_SEED = 20210331;
/** Mutation testing only wants to know whether a mutant is caught, not its shrunk counterexample. */
const endOnFailure = process.env['MBT_END_ON_FAILURE'] === '1';

/** Outcomes every run must have reached, or the test says little: deep states, the drain, every refusal. */
const MUST_SEE = [
  'open N', 'alloc N', 'alloc -EDQUOT', 'alloc -ENOSPC', 'destroy 0', 'close 0', 'attach 0', 'attach -EEXIST', 'detach 0',
  'mdev_allow_pasid 0', 'mdev_attach 0', 'mdev_attach -EPERM', 'mdev_attach -EEXIST', 'mdev_detach 0',
  'kvm_set_ioasid_fd 0', 'kvm_enable_enqcmd 0', 'kvm_enable_enqcmd -EINVAL', 'kvm_map_pasid 0', 'kvm_map_pasid -EBADF',
  'kvm_map_pasid -EEXIST', 'kvm_unmap_pasid 0', 'vm_destroy 0', 'exit 0', 'open -ESRCH', 'attach -EPERM', 'close -EBADF',
  'dma ok:1', 'dma blocked', 'dma fault', 'enqcmd queued', 'enqcmd retry', 'enqcmd fault',
  'swq_exec ok:1', 'swq_exec ok:2', 'swq_exec blocked', 'swq_exec fault', 'swq_exec idle', 'deliver idle',
];

function mbt(scope: string, runs: number, mustSee: readonly string[] = MUST_SEE, design?: MbtOptions['design']): void {
  const o: MbtOptions = { scope: mbtScope(scope), runs, seed: CI_SEED, outDir: 'out/mbt', endOnFailure, ...(design ? { design } : {}) };
  const r = runMbt(o);
  const report = describeResult(o, r).join('\n');
  if (!r.ok) console.error(report);
  expect(r.ok, report).toBe(true);
  expect(r.runs).toBe(runs);
  // sequences of up to 60 commands, about 30 on average: the test really is this long
  expect(r.commands).toBeGreaterThan(runs * 20);
  expect(mustSee.filter((o) => !r.seen.has(o))).toEqual([]);
}

describe('kernel vs reference model, lockstep', () => {
  it('default scope: 2,000 sequences of up to 60 commands, zero divergence', () => mbt('default', 2000));
  it('large scope: 1,000 sequences', () => mbt('large', 1000));
  it('rich scope (two fds per process, a second swq): 1,000 sequences', () =>
    mbt('rich', 1000, [...MUST_SEE, 'mdev_allow_pasid -EBUSY', 'kvm_set_ioasid_fd -EBUSY', 'dma ok:2']));
});

/** §10 at the sva scope: every (action, result) pair of the SVA calls the reference can produce, and the SVA paths of swq_exec. */
const MUST_SEE_SVA = [
  'sva_bind N', 'sva_bind -ESRCH', 'sva_bind -EPERM', 'sva_bind -EEXIST', 'sva_bind -ENOSPC',
  'sva_unbind 0', 'sva_unbind -ESRCH', 'sva_unbind -EPERM', 'sva_unbind -ENOENT',
  'sva_submit queued', 'sva_submit retry', 'sva_submit fault', 'exit_files 0', 'exit_files idle',
  'swq_exec ok:1', 'swq_exec ok:2', 'swq_exec fault', 'mdev_attach 0', 'exit 0',
];

describe('kernel vs reference model at the sva scope (DESIGN.md §10), lockstep', () => {
  it('sva scope: 500 sequences, the SVA calls among them, zero divergence', () => mbt('sva', 500, MUST_SEE_SVA));
});

describe('kernel with sva_free_at_mmput vs the sva-free-at-mmput model, lockstep', () => {
  // the model breaks invariants by design: the kernel must break the same ones at the same steps
  it('sva scope: 500 sequences, zero divergence', () => mbt('sva', 500, MUST_SEE_SVA, presetDesign('sva-free-at-mmput')));

  it('is not vacuous: the fixed kernel is told apart from that model', () => {
    const o: MbtOptions = { scope: mbtScope('sva'), runs: 500, seed: CI_SEED, design: presetDesign('sva-free-at-mmput'), makeKernel: (s) => new IoasidKernel(s), endOnFailure: true };
    const r = runMbt(o);
    expect(r.ok).toBe(false);
    expect(r.failure!.why).toMatch(/^(results|states) differ|violates/);
  });
});

/** iommufd-busy never parks, so nothing is ever blocked: the outcomes it must reach differ. */
const MUST_SEE_BUSY = [...MUST_SEE.filter((o) => !o.endsWith(' blocked')), 'destroy -EBUSY'];

describe('kernel with destroy_busy vs the iommufd-busy model, lockstep', () => {
  it('default scope: 1,000 sequences, zero divergence', () => mbt('default', 1000, MUST_SEE_BUSY, presetDesign('iommufd-busy')));
  it('rich scope: 1,000 sequences', () => mbt('rich', 1000, [...MUST_SEE_BUSY, 'mdev_allow_pasid -EBUSY', 'kvm_set_ioasid_fd -EBUSY'], presetDesign('iommufd-busy')));
});

/** Keeps a KVM entry that the caller asked to unmap, but says it did: the state, not the result, diverges. */
class StickyUnmapKernel extends IoasidKernel {
  override kvmUnmapPasid(proc: unknown, vm: unknown, vpasid: unknown): number {
    return vpasid === 1 && proc === 2 ? 0 : super.kvmUnmapPasid(proc, vm, vpasid);
  }
}

describe('a planted kernel bug', () => {
  const o: MbtOptions = { scope: mbtScope('default'), runs: 2000, seed: CI_SEED, outDir: mkdtempSync(join(tmpdir(), 'mbt-')), makeKernel: (s) => new StickyUnmapKernel(s) };
  let found: MbtResult | undefined;
  // found once, by the first test that asks; the tests are about the harness, not the kernel
  const run = (): MbtResult => (found ??= runMbt(o));

  it('is found and shrunk to a short sequence ending in the bad call', () => {
    const r = run();
    expect(r.ok).toBe(false);
    const f = r.failure!;
    expect(f.actions.length).toBeLessThanOrEqual(8);
    expect(f.actions.at(-1)).toMatchObject({ type: 'kvm_unmap_pasid', proc: 2, vpasid: 1 });
    expect(f.why).toMatch(/^(results|states) differ/);
  });

  it('prints the seed, the replay path and the trace', () => {
    const r = run();
    const text = describeResult(o, r).join('\n');
    expect(text).toContain(`seed ${CI_SEED}`);
    expect(r.failure!.replayPath).not.toBe('');
    expect(text).toContain(`--path '${r.failure!.path}' --replay-path '${r.failure!.replayPath}'`);
    expect(text).toContain(`trace: ${r.failure!.trace}`);
  });

  it('writes an ITF trace of the shrunk sequence', () => {
    const r = run();
    const trace = parseTrace(readFileSync(r.failure!.trace!, 'utf8'), 'mbt trace');
    expect(trace.variant).toBe('reference');
    expect(trace.steps.map((s) => s.action)).toEqual(r.failure!.actions);
  });

  it('replays from seed, path and replayPath to the same counterexample, without shrinking', () => {
    const r = run();
    const again = runMbt({ ...o, outDir: undefined, path: r.failure!.path, replayPath: r.failure!.replayPath, endOnFailure: true });
    expect(again.ok).toBe(false);
    expect(again.failure!.actions).toEqual(r.failure!.actions);
  });
});

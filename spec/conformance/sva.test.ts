/**
 * Conformance at the SVA scope (DESIGN.md §10): the kernel's SVA against the
 * model's, through the abstraction function, on the two shortest traces the
 * explorer found for sva-free-at-mmput (spec/fixtures/sva/, written by
 * `explore --variant sva-free-at-mmput --scope sva`) and on seeded walks.
 *  - the fixed kernel defeats both traces and agrees with the fixed model;
 *  - the kernel with the 2022 switch parts from the fixed model at the step
 *    whose exit_mm frees the PASID;
 *  - the kernel with the 2022 switch and the sva-free-at-mmput model agree
 *    at every step (results, normalized states, invariants, bookkeeping).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IoasidKernel } from '../../src/kernel/index';
import { PRESETS, REFERENCE_RULES, formatAction, initialState, presetDesign, scopeCandidates, step } from '../../model/index';
import { abstractKernel } from '../../src/conformance/abstraction';
import { kernelFor, kernelParamsFor, replayParamsFor } from '../../src/conformance/kernelConfig';
import { lockstep, startLockstep } from '../../src/conformance/lockstep';
import { Prng } from '../../src/explore/prng';
import { normalize } from '../../src/conformance/normalize';
import { replaySteps } from '../../src/conformance/replay';
import { walkCase } from '../../src/conformance/stage';
import { replayCommand } from '../../src/cli/commands/replay';
import { readTraceFile } from '../../src/trace/itf';

const SVA = PRESETS.sva;
const FIXTURES = join(import.meta.dirname, '../fixtures/sva');
const CROSS = join(FIXTURES, 'sva-free-at-mmput--no-cross-tenant-dma.itf.json');
const RECYCLE = join(FIXTURES, 'sva-free-at-mmput--recycle-at-zero.itf.json');
const BUG = presetDesign('sva-free-at-mmput');
const kernel2022 = () => new IoasidKernel(SVA, { sva_free_at_mmput: true });

describe('the kernel configuration for svaPasidFree', () => {
  it('mmput is the 2022 switch in lockstep, never in a replay; mmdrop is the default', () => {
    expect(kernelParamsFor(BUG.rules)).toEqual({ destroy_busy: false, sva_free_at_mmput: true });
    expect(kernelParamsFor({ ...BUG.rules, destroyInUse: 'busy' })).toEqual({ destroy_busy: true, sva_free_at_mmput: true });
    expect(kernelParamsFor({ ...BUG.rules, drain: false })).toBeUndefined();
    expect(replayParamsFor(BUG.rules)).toBeUndefined();
    expect(replayParamsFor(REFERENCE_RULES)).toEqual({ destroy_busy: false, sva_free_at_mmput: false });
  });

  it('the abstraction of a fresh kernel is the initial state, mms and SVA tables included', () => {
    const got = normalize(abstractKernel(SVA, new IoasidKernel(SVA).debugfs()));
    expect(got).toEqual(normalize(initialState(SVA)));
    expect(got.mms).toEqual([{ pasid: 0, users: 1 }, { pasid: 0, users: 1 }]);
  });
});

describe('replay of the shortest sva-free-at-mmput traces', () => {
  it('no-cross-tenant-dma: the fixed kernel drains at exit_files, so the stale descriptor never runs in process 2', () => {
    const t = readTraceFile(CROSS);
    expect(t.steps.map((s) => s.action.type)).toEqual(['sva_bind', 'sva_submit', 'exit', 'exit_files', 'sva_bind', 'swq_exec']);
    const r = replaySteps(t.scope.scope, t.design.rules, t.steps);
    expect(r.kernelImplements).toBe(false);
    expect(r.steps.flatMap((s) => s.kernelViolated)).toEqual([]);
    expect(r.steps.map((s) => s.kernel)).toEqual(['1', 'queued', '0', '0', '1', 'idle']);
    expect(r.steps.at(-1)!.model).toBe('ok:2');
    expect(r.divergence).toBe(6);
    expect(r.steps[4]!.violated).toContain('no-cross-tenant-dma');
  });

  it('recycle-at-zero: the fixed kernel keeps the PASID held by the bound mm at exit', () => {
    const t = readTraceFile(RECYCLE);
    const r = replaySteps(t.scope.scope, t.design.rules, t.steps);
    expect(r.steps.at(-1)!.violated).toContain('recycle-at-zero');
    expect(r.steps.flatMap((s) => s.kernelViolated)).toEqual([]);
  });

  it('the CLI says the reference kernel defeats it, and exits 1 on the divergence', () => {
    const out = replayCommand({ file: CROSS });
    expect(out.exit).toBe(1);
    expect(out.text).toContain('the kernel (reference design) defeats this trace');
    expect(out.text).toContain('first divergence at step 6: the model returns ok:2, the kernel idle');
  });

  it('the fixed kernel agrees with the fixed model along both traces, witness steps included', () => {
    for (const file of [CROSS, RECYCLE]) {
      const r = replaySteps(SVA, REFERENCE_RULES, readTraceFile(file).steps);
      // the trace's own results are the flawed model's: only those may differ
      expect(r.steps.flatMap((s) => s.divergences).filter((d) => d.kind !== 'expected'), file).toEqual([]);
      expect(r.steps.flatMap((s) => [...s.violated, ...s.kernelViolated]), file).toEqual([]);
    }
  });

  it('with the 2022 switch the kernel parts from the fixed model at exit, where __mmput frees the PASID', () => {
    for (const file of [CROSS, RECYCLE]) {
      const r = replaySteps(SVA, REFERENCE_RULES, readTraceFile(file).steps, kernel2022());
      const exitStep = r.steps.find((s) => s.action.type === 'exit')!;
      expect(r.divergence, file).toBe(exitStep.index);
      expect(exitStep.divergences.map((d) => d.kind)).toEqual(['state']);
      expect(exitStep.kernelViolated).toContain('recycle-at-zero');
      expect(exitStep.violated).toEqual([]);
    }
  });

  it('the kernel with the 2022 switch and the sva-free-at-mmput model agree at every step of both traces', () => {
    for (const file of [CROSS, RECYCLE]) {
      const t = readTraceFile(file);
      const ls = startLockstep(SVA, BUG.rules, kernelFor(SVA, BUG.rules));
      const reports = t.steps.map((s) => lockstep(ls, s.action));
      // the model's own violations are the point of the trace; everything else must agree
      for (const r of reports) {
        expect(r.kernel, file).toBe(r.model);
        expect(r.stateDiff, file).toBeNull();
        expect(r.kernelViolated, file).toEqual(r.violated);
        expect(r.bookkeeping, file).toEqual([]);
      }
      expect(reports.at(-1)!.kernel).toBe(t.steps.at(-1)!.expected);
    }
  });
});

describe('seeded walks at the sva scope (SVA actions included)', () => {
  it('the fixed kernel conforms to the reference model', () => {
    expect(walkCase(SVA, 100, 60, 13)).toMatchObject({ status: 'pass' });
  });

  it('the kernel with the 2022 switch conforms to the sva-free-at-mmput model, violations and all', () => {
    // walkCase stops at the first model violation; the bug's walks run on through theirs
    const rng = new Prng(13);
    const cands = scopeCandidates(SVA, BUG.rules);
    let violating = 0;
    for (let w = 0; w < 100; w++) {
      const ls = startLockstep(SVA, BUG.rules, kernelFor(SVA, BUG.rules));
      for (let i = 0; i < 60; i++) {
        const moving = cands.filter((a) => step(SVA, BUG.rules, ls.state, a).state !== ls.state);
        const r = lockstep(ls, moving.length > 0 ? moving[rng.int(moving.length)]! : cands[rng.int(cands.length)]!);
        const where = `walk ${w + 1}, step ${i + 1}: ${formatAction(r.action)}`;
        expect({ kernel: r.kernel, stateDiff: r.stateDiff, kernelViolated: r.kernelViolated, bookkeeping: r.bookkeeping }, where)
          .toEqual({ kernel: r.model, stateDiff: null, kernelViolated: r.violated, bookkeeping: [] });
        if (r.violated.length > 0) violating++;
      }
    }
    expect(violating).toBeGreaterThan(0); // the walks do reach the bug
  });

  it('a kernel with the 2022 switch does not conform to the reference model', () => {
    const c = walkCase(SVA, 100, 60, 13, () => kernel2022());
    expect(c.status).toBe('fail');
  });
});

describe('replay --kernel-param sva_free_at_mmput=true', () => {
  it('runs the 2022 kernel against the fixed model: the state parts at step 3, the kernel breaks what the model keeps', () => {
    const out = replayCommand({ file: CROSS, design: presetDesign('reference'), kernelParams: { sva_free_at_mmput: true } });
    const j = out.json as { implementation: string; divergence: number; kernelViolated: string[]; violated: string[] };
    expect(out.exit).toBe(1);
    expect(j.implementation).toBe('kernel (reference, sva_free_at_mmput=true)');
    expect(j.divergence).toBe(3);
    expect(j.violated).toEqual([]);
    expect(j.kernelViolated).toEqual(['recycle-at-zero', 'no-cross-tenant-dma']);
  });

  it('against the sva-free-at-mmput model the 2022 kernel agrees at every step', () => {
    const out = replayCommand({ file: CROSS, kernelParams: { sva_free_at_mmput: true } });
    const j = out.json as { divergence: number | null; kernelViolated: string[]; violated: string[] };
    expect(j.divergence).toBeNull();
    expect(j.kernelViolated).toEqual(j.violated);
  });
});

/**
 * A trace run on the model (the trace's variant) and on the kernel (the
 * reference, or the module parameters implementing the design; never the
 * 2022 bug switch, see replayParamsFor), step by step: both results, the result
 * the file expects, the invariants each side's state violates, and every
 * divergence. Under a flawed variant the two sides are expected to part where
 * the kernel defeats the attack; that is still reported as a divergence.
 */
import { type AnyAction as Action, type InvariantName, type Result, type Rules, type Scope, actionArgs } from '../../model/index';
import { IoasidKernel } from '../kernel/index';
import { replayParamsFor } from './kernelConfig';
import type { TraceStep } from '../trace/itf';
import { lockstep, startLockstep } from './lockstep';

export type DivergenceKind = 'expected' | 'kernel' | 'state' | 'crash' | 'bookkeeping';

export interface Divergence {
  readonly index: number;
  readonly kind: DivergenceKind;
  readonly detail: string;
}

export interface ReplayedStep {
  /** 1-based, as the ITF state index (state 0 is init) */
  readonly index: number;
  readonly action: Action;
  readonly args: Readonly<Record<string, number>>;
  readonly model: Result;
  readonly kernel: Result;
  /** the result the trace file states; null when it states none */
  readonly expected: Result | null;
  /** invariants violated on the model state after the step */
  readonly violated: readonly InvariantName[];
  /** invariants violated on the abstracted kernel state after the step */
  readonly kernelViolated: readonly InvariantName[];
  readonly divergences: readonly Divergence[];
}

export interface Replay {
  readonly rules: Rules;
  /** the kernel runs with module parameters implementing `rules` (else as the reference, to defeat them) */
  readonly kernelImplements: boolean;
  readonly steps: readonly ReplayedStep[];
  /** the first step with a divergence, or null */
  readonly divergence: number | null;
  /** no divergence and no invariant violated on either side */
  readonly ok: boolean;
}

export function replaySteps(scope: Scope, rules: Rules, input: readonly TraceStep[], kernel?: IoasidKernel): Replay {
  const params = replayParamsFor(rules);
  const ls = startLockstep(scope, rules, kernel ?? new IoasidKernel(scope, params));
  const implemented = params !== undefined;
  const steps = input.map((x, i): ReplayedStep => {
    const index = i + 1;
    const r = lockstep(ls, x.action);
    const d: Divergence[] = [];
    const add = (kind: DivergenceKind, detail: string): void => void d.push({ index, kind, detail });
    if (x.expected !== undefined && r.model !== x.expected) add('expected', `the model returns ${r.model}, the trace expects ${x.expected}`);
    if (r.crash !== undefined) add('crash', `the kernel threw: ${r.crash}`);
    else if (r.model !== r.kernel) add('kernel', `the model returns ${r.model}, the kernel ${r.kernel}`);
    // The refinement mapping is claimed only for the designs the kernel implements.
    if (implemented && r.crash === undefined && r.stateDiff !== null) add('state', r.stateDiff);
    if (r.bookkeeping.length > 0) add('bookkeeping', r.bookkeeping.join('; '));
    return {
      index,
      action: x.action,
      args: actionArgs(x.action),
      model: r.model,
      kernel: r.kernel,
      expected: x.expected ?? null,
      violated: r.violated,
      kernelViolated: r.kernelViolated,
      divergences: d,
    };
  });
  const first = steps.find((s) => s.divergences.length > 0);
  const violation = steps.some((s) => s.violated.length > 0 || s.kernelViolated.length > 0);
  return { rules, kernelImplements: implemented, steps, divergence: first ? first.index : null, ok: !first && !violation };
}

/**
 * One action on the model and on the kernel side by side, and everything the
 * conformance check compares afterwards: the two results, the normalized
 * states (refinement: normalize(abstract(kernel)) == normalize(model)), the
 * invariants on the abstracted kernel state and the kernel's own bookkeeping.
 * Used by the model-based tests, `replay` and `check`.
 */
import { IoasidKernel, type KernelSnapshot } from '../kernel/index';
import {
  type AnyAction as Action,
  INVARIANTS,
  type InvariantName,
  type Result,
  type Scope,
  type State,
  type Rules,
  REFERENCE_RULES,
  initialState,
  step,
  violated,
} from '../../model/index';
import { abstractKernel } from './abstraction';
import { kernelFor } from './kernelConfig';
import { runOnKernel } from './adapter';
import { kernelBookkeeping } from './bookkeeping';
import { firstDifference } from './diff';
import { normalize } from './normalize';

export interface Lockstep {
  readonly scope: Scope;
  /** the design the model runs */
  readonly rules: Rules;
  readonly kernel: IoasidKernel;
  /** the model state after the last step */
  state: State;
  /** steps taken so far */
  steps: number;
}

export interface StepReport {
  readonly action: Action;
  readonly model: Result;
  readonly kernel: Result;
  /** the model state after the step */
  readonly state: State;
  /** invariants violated on the model state */
  readonly violated: readonly InvariantName[];
  /** invariants violated on the abstracted kernel state */
  readonly kernelViolated: readonly InvariantName[];
  /** where normalize(abstract(kernel)) first differs from normalize(model); null: equal */
  readonly stateDiff: string | null;
  /** kernel bookkeeping the model cannot see, if broken */
  readonly bookkeeping: readonly string[];
  /** the kernel threw (a WARN_ON): the message */
  readonly crash?: string;
}

/** A fresh model state and kernel; `kernel` lets tests plant a bug in the implementation. */
export function startLockstep(scope: Scope, rules: Rules = REFERENCE_RULES, kernel = kernelFor(scope, rules)): Lockstep {
  return { scope, rules, kernel, state: initialState(scope), steps: 0 };
}

/** Where the kernel's abstracted state differs from the model's, or null. */
export function compareStates(scope: Scope, model: State, snap: KernelSnapshot): { abstract: State; diff: string | null } {
  const abstract = abstractKernel(scope, snap);
  return { abstract, diff: firstDifference(normalize(abstract), normalize(model)) };
}

/** The invariants violated on an abstracted kernel state; one that cannot even be read (a dangling reference) counts as violated. */
export function kernelInvariants(scope: Scope, s: State): InvariantName[] {
  return INVARIANTS.filter((inv) => {
    try {
      return !inv.holds(scope, s);
    } catch {
      return true;
    }
  }).map((inv) => inv.name);
}

/** Takes `action` on both sides and compares. Never throws: a kernel throw is reported as `crash`. */
export function lockstep(ls: Lockstep, action: Action): StepReport {
  const r = stepBoth(ls.scope, ls.rules, ls.state, ls.kernel, action);
  ls.state = r.state;
  ls.steps++;
  return r;
}

/** `action` on the model from `state` (pure) and on `kernel` (changed in place), compared. */
export function stepBoth(scope: Scope, rules: Rules, state: State, kernel: IoasidKernel, action: Action): StepReport {
  const o = step(scope, rules, state, action);
  const modelViolated = violated(scope, o.state);
  let result: Result;
  try {
    result = runOnKernel(kernel, action);
  } catch (e) {
    const crash = (e as Error)?.message ?? String(e);
    const base = { action, model: o.result, kernel: 'crash', state: o.state, violated: modelViolated };
    return { ...base, kernelViolated: [], stateDiff: `kernel threw: ${crash}`, bookkeeping: [], crash };
  }
  const snap = kernel.debugfs();
  const { abstract, diff } = compareStates(scope, o.state, snap);
  return {
    action,
    model: o.result,
    kernel: result,
    state: o.state,
    violated: modelViolated,
    kernelViolated: kernelInvariants(scope, abstract),
    stateDiff: diff,
    bookkeeping: kernelBookkeeping(snap),
  };
}

/** Why this step breaks conformance to the reference model (results, states, invariants), or null. */
export function divergence(r: StepReport): string | null {
  if (r.crash !== undefined) return `the kernel threw: ${r.crash}`;
  if (r.model !== r.kernel) return `results differ: model ${r.model}, kernel ${r.kernel}`;
  if (r.stateDiff !== null) return `states differ: ${r.stateDiff}`;
  if (r.kernelViolated.length > 0) return `the abstracted kernel state violates ${r.kernelViolated.join(', ')}`;
  if (r.violated.length > 0) return `the model state violates ${r.violated.join(', ')}`;
  if (r.bookkeeping.length > 0) return `kernel bookkeeping: ${r.bookkeeping.join('; ')}`;
  return null;
}

/**
 * Why this step breaks conformance to a flawed model the kernel reproduces
 * (the 2022 SVA switch against sva-free-at-mmput), or null: results, states
 * and bookkeeping as `divergence`, and the kernel's abstracted state must
 * violate exactly the invariants the model's does, no more and no fewer.
 */
export function mirrorDivergence(r: StepReport): string | null {
  if (r.crash !== undefined) return `the kernel threw: ${r.crash}`;
  if (r.model !== r.kernel) return `results differ: model ${r.model}, kernel ${r.kernel}`;
  if (r.stateDiff !== null) return `states differ: ${r.stateDiff}`;
  if (r.kernelViolated.join() !== r.violated.join()) return `the abstracted kernel state violates ${r.kernelViolated.join(', ') || 'nothing'}, the model state ${r.violated.join(', ') || 'nothing'}`;
  if (r.bookkeeping.length > 0) return `kernel bookkeeping: ${r.bookkeeping.join('; ')}`;
  return null;
}

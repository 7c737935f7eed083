/**
 * A trace run through the model, step by step, as people read it: the call,
 * its result, what it changed, and which invariants broke there.
 */
import {
  type AnyAction as Action,
  type InvariantName,
  type Result,
  type Scope,
  type State,
  type Rules,
  actionArgs,
  initialState,
  step,
  violated,
} from '../../model/index';
import { stateChanges } from './changes';
import { IoasidNamer } from './ioasidNames';

export interface ShownStep {
  /** 1-based, as in the trace (state 0 is init) */
  readonly index: number;
  readonly action: Action;
  readonly args: Readonly<Record<string, number>>;
  readonly result: Result;
  /** the result the trace file states, if any */
  readonly expected?: Result;
  readonly changes: readonly string[];
  /** every invariant violated in the state after the step */
  readonly violated: readonly InvariantName[];
  /** the ones that held before the step: they broke here */
  readonly broke: readonly InvariantName[];
  readonly before: State;
  readonly after: State;
  /** a witness step: after the violation, showing the breach (#meta.witness) */
  readonly witness: boolean;
}

export interface StepInput {
  readonly action: Action;
  readonly expected?: Result;
}

/** `witnessFrom`: steps after this many are witness steps. */
export function showSteps(scope: Scope, rules: Rules, input: readonly StepInput[], witnessFrom = input.length): ShownStep[] {
  let s = initialState(scope);
  let bad = violated(scope, s);
  const names = new IoasidNamer(scope);
  return input.map((x, i) => {
    const o = step(scope, rules, s, x.action);
    const now = violated(scope, o.state);
    const shown: ShownStep = {
      index: i + 1,
      action: x.action,
      args: actionArgs(x.action),
      result: o.result,
      ...(x.expected !== undefined ? { expected: x.expected } : {}),
      changes: stateChanges(scope, s, o.state, names.step(s, o.state)),
      violated: now,
      broke: now.filter((n) => !bad.includes(n)),
      before: s,
      after: o.state,
      witness: i >= witnessFrom,
    };
    s = o.state;
    bad = now;
    return shown;
  });
}

/** The JSON form of a step: data only, no model states. */
export function stepJson(s: ShownStep): object {
  return {
    index: s.index,
    action: s.action.type,
    args: s.args,
    result: s.result,
    ...(s.expected !== undefined ? { expected: s.expected } : {}),
    changes: s.changes,
    violated: s.violated,
    broke: s.broke,
    ...(s.witness ? { witness: true } : {}),
  };
}

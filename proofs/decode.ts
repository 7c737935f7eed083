/**
 * Reading a solver's model back into the model's vocabulary: States, Actions
 * and result strings, and checking a decoded step against model/step.ts.
 */
import { isDeepStrictEqual } from 'node:util';
import { type AnyAction, type Result, type State, step } from '../model/index';
import type { Encoding } from './symstep';
import { type SymState, type ValState, fromVal, leaves, unflatten } from './symstate';
import type { Transition } from './transition';
import type { Mdl } from './z3';

export function decodeState(enc: Encoding, m: Mdl, s: SymState): State {
  const vals = leaves(s).map((l) => enc.sm.leafIn(m, l));
  return fromVal(enc.lay, unflatten<boolean, number>(enc.lay, vals, 0) as ValState);
}

export interface DecodedStep {
  readonly pre: State;
  readonly action: AnyAction;
  readonly result: Result;
  readonly post: State;
}

/** The step a model picks in a transition; `functional`: read post and result from their terms, not constants. */
export function decodeStep(enc: Encoding, m: Mdl, tr: Transition, functional = false): DecodedStep {
  const sel = enc.sm.intIn(m, tr.sel);
  const action = tr.actions[sel];
  if (!action) throw new Error(`decoded selector ${sel} is out of range`);
  return {
    pre: decodeState(enc, m, tr.pre),
    action,
    result: enc.codes.string(enc.sm.intIn(m, functional ? tr.resTerm : tr.res)),
    post: decodeState(enc, m, functional ? tr.postTerm : tr.post),
  };
}

/**
 * Whether model/step.ts takes `pre` by `action` to `post` with `result`; null
 * when step() throws on `pre` (a state no run reaches: the model assumes its
 * own invariants).
 */
export function modelAgrees(enc: Encoding, d: DecodedStep): boolean | null {
  try {
    const o = step(enc.lay.scope, enc.lay.rules, d.pre, d.action);
    return o.result === d.result && isDeepStrictEqual(o.state, d.post);
  } catch {
    return null;
  }
}

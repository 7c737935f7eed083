/**
 * Explicit-state outcome search: a breadth-first walk of every reachable
 * state of a design at a scope (the explorer's canonical encoding, so the
 * same state space `explore` counts), trying `probes` in each and keeping,
 * for every (action type, result) a probe returns, the first trace that
 * produces it. States are expanded in order of depth, so each trace is a
 * shortest one; a pair never met is produced by no trace at this scope
 * (exhaustively, not by a proof that holds at every scope).
 *
 * Used for the SVA actions of DESIGN.md §10, which the Z3 encoding does not
 * cover (proofs/outcomes.ts covers §3).
 */
import {
  type AnyAction,
  type AnyActionType,
  type Result,
  type Rules,
  type Scope,
  type State,
  initialState,
  scopeCandidates,
  step,
} from '../../model/index';
import { decode } from './decode';
import { Encoder } from './encode';
import { StateStore } from './store';

export interface OutcomeHit {
  readonly type: AnyActionType;
  readonly result: Result;
  /** from the initial state; the last action returns `result` */
  readonly actions: readonly AnyAction[];
}

export interface OutcomeSearch {
  /** in order of discovery: shortest first */
  readonly hits: readonly OutcomeHit[];
  /** reachable states walked */
  readonly states: number;
  readonly seconds: number;
}

/** A result as a pair counts it: a positive number (a PASID, an fd, a handle) is 'N'. */
export const outcomeResult = (result: Result): Result => (/^[1-9]/.test(result) ? 'N' : result);

export function searchOutcomes(scope: Scope, rules: Rules, probes: readonly AnyAction[]): OutcomeSearch {
  const t0 = performance.now();
  const moves = scopeCandidates(scope, rules);
  const enc = new Encoder(scope);
  const store = new StateStore();
  const parent: number[] = [-1];
  const via: number[] = [-1];
  const init = initialState(scope);
  enc.encode(init);
  store.intern(enc.words, enc.nWords);
  const path = (index: number): AnyAction[] => {
    const out: AnyAction[] = [];
    for (let i = index; parent[i]! >= 0; i = parent[i]!) out.push(moves[via[i]!]!);
    return out.reverse();
  };
  const seen = new Set<string>();
  const hits: OutcomeHit[] = [];
  let frontier = [0];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const from of frontier) {
      const s: State = from === 0 ? init : decode(scope, store.encoding(from));
      for (const p of probes) {
        const result = outcomeResult(step(scope, rules, s, p).result);
        const key = `${p.type} ${result}`;
        if (seen.has(key)) continue;
        seen.add(key);
        hits.push({ type: p.type, result, actions: [...path(from), p] });
      }
      for (let a = 0; a < moves.length; a++) {
        const t = step(scope, rules, s, moves[a]!).state;
        if (t === s) continue;
        enc.encode(t);
        const index = store.intern(enc.words, enc.nWords);
        if (!store.added) continue;
        parent.push(from);
        via.push(a);
        next.push(index);
      }
    }
    frontier = next;
  }
  return { hits, states: store.size, seconds: (performance.now() - t0) / 1000 };
}

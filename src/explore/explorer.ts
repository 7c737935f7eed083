/**
 * Exhaustive breadth-first search of a scope under a variant.
 *
 * Every reachable state is checked against every invariant; the search goes on
 * after a violation so that each invariant gets either `holds` or the depth of
 * its first violation, which in BFS order is the length of its shortest
 * violating trace. Only calls that change the state are followed (a failed
 * call returns its input state, see model/step.ts).
 */
import {
  type Action,
  INVARIANTS,
  type InvariantName,
  type Scope,
  type State,
  type Variant,
  candidateActions,
  initialState,
  step,
} from '../../model/index';
import { Encoder } from './encode';
import { StateStore } from './store';

export interface Violation {
  readonly invariant: InvariantName;
  /** actions from the initial state to the first violating state */
  readonly actions: readonly Action[];
}

export interface ExploreResult {
  readonly variant: Variant;
  readonly states: number;
  /** state-changing calls followed (edges, including those to known states) */
  readonly transitions: number;
  /** calls tried in all, failed ones included */
  readonly calls: number;
  /** the BFS depth of the deepest state */
  readonly depth: number;
  readonly seconds: number;
  /** bytes held by the state store at the end */
  readonly storeBytes: number;
  readonly violations: ReadonlyMap<InvariantName, Violation>;
}

export interface ExploreOptions {
  /** the actions to try in each state (default: candidateActions) */
  readonly actions?: readonly Action[];
  /** called after each BFS layer */
  readonly onLayer?: (p: { depth: number; states: number; frontier: number; seconds: number }) => void;
  /** stop after this many states (the result then says nothing beyond) */
  readonly maxStates?: number;
}

export function explore(scope: Scope, variant: Variant, opts: ExploreOptions = {}): ExploreResult {
  const t0 = performance.now();
  const actions = opts.actions ?? candidateActions(scope, variant);
  const enc = new Encoder(scope);
  const store = new StateStore();
  const parent: number[] = [];
  const via: number[] = [];
  const firstBad = new Map<InvariantName, number>();
  const check = (s: State, index: number): void => {
    for (const inv of INVARIANTS) if (!firstBad.has(inv.name) && !inv.holds(scope, s)) firstBad.set(inv.name, index);
  };

  const init = initialState(scope);
  enc.encode(init);
  store.intern(enc.buf, enc.len);
  parent.push(-1);
  via.push(-1);
  check(init, 0);

  let frontier: State[] = [init];
  let frontierIdx: number[] = [0];
  let depth = 0;
  let transitions = 0;
  let calls = 0;
  const max = opts.maxStates ?? Infinity;
  while (frontier.length > 0 && store.size < max) {
    const next: State[] = [];
    const nextIdx: number[] = [];
    for (let k = 0; k < frontier.length; k++) {
      const s = frontier[k]!;
      for (let a = 0; a < actions.length; a++) {
        calls++;
        const t = step(scope, variant, s, actions[a]!).state;
        if (t === s) continue;
        transitions++;
        enc.encode(t);
        const { index, added } = store.intern(enc.buf, enc.len);
        if (!added) continue;
        parent.push(frontierIdx[k]!);
        via.push(a);
        check(t, index);
        next.push(t);
        nextIdx.push(index);
      }
    }
    if (next.length > 0) depth++;
    frontier = next;
    frontierIdx = nextIdx;
    opts.onLayer?.({ depth, states: store.size, frontier: next.length, seconds: (performance.now() - t0) / 1000 });
  }

  const pathTo = (index: number): Action[] => {
    const out: Action[] = [];
    for (let i = index; parent[i]! >= 0; i = parent[i]!) out.push(actions[via[i]!]!);
    return out.reverse();
  };
  const violations = new Map<InvariantName, Violation>();
  for (const inv of INVARIANTS) {
    const at = firstBad.get(inv.name);
    if (at !== undefined) violations.set(inv.name, { invariant: inv.name, actions: pathTo(at) });
  }
  return {
    variant,
    states: store.size,
    transitions,
    calls,
    depth,
    seconds: (performance.now() - t0) / 1000,
    storeBytes: store.bytes() + parent.length * 8,
    violations,
  };
}

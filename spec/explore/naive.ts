import { VARIANTS } from '../../model/variants';
/**
 * A deliberately naive explorer for cross-checking the real one: BFS keyed by
 * JSON.stringify of the whole state, no canonical encoding, no merges.
 */
import { type AnyAction as Action, INVARIANTS, type InvariantName, type Scope, type State, type Variant, initialState, step } from '../../model/index';

export interface NaiveResult {
  readonly statesPerDepth: number[];
  readonly firstViolation: Partial<Record<InvariantName, number>>;
}

export function naiveExplore(scope: Scope, variant: Variant, actions: readonly Action[], maxDepth: number): NaiveResult {
  const seen = new Set<string>();
  const init = initialState(scope);
  seen.add(JSON.stringify(init));
  const firstViolation: Partial<Record<InvariantName, number>> = {};
  const check = (s: State, depth: number): void => {
    for (const inv of INVARIANTS) if (firstViolation[inv.name] === undefined && !inv.holds(scope, s)) firstViolation[inv.name] = depth;
  };
  check(init, 0);
  const statesPerDepth = [1];
  let frontier = [init];
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const next: State[] = [];
    for (const s of frontier) {
      for (const a of actions) {
        const t = step(scope, VARIANTS[variant].rules, s, a).state;
        const key = JSON.stringify(t);
        if (seen.has(key)) continue;
        seen.add(key);
        check(t, depth);
        next.push(t);
      }
    }
    statesPerDepth.push(seen.size);
    frontier = next;
  }
  return { statesPerDepth, firstViolation };
}

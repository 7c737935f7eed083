/**
 * Shrinking a walk that violates an invariant: drop the calls that changed
 * nothing (the model returns the very same state for them, so the rest of
 * the walk is unchanged), then delete ever smaller chunks of steps while the
 * walk still reaches a violating state, cutting it at its first violation.
 * The result is 1-minimal (no single step can be deleted) unless the budget
 * of model steps runs out first.
 */
import { type Action, type Invariant, type Scope, type Rules, initialState, step } from '../../model/index';

export function shrinkWalk(scope: Scope, rules: Rules, inv: Invariant, walk: readonly Action[], budget = 500_000): Action[] {
  let spent = 0;
  /** steps up to the first violating state, or -1 if none violates */
  const firstViolation = (xs: readonly Action[]): number => {
    let s = initialState(scope);
    if (!inv.holds(scope, s)) return 0;
    for (let i = 0; i < xs.length; i++) {
      spent++;
      s = step(scope, rules, s, xs[i]!).state;
      if (!inv.holds(scope, s)) return i + 1;
    }
    return -1;
  };
  const k = firstViolation(walk);
  if (k < 0) throw new Error(`bug: shrinkWalk given a walk that does not violate ${inv.name}`);
  let cur = withoutNoops(scope, rules, walk.slice(0, k));
  let chunk = Math.max(1, cur.length >> 1);
  for (;;) {
    let changed = false;
    for (let i = 0; i < cur.length && spent < budget; ) {
      const cand = [...cur.slice(0, i), ...cur.slice(i + chunk)];
      const at = firstViolation(cand);
      if (at >= 0) {
        cur = cand.slice(0, at);
        changed = true;
      } else {
        i += chunk;
      }
    }
    if (spent >= budget) return cur;
    if (chunk > 1) chunk >>= 1;
    else if (!changed) return cur;
  }
}

function withoutNoops(scope: Scope, rules: Rules, walk: readonly Action[]): Action[] {
  let s = initialState(scope);
  return walk.filter((a) => {
    const t = step(scope, rules, s, a).state;
    const changes = t !== s;
    s = t;
    return changes;
  });
}

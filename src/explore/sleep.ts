/**
 * The explorer's partial-order reduction, shared by the sequential BFS
 * (explorer.ts) and the parallel one (bfsWorker.ts).
 */
import type { AnyAction as Action } from '../../model/actions';
import { independent } from '../../model/independence';
import type { Rules } from '../../model/rules';
import type { Scope } from '../../model/scope';

/**
 * Sleep sets of depth one (after Godefroid's sleep sets, 1996), arranged so
 * that they change nothing the BFS reports.
 *
 * Let state x be first reached from p by call v (its BFS parent and call) and
 * let u come before v in the candidate order and be independent of v
 * (model/independence.ts). Then x need not try u:
 *  - if u changes p, the BFS met (p, u) before (p, v), so p.u was numbered
 *    before x; v changes p.u and (p.u).v is x.u, so the BFS reaches x.u from
 *    p.u before it would from x: (x, u) is never the first call to reach a
 *    state;
 *  - if u does not change p, it does not change x either.
 * So skipping (x, u) changes no state's number, parent or call, and so no
 * count, depth, first violation or trace: u is still counted as a call, and
 * as a transition iff it changed p (which the BFS remembers per state of the
 * level before). Here p, x and p.u are the states the explorer holds (decoded
 * from their encodings); that the relation gives the above for them, in every
 * design, is what spec/explore/independence.test.ts checks state by state.
 * It holds under notifier-cleanup's order-free encoding too: no call but
 * `deliver`, which is independent of nothing, reads the order of the FIFO.
 * Not with a custom step (tests plant bugs), which the relation knows nothing of.
 *
 * Row v of `bits` (`words` words) has bit u set for each such u < v.
 */
export function sleepSets(scope: Scope, rules: Rules, actions: readonly Action[]): { bits: Uint32Array; words: number } {
  const words = Math.ceil(actions.length / 32);
  const bits = new Uint32Array(actions.length * words);
  for (let v = 0; v < actions.length; v++) {
    for (let u = 0; u < v; u++) if (independent(scope, rules, actions[u]!, actions[v]!)) bits[v * words + (u >>> 5)]! |= 1 << (u & 31);
  }
  return { bits, words };
}

/**
 * The explorer's partial-order reduction, shared by the sequential BFS
 * (explorer.ts) and the parallel one (bfsWorker.ts).
 */
import type { AnyAction as Action } from '../../model/actions';
import { absorbs, allocCandidate, allocUndone, drainCandidate, drainsEnqcmd, returnCandidate, returnsToParent } from '../../model/absorption';
import { actor, enqcmdPasidSafeFrom, independent, independentIfSafe } from '../../model/independence';
import type { Rules } from '../../model/rules';
import type { Scope } from '../../model/scope';
import type { State } from '../../model/state';

/**
 * Sleep sets (Godefroid, 1996), arranged so that they change nothing the BFS
 * reports.
 *
 * A state x first reached from p by call v (its BFS parent and call) sleeps
 * on the calls u independent of v (model/independence.ts) that come before v
 * in the candidate order or that p slept on. It need not try them:
 *  - if u changes p, then p.u was numbered before x: when u < v because the
 *    BFS met (p, u) before (p, v); when p slept on u because, by the same
 *    argument one level up, p.u was reached from a state numbered before p.
 *    v changes p.u and (p.u).v is x.u, so the BFS reaches x.u from p.u before
 *    it would from x: (x, u) is never the first call to reach a state;
 *  - if u does not change p, it does not change x either.
 * So skipping (x, u) changes no state's number, parent or call, and so no
 * count, depth, first violation or trace: u is still counted as a call, and
 * as a transition iff it changed p (which the BFS remembers per state of the
 * level before, with the sleep sets). Here p, x and p.u are the states the
 * explorer holds (decoded from their encodings); that the relation gives the
 * above for them, in every design, is what spec/explore/independence.test.ts
 * checks state by state. It holds under notifier-cleanup's order-free
 * encoding too: no call but `deliver`, which is independent of nothing, reads
 * the order of the FIFO. Not with a custom step (tests plant bugs), which the
 * relation knows nothing of.
 */
export interface SleepSets {
  /** words per set of calls */
  readonly words: number;
  /** row v: the calls u < v independent of v */
  readonly before: Uint32Array;
  /** row v: every call independent of v */
  readonly independent: Uint32Array;
  /** row v: every call that undoes v (model/absorption.ts) */
  readonly absorbing: Uint32Array;
  /**
   * Per process q (index q-1), rows as `before` and `independent` of the
   * pairs independentIfSafe relates with u a call of q: they commute in a
   * state v reached iff safe[v](state, q) (enqcmdPasidSafeFrom).
   */
  readonly beforeIfSafe: readonly Uint32Array[];
  readonly independentIfSafe: readonly Uint32Array[];
  /** per call v with such pairs, the test; null for the others */
  readonly safe: readonly (((s: State, q: number) => boolean) | null)[];
  /**
   * Per call v, the calls u that undo it in some states only, with the test
   * of a state v reached: u drains what v queued (drainsEnqcmd), undoes an
   * alloc (allocUndone), or takes the state back to v's parent
   * (returnsToParent: `toParent`, whether or not u changed the parent).
   */
  readonly undoesIn: readonly (readonly { readonly u: number; readonly test: (s: State) => boolean; readonly toParent: boolean }[])[];
}

/*
 * Absorbed calls, the second reduction. A state x first reached from p by
 * call v need not try a call u that undoes v (absorbs(u, v), or in x one of
 * undoesIn[v]: p.v.u encodes as p.u) and that changed p: x.u is p.u, and p.u
 * was numbered before x's level was expanded (found when p was, or, if
 * (p, u) was skipped there, earlier by the same arguments); nor one that
 * takes x back to p itself (`toParent`), numbered before x. So (x, u) is
 * counted as a call and as a transition (u changes x) and reaches no new
 * state: skipping it changes no number, parent or call. The sleep sets need
 * to know that u changed x, and the explorer records it as for a call asleep.
 */

export function sleepSets(scope: Scope, rules: Rules, actions: readonly Action[]): SleepSets {
  const n = actions.length;
  const words = Math.ceil(n / 32);
  const rows = (): Uint32Array => new Uint32Array(n * words);
  const before = rows();
  const all = rows();
  const absorbing = rows();
  const beforeIfSafe = Array.from({ length: scope.procs }, rows);
  const allIfSafe = Array.from({ length: scope.procs }, rows);
  const safe: (((s: State, q: number) => boolean) | null)[] = actions.map(() => null);
  const undoesIn = actions.map(() => [] as { u: number; test: (s: State) => boolean; toParent: boolean }[]);
  for (let v = 0; v < n; v++) {
    const y = actions[v]!;
    for (let u = 0; u < n; u++) {
      if (u === v) continue;
      const x = actions[u]!;
      const at = v * words + (u >>> 5);
      const bit = 1 << (u & 31);
      if (absorbs(scope, rules, x, y)) absorbing[at]! |= bit;
      else if (drainCandidate(x, y)) undoesIn[v]!.push({ u, test: (s) => drainsEnqcmd(scope, rules, s, x, y), toParent: false });
      else if (allocCandidate(rules, x, y)) undoesIn[v]!.push({ u, test: (s) => allocUndone(scope, s, y), toParent: false });
      else if (returnCandidate(x, y)) undoesIn[v]!.push({ u, test: (s) => returnsToParent(scope, s, x, y), toParent: true });
      let earlier = before;
      let any = all;
      if (!independent(scope, rules, x, y)) {
        if (!independentIfSafe(scope, rules, x, y)) continue;
        earlier = beforeIfSafe[actor(scope, x) - 1]!;
        any = allIfSafe[actor(scope, x) - 1]!;
        safe[v] ??= (s, q) => enqcmdPasidSafeFrom(scope, s, y, q);
      }
      any[at]! |= bit;
      if (u < v) earlier[at]! |= bit;
    }
  }
  return { words, before, independent: all, absorbing, beforeIfSafe, independentIfSafe: allIfSafe, safe, undoesIn };
}

/** The calls absorbed in state `x` first reached by call `v` from a state that `parentEnabled[pAt..]` changed: into out[at..]. */
export function absorbedAfter(z: SleepSets, x: State, v: number, parentEnabled: Uint32Array, pAt: number, out: Uint32Array, at: number): void {
  const r = v * z.words;
  for (let w = 0; w < z.words; w++) out[at + w] = z.absorbing[r + w]! & parentEnabled[pAt + w]!;
  for (const { u, test, toParent } of z.undoesIn[v]!) {
    const w = u >>> 5;
    const bit = 1 << (u & 31);
    if ((toParent || (parentEnabled[pAt + w]! & bit) !== 0) && test(x)) out[at + w]! |= bit;
  }
}

/** The sleep set of state `x` first reached by call `v` from a state sleeping on parent[pAt..]: into out[at..]. */
export function sleepAfter(z: SleepSets, x: State, v: number, parent: Uint32Array, pAt: number, out: Uint32Array, at: number): void {
  const r = v * z.words;
  for (let w = 0; w < z.words; w++) out[at + w] = z.before[r + w]! | (parent[pAt + w]! & z.independent[r + w]!);
  const safe = z.safe[v];
  if (safe === null || safe === undefined) return;
  for (let q = 0; q < z.beforeIfSafe.length; q++) {
    if (!safe(x, q + 1)) continue;
    const b = z.beforeIfSafe[q]!;
    const i = z.independentIfSafe[q]!;
    for (let w = 0; w < z.words; w++) out[at + w]! |= b[r + w]! | (parent[pAt + w]! & i[r + w]!);
  }
}

/**
 * ▶ outcomes(scope): solver-driven outcome coverage of the `reference` model.
 *
 * The pairs are every (action type, result) that some action of that type, with
 * arguments anywhere in allActions (0..n+1), can return according to the
 * symbolic step's result cases. For each, Z3 finds a shortest trace: k steps of
 * candidate actions, then one action of that type returning that result
 * (iterative deepening over k, so k is least). Each trace is replayed on the
 * model: `replayed` says its last step returns the claimed result, so the
 * trace can be replayed against the kernel as well.
 *
 * A pair not found within `depth` steps is reported with the depth searched,
 * or, when the reference invariants are proved inductive (prove()), as
 * unproducible at any depth if no state satisfying them lets the last action
 * return that result.
 */
import { REFERENCE_RULES } from '../model/rules';
import {
  type AnyAction,
  type AnyActionType,
  type Result,
  type Scope,
  actionTypesOf,
  allScopeActions,
  initialState,
  step,
} from '../model/index';
import { goalFormula } from './claims';
import { prove, provedClaims } from './prove';
import { resCodes, resIs } from './results';
import { symStep } from './symstep';
import { Unrolling } from './unroll';
import { type B, DEFAULT_TIMEOUT_MS, secondsSince } from './z3';

export interface OutcomeTrace {
  readonly type: AnyActionType;
  readonly result: Result;
  /** the whole trace from the initial state; the last action returns `result` */
  readonly actions: readonly AnyAction[];
  readonly replayed: boolean;
}

export interface Unproducible {
  readonly type: AnyActionType;
  readonly result: Result;
  /**
   * 'inductive': no state satisfying the proved reference invariants allows
   * it, so no trace of any length produces it; 'depth': no trace of at most
   * `depth` + 1 steps does (a bound only, not a proof)
   */
  readonly proof: 'inductive' | 'depth';
  readonly depth: number;
}

export interface OutcomesResult {
  readonly scope: Scope;
  readonly depth: number;
  readonly found: readonly OutcomeTrace[];
  readonly unproducible: readonly Unproducible[];
  /** pairs neither found nor shown unproducible (a query ran out of time) */
  readonly unknown: readonly { readonly type: AnyActionType; readonly result: Result }[];
  /** time spent proving the reference invariants first (0 without `inductive`) */
  readonly proveSeconds: number;
  /** solver time at each number of steps before the last action, and the pairs settled there */
  readonly perDepth: readonly { readonly depth: number; readonly seconds: number; readonly found: number }[];
  readonly seconds: number;
}

export interface OutcomesOptions {
  /** at most this many steps before the last action (default 12) */
  readonly depth?: number;
  readonly timeoutMs?: number;
  /** use prove(scope, REFERENCE_RULES) to assume its invariants and to show pairs unproducible (default true) */
  readonly inductive?: boolean;
}

/** The result of the last of `actions`, replayed on the reference model. */
export function lastResult(scope: Scope, actions: readonly AnyAction[]): Result | undefined {
  let s = initialState(scope);
  let r: Result | undefined;
  for (const a of actions) ({ state: s, result: r } = step(scope, REFERENCE_RULES, s, a));
  return r;
}

export async function outcomes(scope: Scope, opts: OutcomesOptions = {}): Promise<OutcomesResult> {
  const t0 = performance.now();
  const depth = opts.depth ?? 12;
  const proved = opts.inductive === false ? [] : await provedReference(scope, opts.timeoutMs);
  const proveSeconds = opts.inductive === false ? 0 : secondsSince(t0);
  const u = await Unrolling.create(scope, REFERENCE_RULES, { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  for (const l of proved) u.assume(goalFormula(u.enc, l, u.template.pre));
  const { keep, unproducible } = await withoutInductivelyUnproducible(u, outcomePairs(scope, u), proved, opts.timeoutMs);
  const search = await searchByDepth(scope, u, keep, depth);
  const stillUnknown: { type: AnyActionType; result: Result }[] = [];
  for (const p of search.open) {
    const result = u.enc.codes.string(p.code);
    if (search.unknown.has(p)) stillUnknown.push({ type: p.type, result });
    else unproducible.push({ type: p.type, result, proof: 'depth', depth });
  }
  return { scope, depth, found: search.found, unproducible, unknown: stillUnknown, proveSeconds, perDepth: search.perDepth, seconds: secondsSince(t0) };
}

/** A (type, result code) some action can return, as a condition on the state before it. */
interface Pair {
  readonly type: AnyActionType;
  readonly code: number;
  readonly cases: readonly { readonly action: AnyAction; readonly when: B }[];
  readonly when: B;
}

/** Every (type, code) some action of allActions can return, by the symbolic step's result cases; types in model order, codes ascending. */
function outcomePairs(scope: Scope, u: Unrolling): Pair[] {
  const { sm, enc } = u;
  const byType = new Map<AnyActionType, AnyAction[]>();
  for (const a of allScopeActions(scope)) byType.set(a.type, [...(byType.get(a.type) ?? []), a]);
  const pairs: Pair[] = [];
  for (const type of actionTypesOf(scope)) {
    const outs = (byType.get(type) ?? []).map((action) => ({ action, res: symStep(enc, u.template.pre, action).result }));
    const codes = new Set<number>();
    for (const o of outs) for (const c of resCodes(sm, o.res)) codes.add(c);
    for (const code of [...codes].sort((a, b) => a - b)) {
      const cases = outs.map((o) => ({ action: o.action, when: resIs(sm, o.res, code) })).filter((c) => !sm.isF(c.when));
      pairs.push({ type, code, cases, when: sm.or(...cases.map((c) => c.when)) });
    }
  }
  return pairs;
}

/** Pairs no state satisfying the proved invariants allows are left out of the search: unproducible at any depth. */
async function withoutInductivelyUnproducible(u: Unrolling, pairs: readonly Pair[], proved: readonly string[], timeoutMs?: number): Promise<{ keep: Pair[]; unproducible: Unproducible[] }> {
  const { sm, enc } = u;
  const unproducible: Unproducible[] = [];
  if (proved.length === 0) return { keep: [...pairs], unproducible };
  const sol = sm.solver(timeoutMs ?? DEFAULT_TIMEOUT_MS);
  sol.add(...proved.map((l) => goalFormula(enc, l, u.template.pre)));
  const keep: Pair[] = [];
  for (const p of pairs) {
    sol.push();
    sol.add(p.when);
    const r = await sm.check(sol);
    sol.pop();
    if (r === 'unsat') unproducible.push({ type: p.type, result: enc.codes.string(p.code), proof: 'inductive', depth: 0 });
    else keep.push(p);
  }
  return { keep, unproducible };
}

/**
 * Iterative deepening: at k = 0..depth steps before the last action, one query
 * for all open pairs at a time; each model settles every pair it exhibits.
 * What is left open was not found (or, if in `unknown`, a query ran out of time).
 */
async function searchByDepth(scope: Scope, u: Unrolling, pairs: readonly Pair[], depth: number) {
  const { sm, enc } = u;
  const found: OutcomeTrace[] = [];
  const unknown = new Set<Pair>();
  const perDepth: { depth: number; seconds: number; found: number }[] = [];
  let open = pairs;
  for (let k = 0; k <= depth && open.length > 0; k++) {
    const tk = performance.now();
    const before = found.length;
    if (k > 0) u.extend();
    for (;;) {
      const live = open.filter((p) => !unknown.has(p));
      if (live.length === 0) break;
      const lit = sm.boolConst(`outcome.${k}.${found.length}.${live.length}`);
      u.sol.add(sm.implies(lit, sm.or(...live.map((p) => u.at(p.when, k)))));
      const r = await sm.check(u.sol, lit);
      if (r === 'unsat') break;
      if (r === 'unknown') {
        for (const p of live) unknown.add(p);
        break;
      }
      const m = u.sol.model();
      const prefix = u.actions(m, k);
      for (const p of live) {
        const hit = p.cases.find((c) => sm.boolIn(m, u.at(c.when, k)));
        if (!hit) continue;
        const actions = [...prefix, hit.action];
        const result = enc.codes.string(p.code);
        found.push({ type: p.type, result, actions, replayed: lastResult(scope, actions) === result });
      }
      open = open.filter((p) => !found.some((f) => f.type === p.type && f.result === enc.codes.string(p.code)));
    }
    perDepth.push({ depth: k, seconds: secondsSince(tk), found: found.length - before });
  }
  return { found, unknown, perDepth, open };
}

async function provedReference(scope: Scope, timeoutMs?: number): Promise<string[]> {
  return provedClaims(await prove(scope, REFERENCE_RULES, timeoutMs ? { timeoutMs } : {}));
}

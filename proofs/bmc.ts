/**
 * ▶ bmc(scope, variant, depth): for each invariant of DESIGN.md §4, the
 * shortest action sequence from the initial state that violates it, found by
 * iterative deepening (step k is added to the unrolling only when no
 * violation exists at any depth < k, so the first one found is shortest), or
 * the fact that none exists up to `depth` steps. Steps range over
 * scopeCandidates (the calls that can change the state; §10's too at an SVA
 * scope), as the explorer's.
 *
 * Every trace found is decoded into model Actions and replayed with
 * model/step.ts; `replayed` says the replay ends in a state violating the
 * invariant (a false here would be a drift between encoding and model).
 */
import { type AnyAction, INVARIANTS, type InvariantName, type Rules, type Scope, initialState, step } from '../model/index';
import { goalFormula } from './claims';
import { prove, provedClaims } from './prove';
import { invariantFormula } from './invariants';
import { Unrolling } from './unroll';
import { DEFAULT_TIMEOUT_MS, type NumberSort, secondsSince } from './z3';

export type BmcVerdict =
  | { readonly holds: true; readonly depth: number }
  | { readonly holds: false; readonly length: number; readonly actions: readonly AnyAction[]; readonly replayed: boolean }
  | { readonly holds: 'unknown'; readonly depth: number; readonly reason: string };

export interface BmcResult {
  readonly rules: Rules;
  readonly scope: Scope;
  readonly depth: number;
  readonly invariants: Readonly<Record<InvariantName, BmcVerdict>>;
  /** solver time spent at each depth (index = number of steps) */
  readonly perDepth: readonly { readonly depth: number; readonly seconds: number }[];
  /** the claims assumed at every step */
  readonly lemmas: readonly string[];
  readonly buildSeconds: number;
  readonly seconds: number;
}

export interface BmcOptions {
  readonly timeoutMs?: number;
  /** only these invariants (default: all nine) */
  readonly invariants?: readonly InvariantName[];
  /** numbers as bit-vectors or Ints (default) */
  readonly sort?: NumberSort;
  /**
   * Claims (claims.ts) known to hold in every reachable state, assumed at
   * every step: sound, and it prunes the search to states that could be
   * reached. 'prove': run prove(scope, variant) first and assume what it
   * proved (slower to start, much faster at depth). Default: none.
   */
  readonly lemmas?: readonly string[] | 'prove';
  /** called after each depth is searched */
  readonly onDepth?: (p: { readonly depth: number; readonly seconds: number; readonly settled: number }) => void;
}

/** Replays actions on the model; true if the last state violates the invariant. */
export function replayViolates(scope: Scope, rules: Rules, actions: readonly AnyAction[], name: InvariantName): boolean {
  let s = initialState(scope);
  for (const a of actions) s = step(scope, rules, s, a).state;
  return !INVARIANTS.find((i) => i.name === name)!.holds(scope, s);
}

export async function bmc(scope: Scope, rules: Rules, depth: number, opts: BmcOptions = {}): Promise<BmcResult> {
  const t0 = performance.now();
  const u = await Unrolling.create(scope, rules, { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, sort: opts.sort ?? 'int' });
  const lemmas = opts.lemmas === 'prove' ? provedClaims(await prove(scope, rules, { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS })) : (opts.lemmas ?? []);
  for (const l of lemmas) u.assume(goalFormula(u.enc, l, u.template.pre));
  const { sm } = u;
  const names = opts.invariants ?? INVARIANTS.map((i) => i.name);
  const bad = new Map(names.map((n) => [n, sm.not(invariantFormula(u.enc, n, u.template.pre))]));
  const buildSeconds = secondsSince(t0);
  const verdicts = new Map<InvariantName, BmcVerdict>();
  const perDepth: { depth: number; seconds: number }[] = [];

  for (let k = 0; k <= depth; k++) {
    if (k > 0) u.extend();
    const t = performance.now();
    const open = names.filter((n) => !verdicts.has(n));
    // One query for all open invariants first: at most depths nothing is violated.
    // Queries go through assumption literals, not push/pop, so that what the
    // solver learns at one depth is kept for the next.
    const anyLit = sm.boolConst(`bad.any.${k}`);
    u.sol.add(sm.implies(anyLit, sm.or(...open.map((n) => u.at(bad.get(n)!, k)))));
    const any = await sm.check(u.sol, anyLit);
    if (any === 'unknown') {
      for (const n of open) verdicts.set(n, { holds: 'unknown', depth: k - 1, reason: u.sol.reasonUnknown() });
    } else if (any === 'sat') {
      for (const n of open) {
        const lit = sm.boolConst(`bad.${n}.${k}`);
        u.sol.add(sm.implies(lit, u.at(bad.get(n)!, k)));
        const r = await sm.check(u.sol, lit);
        if (r === 'sat') {
          const actions = u.actions(u.sol.model(), k);
          verdicts.set(n, { holds: false, length: k, actions, replayed: replayViolates(scope, rules, actions, n) });
        } else if (r === 'unknown') {
          verdicts.set(n, { holds: 'unknown', depth: k - 1, reason: u.sol.reasonUnknown() });
        }
      }
    }
    perDepth.push({ depth: k, seconds: secondsSince(t) });
    opts.onDepth?.({ depth: k, seconds: secondsSince(t), settled: verdicts.size });
    if (names.every((n) => verdicts.has(n))) break;
  }
  for (const n of names) if (!verdicts.has(n)) verdicts.set(n, { holds: true, depth });
  return {
    rules,
    scope,
    depth,
    invariants: Object.fromEntries(names.map((n) => [n, verdicts.get(n)!])) as Record<InvariantName, BmcVerdict>,
    perDepth,
    lemmas,
    buildSeconds,
    seconds: secondsSince(t0),
  };
}

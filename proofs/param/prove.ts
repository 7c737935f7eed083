/**
 * ▶ proveParametric(rules): the invariants of DESIGN.md §4 proved for every
 * scope at once, over the parametric encoding (encoding.ts).
 *
 * Obligations, for each claim Q (an invariant or an auxiliary invariant):
 *
 *     Axioms /\ Init  =>  Q
 *     Axioms /\ Inv /\ guard_t(args)  =>  Q(effect_t(args))     for each transition t
 *
 * over all finite structures (any number of processes, files, IOASIDs,
 * PASIDs, devices, mdevs, VMs, vPASIDs, entries, descriptors, any topology
 * the axioms of §2 allow, any quota). Inv is the conjunction of the claims
 * still standing; a claim with an obligation not proved (refuted, or unknown:
 * a timeout is never a proof) is dropped and the proofs that used it (by
 * their unsat core) are re-opened, until what stands is inductive (Houdini).
 * So every claim reported proved holds in every reachable state of the
 * parametric system, hence (abstraction, encoding.ts) of the model at every
 * scope. A refuted obligation carries its counter-model, decoded into a
 * scope and a model state, with model/step.ts's verdict on the same step.
 */
import { ACTION_ARGS, type Action, type ActionType, makeAction } from '../../model/actions';
import { INVARIANT_NAMES, type InvariantName, violated } from '../../model/invariants';
import { type Rules, rulesLabel } from '../../model/rules';
import type { Scope } from '../../model/scope';
import type { State } from '../../model/state';
import { step } from '../../model/step';
import { type B, type Ctx, type Smt, type Sol, type Verdict, freshSmt, secondsSince } from '../z3';
import { type Claim, INVARIANT_CLAIMS, type Transition, auxClaims, initial, scopeAxioms, stutterActions, transitions } from './encoding';
import { type ElemSort, EvalLogic, SORTS, type Structure, type Val, Z3Logic, grounded, key, structureOf, tuples } from './logic';
import { layoutOf, toModel, toStructure } from './structure';
import { STATE_SYMS, SYM_NAMES, type St, VOCAB, symbolic } from './vocab';

export type Status = 'proved' | 'refuted' | 'unknown';

export interface CounterModel {
  /** the transition (encoding.ts) and its arguments, as element numbers of the structure */
  readonly transition: string;
  readonly args: Readonly<Record<string, number>>;
  readonly scope: Scope;
  readonly pre: State;
  readonly post: State;
  /** the model action this step is, null for `file_gc` and `alloc:implicit-map` (parts of compound steps) */
  readonly action: Action | null;
  /** model/invariants.ts on the decoded pre-state (a pre-state that violates some is likely unreachable) */
  readonly preViolates: readonly InvariantName[];
  /** model/step.ts on the decoded pre-state: its result, whether it changed the state, what its post-state violates */
  readonly model: { readonly result: string; readonly changed: boolean; readonly violates: readonly InvariantName[]; readonly claimHolds: boolean } | null;
  /** model/step.ts takes the same step and its post-state breaks the same claim (null: no model action for this transition) */
  readonly modelAgrees: boolean | null;
}

export interface ParamObligation {
  readonly invariant: string;
  readonly kind: 'invariant' | 'aux';
  /** 'init', a transition name (encoding.ts), or a model action that never changes the state */
  readonly action: string;
  readonly status: Status;
  readonly seconds: number;
  readonly round: number;
  readonly reason?: string;
  readonly used?: readonly string[];
  readonly counterModel?: CounterModel;
}

export interface ParamClaim {
  readonly name: string;
  readonly kind: 'invariant' | 'aux';
  readonly statement: string;
  readonly status: Status;
  readonly notEpr?: string;
  /** the claims that give it its meaning (proved only if they are) */
  readonly needs?: readonly string[];
}

export interface ParamResult {
  readonly design: string;
  readonly rules: Rules;
  readonly obligations: readonly ParamObligation[];
  readonly claims: readonly ParamClaim[];
  readonly transitions: readonly string[];
  /**
   * Per transition: is it enabled in some structure that satisfies the axioms
   * and every claim that holds initially ('sat' expected; 'unsat' would make
   * its proofs vacuous)?
   */
  readonly enabled: Readonly<Record<string, 'sat' | 'unsat' | 'unknown'>>;
  readonly rounds: number;
  readonly seconds: number;
}

/** Sizes tried for a small counter-model when the first attempt is inconclusive (see decide). */
const BOUNDS = [2, 3] as const;

export interface ParamOptions {
  /** per query (default 60 s); a timeout is `unknown` */
  readonly timeoutMs?: number;
  readonly name?: string;
  /** stop once each of these claims is refuted (the rest: unknown, 'not checked') */
  readonly until?: readonly string[];
}

/** The post-state of transition t in a finite structure, as a structure. */
export function postStructure(st: Structure, t: Transition, args: Readonly<Record<string, Val>>): Structure {
  const L = new EvalLogic(st);
  const post: St<Val> = t.effect(L, symbolic(L), args as Record<string, Val>);
  const tables = new Map(st.tables);
  for (const name of STATE_SYMS) {
    const m = new Map<string, Val>();
    for (const tup of tuples(st.size, VOCAB[name].domain)) m.set(key(tup), post.f(name, ...tup));
    tables.set(name, m);
  }
  return { size: st.size, tables };
}

export const guardHolds = (st: Structure, t: Transition, args: Readonly<Record<string, Val>>): boolean => {
  const L = new EvalLogic(st);
  return t.guard(L, symbolic(L), args as Record<string, Val>) === true;
};

export const claimHolds = (st: Structure, c: Claim): boolean => {
  const L = new EvalLogic(st);
  return c.formula(L, symbolic(L)) === true;
};

/** The model action of a transition with these arguments, in the decoded numbering. */
function modelAction(t: Transition, args: Readonly<Record<string, number>>, st: Structure, d: ReturnType<typeof toModel>): Action | null {
  // file_gc is the slot collection of model/draft.ts; alloc:implicit-map one VM entry of a compound alloc (abstraction 5).
  // Neither is a model action of its own, so model/step.ts cannot be asked about that step alone.
  if (t.name === 'file_gc' || t.name === 'alloc:implicit-map') return null;
  const g = (n: string, e: number): number => st.tables.get(n)!.get(key([e])) as number;
  const v: Record<string, number> = {};
  if (args.proc !== undefined) v.proc = args.proc + 1;
  if (args.dev !== undefined) v.dev = args.dev + 1;
  if (args.mdev !== undefined) v.mdev = args.mdev + 1;
  if (args.vm !== undefined) v.vm = args.vm + 1;
  if (args.vpasid !== undefined) v.vpasid = args.vpasid + 1;
  if (args.file !== undefined) v.fd = d.fdOf.get(args.file) ?? 0;
  if (args.io !== undefined) v.ioasid = d.handleOf.get(args.io) ?? 0;
  if (args.ent !== undefined) {
    v.pasid = g('ePasid', args.ent) + 1;
    v.vpasid = g('eVp', args.ent) + 1;
  }
  if (t.name === 'swq_exec') v.dev = args.dev! + 1;
  const type = t.action as ActionType;
  return makeAction(type, (ACTION_ARGS[type] as readonly string[]).map((n) => v[n] ?? 0));
}

function counterModel(rules: Rules, t: Transition, c: Claim, st: Structure, args: Record<string, number>): CounterModel {
  const pre = toModel(st, { ...(args.desc !== undefined ? { desc: args.desc } : {}), ...(args.ent !== undefined ? { ent: args.ent } : {}) });
  const postSt = postStructure(st, t, args);
  const post = toModel(postSt);
  const action = modelAction(t, args, st, pre);
  let model: CounterModel['model'] = null;
  if (action) {
    try {
      const out = step(pre.scope, rules, pre.state, action);
      const s2 = toStructure(pre.scope, out.state, layoutOf(pre.scope, out.state));
      model = { result: out.result, changed: out.state !== pre.state, violates: violated(pre.scope, out.state), claimHolds: claimHolds(s2, c) };
    } catch {
      model = null;
    }
  }
  return {
    transition: t.name,
    args,
    scope: pre.scope,
    pre: pre.state,
    post: post.state,
    action,
    preViolates: safeViolated(pre.scope, pre.state),
    model,
    modelAgrees: model ? model.changed && !model.claimHolds : null,
  };
}

function safeViolated(scope: Scope, s: State): InvariantName[] {
  try {
    return violated(scope, s);
  } catch {
    return [...INVARIANT_NAMES];
  }
}

type Z = ReturnType<Z3Logic['constant']>;

/** What every stage of one parametric proof reads: the logic, the claims and their assumption literals. */
interface Queries {
  readonly rules: Rules;
  readonly sm: Smt;
  readonly ctx: Ctx;
  readonly L: Z3Logic;
  /** per query; a timeout is `unknown` */
  readonly timeout: number;
  readonly pre: St<Z>;
  readonly axioms: B;
  readonly claims: readonly Claim[];
  readonly claimOf: ReadonlyMap<string, Claim>;
  /** per claim, the literal that assumes it */
  readonly lit: ReadonlyMap<string, B>;
  /** a literal's claim, by the literal's AST id (to read unsat cores) */
  readonly ofLit: ReadonlyMap<B['ast'], string>;
}

/** One transition's queries: a solver holding the axioms, its guard and every claim behind its literal; per claim, its negation after the effect. */
interface Kind {
  readonly t: Transition;
  readonly sol: Sol;
  readonly args: Record<string, Z>;
  readonly goal: Map<string, B>;
}

async function queriesOf(rules: Rules, opts: ParamOptions): Promise<Queries> {
  // A context of its own: the answers (and their times) do not depend on what ran before in this process.
  const sm = await freshSmt();
  const ctx = sm.ctx;
  const L = new Z3Logic(ctx, new Map(SYM_NAMES.map((n) => [n, VOCAB[n]])));
  const pre = symbolic(L);
  const axioms = scopeAxioms(L, pre) as B;
  const claims: Claim[] = [...INVARIANT_CLAIMS, ...auxClaims(rules)];
  const lit = new Map(claims.map((c) => [c.name, ctx.Bool.const(`claim:${c.name}`)]));
  return {
    rules,
    sm,
    ctx,
    L,
    timeout: opts.timeoutMs ?? 60_000,
    pre,
    axioms,
    claims,
    claimOf: new Map(claims.map((c) => [c.name, c])),
    lit,
    ofLit: new Map(claims.map((c) => [lit.get(c.name)!.ast, c.name])),
  };
}

/** The queries of each transition (built after Init's, as they always were: the solver sees its terms in the same order). */
function kindsOf(q: Queries, trs: readonly Transition[]): Kind[] {
  const { ctx, L, pre } = q;
  return trs.map((t) => {
    const args = Object.fromEntries(t.params.map((p) => [p.name, L.constant(`${t.name}.${p.name}`, p.sort)]));
    const sol = new ctx.Solver();
    sol.set('timeout', q.timeout);
    sol.add(q.axioms, t.guard(L, pre, args) as B);
    for (const c of q.claims) sol.add(ctx.Implies(q.lit.get(c.name)!, c.formula(L, pre) as B));
    const post = t.effect(L, pre, args);
    const goal = new Map(q.claims.map((c) => [c.name, ctx.Not(c.formula(L, post) as B) as B]));
    return { t, sol, args, goal };
  });
}

const statusOf = (v: Verdict): Status => (v === 'unsat' ? 'proved' : v === 'sat' ? 'refuted' : 'unknown');

/** A finite structure and the values of the transition's argument constants in it. */
type Found = { st: Structure; consts: Map<string, Val> };

/**
 * One obligation: unsat is a proof for every structure, sat a counter-model.
 * Z3's model search over the ∀∃ claims with integer ranks can stall where a
 * small counter-model exists (and, on a loaded machine, a wall-clock timeout
 * cuts it short at any point). So a first short attempt is followed, if it
 * is inconclusive, by a search for a counter-model of at most n elements per
 * sort (n = 2, 3): the same formulas with every quantifier expanded over n
 * constants per sort, quantifier-free, closed under the symbols. A model of
 * that is a finite structure; it is kept only if evaluating the axioms, the
 * guard, every claim assumed and the negated goal in it (EvalLogic, no Z3)
 * confirms it, so it is a counter-model like any other. An unsat answer
 * there proves nothing. Then the full attempt; what is left is `unknown`.
 */
async function decide(q: Queries, k: Kind, c: Claim, assumed: readonly string[]): Promise<{ v: Verdict; found?: Found; reason?: string }> {
  const { sm, timeout } = q;
  const firstMs = Math.min(timeout, 5_000);
  const lits = assumed.map((n) => q.lit.get(n)!);
  k.sol.set('timeout', firstMs);
  let v = await sm.check(k.sol, ...lits);
  let reason = v === 'unknown' ? k.sol.reasonUnknown() : undefined;
  if (v === 'unknown') {
    for (const n of BOUNDS) {
      const found = await groundSearch(q, k, c, assumed, n);
      if (found) return { v: 'sat', found };
    }
    if (timeout > firstMs) {
      k.sol.set('timeout', timeout);
      v = await sm.check(k.sol, ...lits);
      reason = v === 'unknown' ? k.sol.reasonUnknown() : undefined;
    }
  }
  k.sol.set('timeout', timeout);
  return { v, ...(reason ? { reason } : {}) };
}

/** A counter-model of at most n elements per sort (c null: any structure where the transition is enabled), confirmed by evaluation, or null. */
async function groundSearch(q: Queries, k: Kind, c: Claim | null, assumed: readonly string[], n: number): Promise<Found | null> {
  const { ctx, L } = q;
  const elems = new Map(SORTS.map((s) => [s, Array.from({ length: n }, (_, i) => L.constant(`ground!${s}!${i}`, s))]));
  const G = grounded(L, elems);
  const g = symbolic(G);
  const args = k.args;
  const sol = new ctx.Solver();
  sol.set('timeout', Math.min(q.timeout, 10_000));
  const inUniverse = (sort: ElemSort, x: Z): B => G.or(...elems.get(sort)!.map((e) => G.eq(x, e))) as B;
  sol.add(scopeAxioms(G, g) as B, k.t.guard(G, g, args) as B, ...assumed.map((a) => q.claimOf.get(a)!.formula(G, g) as B));
  if (c) sol.add(ctx.Not(c.formula(G, k.t.effect(G, g, args)) as B));
  for (const p of k.t.params) sol.add(inUniverse(p.sort, args[p.name]!));
  // Closed under every symbol: the constants' values are a structure of their own.
  for (const name of SYM_NAMES) {
    const sig = VOCAB[name];
    if (sig.range === 'Int' || sig.range === 'Bool') continue;
    for (const tup of tuples(Object.fromEntries(SORTS.map((s) => [s, n])) as Record<ElemSort, number>, sig.domain)) {
      sol.add(inUniverse(sig.range, L.app(name, tup.map((i, j) => elems.get(sig.domain[j]!)![i]!))));
    }
  }
  const v = await q.sm.check(sol);
  if (v !== 'sat') return null;
  const m = sol.model();
  const universe = new Map(
    SORTS.map((s) => {
      const vals: Z[] = [];
      for (const e of elems.get(s)!) {
        const x = m.eval(e, true);
        if (!vals.some((y) => y.eqIdentity(x))) vals.push(x);
      }
      return [s, vals] as const;
    }),
  );
  const found = structureOf(L, m, [...SYM_NAMES, ...k.t.params.map((p) => `${k.t.name}.${p.name}`)], universe);
  return confirmed(q, k, c, assumed, found) ? found : null;
}

/** The axioms, the guard, every claim assumed and (c given) the negated goal, evaluated in a found structure. */
function confirmed(q: Queries, k: Kind, c: Claim | null, assumed: readonly string[], found: Found): boolean {
  const a = Object.fromEntries(k.t.params.map((p) => [p.name, found.consts.get(`${k.t.name}.${p.name}`)!]));
  const E = new EvalLogic(found.st);
  const e = symbolic(E);
  return (
    scopeAxioms(E, e) === true &&
    k.t.guard(E, e, a) === true &&
    assumed.every((x) => q.claimOf.get(x)!.formula(E, e) === true) &&
    (c === null || c.formula(E, k.t.effect(E, e, a)) === false)
  );
}

/**
 * Vacuity: each transition is enabled in some structure satisfying the axioms and every claim
 * (a short attempt, then a small structure confirmed by evaluation; 'unknown' is reported as such).
 */
async function enabledOf(q: Queries, kinds: readonly Kind[], active: ReadonlySet<string>): Promise<Record<string, 'sat' | 'unsat' | 'unknown'>> {
  const enabled: Record<string, 'sat' | 'unsat' | 'unknown'> = {};
  for (const k of kinds) {
    k.sol.set('timeout', Math.min(q.timeout, 3_000));
    let v = await q.sm.check(k.sol, ...[...active].map((n) => q.lit.get(n)!));
    k.sol.set('timeout', q.timeout);
    for (const n of BOUNDS) if (v === 'unknown' && (await groundSearch(q, k, null, [...active], n))) v = 'sat';
    enabled[k.t.name] = v;
  }
  return enabled;
}

interface Decided {
  readonly ob: ParamObligation;
  /** claims a proof used (null: not a proof) */
  readonly used: ReadonlySet<string> | null;
}

/**
 * The fixed point (Houdini): claims are assumed while they stand; a claim
 * with an obligation not proved (refuted, or unknown) is dropped, and the
 * proofs that used it (by unsat core) are asked again, until a round drops
 * nothing (or every claim of `until` is refuted).
 */
class FixedPoint {
  /** per claim, its obligations recorded so far (Init's first) */
  readonly obligations: Map<string, ParamObligation[]>;
  readonly active = new Set<string>();
  /** claims dropped because an obligation was unknown (not refuted) */
  private readonly inconclusive = new Set<string>();
  private readonly decided = new Map<string, Decided>(); // `${claim}|${transition}`
  rounds = 0;

  constructor(
    private readonly q: Queries,
    private readonly until: readonly string[] | undefined,
  ) {
    this.obligations = new Map(q.claims.map((c) => [c.name, []]));
  }

  private record(o: ParamObligation): void {
    this.obligations.get(o.invariant)!.push(o);
  }

  /** Every claim of `until` refuted and dropped. */
  stopped(): boolean {
    return !!this.until && this.until.every((n) => !this.active.has(n) && this.obligations.get(n)!.some((o) => o.status === 'refuted'));
  }

  /** Init => Q, for each claim: it does not depend on the other claims. */
  async proveInit(): Promise<void> {
    const { ctx, L, pre, sm } = this.q;
    const sol = new ctx.Solver();
    sol.set('timeout', this.q.timeout);
    sol.add(this.q.axioms, initial(L, pre) as B);
    for (const c of this.q.claims) {
      const t = performance.now();
      sol.push();
      sol.add(ctx.Not(c.formula(L, pre) as B));
      const v = await sm.check(sol);
      const reason = v === 'unknown' ? sol.reasonUnknown() : undefined;
      sol.pop();
      const status = statusOf(v);
      this.record({ invariant: c.name, kind: c.kind, action: 'init', status, seconds: secondsSince(t), round: 0, ...(reason ? { reason } : {}) });
      if (status === 'proved') this.active.add(c.name);
      if (status === 'unknown') this.inconclusive.add(c.name);
    }
  }

  /** Rounds over every transition and standing claim until one drops nothing. */
  async run(kinds: readonly Kind[]): Promise<void> {
    for (let changed = true; changed && !this.stopped(); ) changed = await this.round(kinds);
  }

  /** One round: each open obligation asked; whether a claim was dropped. */
  private async round(kinds: readonly Kind[]): Promise<boolean> {
    let changed = false;
    this.rounds++;
    for (const k of kinds) {
      for (const c of this.q.claims) {
        if (!this.active.has(c.name) || this.decided.has(`${c.name}|${k.t.name}`)) continue;
        const d = await this.ask(k, c);
        this.decided.set(`${c.name}|${k.t.name}`, d);
        if (d.ob.status !== 'proved') {
          this.drop(c.name, d.ob.status);
          changed = true;
          if (this.stopped()) break;
        }
      }
      if (this.stopped()) break;
    }
    return changed;
  }

  /** Not proved (refuted, or unknown): dropped; proofs that used it are open again. */
  private drop(name: string, status: Status): void {
    this.active.delete(name);
    if (status === 'unknown') this.inconclusive.add(name);
    for (const [key2, d] of [...this.decided]) {
      if (key2.startsWith(`${name}|`)) continue;
      if (d.used?.has(name)) this.decided.delete(key2);
    }
  }

  /** Q(effect) under the guard and the standing claims, for one transition and one claim. */
  private async ask(k: Kind, c: Claim): Promise<Decided> {
    const t = performance.now();
    k.sol.push();
    k.sol.add(k.goal.get(c.name)!);
    const { v, found, reason } = await decide(this.q, k, c, [...this.active]);
    const seconds = secondsSince(t);
    // The fields in this order, as the JSON output lists them.
    const ob = (status: Status, rest: Partial<ParamObligation>): ParamObligation => ({ invariant: c.name, kind: c.kind, action: k.t.name, status, seconds, round: this.rounds, ...rest });
    let d: Decided;
    if (v === 'unsat') {
      const used = new Set([...k.sol.unsatCore().values()].flatMap((l) => (this.q.ofLit.has(l.ast) ? [this.q.ofLit.get(l.ast)!] : [])));
      d = { ob: ob('proved', { used: [...used] }), used };
    } else if (v === 'sat') {
      const { counterModel, missing } = this.refutation(k, c, found);
      d = { ob: missing.length === 0 ? ob('refuted', { counterModel }) : ob('unknown', { reason: `a counter-model without ${missing.join(', ')} (not assumed: inconclusive)`, counterModel }), used: null };
    } else {
      d = { ob: ob('unknown', { reason: reason ?? 'unknown' }), used: null };
    }
    k.sol.pop();
    return d;
  }

  /**
   * The counter-model, decoded, and the claims whose proof was inconclusive (not assumed): a
   * counter-model found only because one of them is no longer assumed refutes nothing.
   */
  private refutation(k: Kind, c: Claim, found: Found | undefined): { counterModel: CounterModel; missing: string[] } {
    const names = [...SYM_NAMES, ...k.t.params.map((p) => `${k.t.name}.${p.name}`)];
    const { st, consts } = found ?? structureOf(this.q.L, k.sol.model(), names);
    const args = Object.fromEntries(k.t.params.map((p) => [p.name, consts.get(`${k.t.name}.${p.name}`) as number]));
    return { counterModel: counterModel(this.q.rules, k.t, c, st, args), missing: [...this.inconclusive] };
  }

  /**
   * Per claim, Init's obligation and then one per transition (never asked: unknown, 'not checked')
   * and one per stutter action, for each claim that held initially.
   */
  results(kinds: readonly Kind[], stutters: readonly string[]): Map<string, ParamObligation[]> {
    for (const c of this.q.claims) {
      const initProved = this.obligations.get(c.name)![0]!.status === 'proved';
      for (const k of kinds) {
        const d = this.decided.get(`${c.name}|${k.t.name}`);
        if (d) this.record(d.ob);
        else if (initProved) {
          this.record({ invariant: c.name, kind: c.kind, action: k.t.name, status: 'unknown', seconds: 0, round: this.rounds, reason: 'not checked' });
        }
      }
      if (!initProved) continue;
      for (const a of stutters) this.record({ invariant: c.name, kind: c.kind, action: a, status: 'proved', seconds: 0, round: 0, reason: 'no state change' });
    }
    return this.obligations;
  }
}

/**
 * Settles what the fixed point left (pure, no solver): a proof stands only if
 * every claim it used stands (an early stop leaves some undecided), else it
 * is unknown, saying which; a claim's status is its obligations' (refuted if
 * one is, else unknown if one is), and a counting invariant means the model's
 * only if the claims it needs are proved too (encoding.ts, Claim.needs).
 */
export function settleParametric(
  claims: readonly Pick<Claim, 'name' | 'needs'>[],
  obligations: ReadonlyMap<string, readonly ParamObligation[]>,
): { obligations: ParamObligation[]; status: Map<string, Status> } {
  const standing = new Set(claims.map((c) => c.name).filter((n) => obligations.get(n)!.every((o) => o.status === 'proved')));
  for (let ch = true; ch; ) {
    ch = false;
    for (const n of [...standing]) {
      if (obligations.get(n)!.some((o) => (o.used ?? []).some((u) => !standing.has(u)))) {
        standing.delete(n);
        ch = true;
      }
    }
  }
  const all = claims.flatMap((c) =>
    obligations.get(c.name)!.map((o) =>
      o.status === 'proved' && o.action !== 'init' && !standing.has(c.name)
        ? { ...o, status: 'unknown' as const, reason: `proved assuming claims not established: ${(o.used ?? []).filter((u) => !standing.has(u)).join(', ') || c.name}` }
        : o,
    ),
  );
  const own = (n: string): Status => {
    const os = all.filter((o) => o.invariant === n);
    return os.every((o) => o.status === 'proved') ? 'proved' : os.some((o) => o.status === 'refuted') ? 'refuted' : 'unknown';
  };
  const verdict = (c: Pick<Claim, 'name' | 'needs'>): Status => {
    const v = own(c.name);
    return v === 'proved' && (c.needs ?? []).some((m) => own(m) !== 'proved') ? 'unknown' : v;
  };
  return { obligations: all, status: new Map(claims.map((c) => [c.name, verdict(c)])) };
}

export async function proveParametric(rules: Rules, opts: ParamOptions = {}): Promise<ParamResult> {
  const t0 = performance.now();
  const q = await queriesOf(rules, opts);
  const trs = transitions(rules);
  const fp = new FixedPoint(q, opts.until);
  await fp.proveInit();
  const kinds = kindsOf(q, trs);
  const enabled = await enabledOf(q, kinds, fp.active);
  await fp.run(kinds);
  const { obligations, status } = settleParametric(q.claims, fp.results(kinds, stutterActions(rules)));
  return {
    design: opts.name ?? rulesLabel(rules),
    rules,
    obligations,
    claims: q.claims.map((c) => ({
      name: c.name,
      kind: c.kind,
      statement: c.statement,
      status: status.get(c.name)!,
      ...(c.notEpr ? { notEpr: c.notEpr } : {}),
      ...(c.needs ? { needs: c.needs } : {}),
    })),
    transitions: trs.map((t) => t.name),
    enabled,
    rounds: fp.rounds,
    seconds: secondsSince(t0),
  };
}

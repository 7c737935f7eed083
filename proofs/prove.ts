/**
 * ▶ prove(scope, variant): inductive proofs of the invariants of DESIGN.md §4.
 *
 * Claims are the nine invariants, the auxiliary invariants of aux.ts, and
 * `slots-suffice` (the layout never runs out of file or ioasid slots). For
 * each claim Q the obligations are Init => Q, and for each action kind K:
 *
 *     Inv(s) /\ T_K(s, s') /\ no overflow  =>  Q(s')
 *
 * where Inv is the conjunction of every claim still standing and T_K ranges
 * over every action of kind K with arguments 0..n+1 (allScopeActions: the full
 * argument space up to equivalence; out-of-range numbers behave alike; at an
 * SVA scope the kinds of §10 too).
 *
 * The claims standing are found Houdini style: a claim with an obligation not
 * proved is dropped at once, and whatever was proved using it is checked
 * again under the weaker Inv, until what stands is inductive. So `proved` is
 * sound: the claims proved form an inductive invariant that holds initially,
 * hence in every reachable state (given slots-suffice; if that is not proved,
 * no obligation is reported proved). Each claim is assumed through a literal,
 * so the unsat core of a proof says which claims it used: dropping a claim
 * re-opens only the proofs that used it.
 *
 * A refuted claim carries its counterexample to induction, relative to the
 * claims standing when it was refuted. In a flawed variant that can refute a
 * claim which still holds in every reachable state (its proof needed a claim
 * the flaw breaks): only the explorer or bmc() can tell a real violation.
 * For `reference` nothing is dropped.
 *
 * Queries first run with a short timeout (searchTimeoutMs) so that cheap
 * refutations come first; an obligation still unknown is then retried with
 * the full timeout, and a claim that stays unknown is dropped like a refuted
 * one (reported unknown, never proved).
 */
import {
  type AnyAction,
  type AnyActionType,
  type Rules,
  type Scope,
  type State,
  actionTypesOf,
  allScopeActions,
  initialState,
} from '../model/index';
import { type Claim, claimsFor } from './claims';
import { type DecodedStep, decodeStep, modelAgrees } from './decode';
import { layoutOf } from './layout';
import { type Encoding, encoding } from './symstep';
import { type SymState, freshState, literalState, toVal } from './symstate';
import { type Transition, transition } from './transition';
import { type B, DEFAULT_TIMEOUT_MS, type Smt, type Sol, secondsSince, smt } from './z3';

export type Status = 'proved' | 'refuted' | 'unknown';

export interface Cti {
  readonly pre: State;
  readonly action: AnyAction;
  readonly result: string;
  readonly post: State;
  /** model/step.ts takes pre to post with result (null: step() throws on pre) */
  readonly modelAgrees: boolean | null;
}

export interface Obligation {
  /** an invariant of DESIGN.md §4, an auxiliary invariant (aux.ts), or 'slots-suffice' */
  readonly invariant: string;
  readonly action: AnyActionType | 'init';
  readonly status: Status;
  readonly seconds: number;
  /** the pass over all obligations that decided it (0: init) */
  readonly round: number;
  /** for a proof: the claims its unsat core used */
  readonly used?: readonly string[];
  readonly cti?: Cti;
  /** why unknown: the solver's reason, or 'slot bound not proved' */
  readonly reason?: string;
}

export interface ClaimVerdict {
  readonly name: string;
  readonly kind: 'invariant' | 'aux' | 'bound';
  readonly status: Status;
}

export interface ProveResult {
  readonly rules: Rules;
  readonly scope: Scope;
  readonly obligations: readonly Obligation[];
  readonly claims: readonly ClaimVerdict[];
  readonly rounds: number;
  /** building the encoding (symbolic steps, formulas) */
  readonly buildSeconds: number;
  readonly seconds: number;
}

export interface ProveOptions {
  /**
   * Stop as soon as every one of these claims is refuted (e.g. a flawed
   * variant's expectedToFail): obligations not decided by then are reported
   * unknown, reason 'not checked'. Default: decide everything.
   */
  readonly until?: readonly string[];
  /** per query, when deciding (default 30 s) */
  readonly timeoutMs?: number;
  /** per query while searching for counterexamples (default 3 s): see the loop in prove() */
  readonly searchTimeoutMs?: number;
  /** assume the auxiliary invariants (default true; false shows why they are needed) */
  readonly aux?: boolean;
}

export const SLOTS_SUFFICE = 'slots-suffice';

function ctiOf(enc: Encoding, sol: Sol, tr: Transition): Cti {
  const d: DecodedStep = decodeStep(enc, sol.model(), tr, true);
  return { ...d, modelAgrees: modelAgrees(enc, d) };
}

/** One action kind's transition, with its post-state definitions substituted into goals. */
interface Kind {
  readonly type: AnyActionType;
  readonly tr: Transition;
  readonly at: <T extends B>(f: T) => T;
  readonly overflow: B;
}

/** Everything prove() asks the solver, built once per (scope, rules). */
interface Queries {
  readonly sm: Smt;
  readonly enc: Encoding;
  readonly goals: readonly Claim[];
  readonly sol: Sol;
  readonly timeout: number;
  readonly searchMs: number;
  /** per claim, the literal that assumes it of the pre-state */
  readonly claimLit: ReadonlyMap<string, B>;
  readonly claimOfLit: ReadonlyMap<unknown, string>;
  readonly atPre: ReadonlyMap<string, B>;
  readonly atPost: ReadonlyMap<string, B>;
  readonly kinds: readonly Kind[];
  readonly init: SymState;
}

async function buildQueries(scope: Scope, rules: Rules, opts: ProveOptions): Promise<Queries> {
  const sm = await smt();
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const lay = layoutOf(scope, rules);
  const enc = encoding(sm, lay);
  const goals: readonly Claim[] = claimsFor(rules, opts.aux ?? true, scope);
  const pre = freshState(sm, lay, 'pre');
  const everyAction = allScopeActions(scope); // §10's too at an SVA scope
  const sol = sm.solver(timeout);
  // Every claim holds of the pre-state when its literal is assumed.
  const claimLit = new Map(goals.map((c) => [c.name, sm.boolConst(`claim:${c.name}`)]));
  const atPre = new Map(goals.map((c) => [c.name, c.formula(enc, pre)]));
  for (const c of goals) sol.add(sm.implies(claimLit.get(c.name)!, atPre.get(c.name)!));
  const kinds = actionTypesOf(scope).map((type): Kind => {
    const tr = transition(enc, everyAction.filter((a) => a.type === type), pre, 'step', { changingOnly: true });
    // The post-state's definitions are substituted into each goal rather than
    // asserted as equations: the incremental solver does not eliminate them.
    const at = <T extends B>(f: T): T => sm.substitute(f, tr.definitions);
    return { type, tr, at, overflow: tr.actions.length > 0 ? at(tr.overflow) : sm.F };
  });
  // All transitions share the post-state constants, so each claim's formula over it is built once.
  const post = kinds[0]!.tr.post;
  return {
    sm,
    enc,
    goals,
    sol,
    timeout,
    searchMs: Math.min(timeout, opts.searchTimeoutMs ?? 3_000),
    claimLit,
    claimOfLit: new Map(goals.map((c) => [claimLit.get(c.name)!.ast, c.name])),
    atPre,
    atPost: new Map(goals.map((c) => [c.name, c.formula(enc, post)])),
    kinds,
    init: literalState(sm, lay, toVal(lay, initialState(scope))),
  };
}

interface Decided {
  readonly ob: Obligation;
  /** claims a proof used (null: not a proof) */
  readonly used: ReadonlySet<string> | null;
}

/**
 * The fixed point (Houdini): claims are assumed while they stand; a refuted or
 * (after a retry with the full timeout) unknown claim is dropped, and the
 * proofs that used it (by unsat core) are asked again.
 */
class FixedPoint {
  /** per claim, its obligations settled for good (Init, and all of a dropped claim) */
  readonly final = new Map<string, Obligation[]>();
  readonly active = new Set<string>();
  private readonly decided = new Map<string, Map<AnyActionType, Decided>>();
  rounds = 0;

  constructor(
    private readonly q: Queries,
    private readonly until: readonly string[] | undefined,
  ) {}

  private get(name: string, type: AnyActionType): Decided | undefined {
    return this.decided.get(name)?.get(type);
  }

  private set(name: string, type: AnyActionType, d: Decided): void {
    const m = this.decided.get(name) ?? new Map<AnyActionType, Decided>();
    m.set(type, d);
    this.decided.set(name, m);
  }

  private drop(name: string): void {
    this.active.delete(name);
    this.final.set(name, [...this.final.get(name)!, ...[...(this.decided.get(name)?.values() ?? [])].map((d) => d.ob)]);
    this.decided.delete(name);
    // Proofs that used the dropped claim are open again.
    for (const m of this.decided.values()) for (const [type, d] of m) if (d.used?.has(name)) m.delete(type);
  }

  /** Every claim of `until` refuted and dropped. */
  stopped(): boolean {
    return !!this.until && this.until.every((n) => !this.active.has(n) && this.final.get(n)!.some((o) => o.status === 'refuted'));
  }

  /** Init => Q, for each claim: it does not depend on the other claims. */
  async proveInit(): Promise<void> {
    const { sm, goals, init, timeout } = this.q;
    const initSol = sm.solver(timeout);
    for (const c of goals) {
      const t = performance.now();
      initSol.push();
      initSol.add(sm.not(c.formula(this.q.enc, init)));
      const verdict = await sm.check(initSol);
      initSol.pop();
      const status: Status = verdict === 'unsat' ? 'proved' : verdict === 'sat' ? 'refuted' : 'unknown';
      this.final.set(c.name, [{ invariant: c.name, action: 'init', status, seconds: secondsSince(t), round: 0 }]);
      if (status === 'proved') this.active.add(c.name);
    }
  }

  /** Checks `goal` (a counterexample) under the active claims. */
  private async ask(name: string, action: Obligation['action'], goal: B, cti: () => Cti): Promise<Decided> {
    const { sm, sol } = this.q;
    const t = performance.now();
    sol.push();
    sol.add(goal);
    const verdict = await sm.check(sol, ...[...this.active].map((c) => this.q.claimLit.get(c)!));
    const seconds = secondsSince(t);
    const reason = verdict === 'unknown' ? sol.reasonUnknown() : undefined;
    const used =
      verdict === 'unsat'
        ? new Set(
            [...sol.unsatCore().values()].flatMap((l): string[] => {
              const c = this.q.claimOfLit.get(l.ast);
              return c ? [c] : [];
            }),
          )
        : null;
    const ob: Obligation = {
      invariant: name,
      action,
      status: verdict === 'unsat' ? 'proved' : verdict === 'sat' ? 'refuted' : 'unknown',
      seconds,
      round: this.rounds,
      ...(used ? { used: [...used] } : {}),
      ...(verdict === 'sat' ? { cti: cti() } : {}),
      ...(reason ? { reason } : {}),
    };
    sol.pop();
    return { ob, used };
  }

  /** One obligation of one kind: decided at once when the kind cannot matter, else asked. */
  private async decide(k: Kind, name: string, searching: boolean): Promise<void> {
    const { sm } = this.q;
    const slots = name === SLOTS_SUFFICE;
    if (slots ? k.tr.actions.length === 0 || sm.isF(k.tr.overflow) : !this.active.has(name)) return;
    const d = this.get(name, k.type);
    if (d && (d.ob.status !== 'unknown' || searching)) return;
    if (k.tr.actions.length === 0) {
      // No call of this kind changes the state: every claim is preserved.
      this.set(name, k.type, { ob: { invariant: name, action: k.type, status: 'proved', seconds: 0, round: this.rounds }, used: new Set() });
      return;
    }
    const after = slots ? undefined : k.at(this.q.atPost.get(name)!);
    if (after && after.ast === this.q.atPre.get(name)!.ast) {
      // No action of this kind touches what the claim reads: Q(s') is Q(s).
      this.set(name, k.type, { ob: { invariant: name, action: k.type, status: 'proved', seconds: 0, round: this.rounds, used: [name] }, used: new Set([name]) });
      return;
    }
    const goal = slots ? k.overflow : sm.and(sm.not(k.overflow), sm.not(after!));
    const r = await this.ask(name, k.type, goal, () => ctiOf(this.q.enc, this.q.sol, k.tr));
    this.set(name, k.type, r);
    if (!slots && r.ob.status === 'refuted') this.drop(name);
  }

  /** Rounds until nothing is open: first a search for counterexamples with a short timeout, then the full timeout for what stayed unknown. */
  async run(): Promise<void> {
    const { sol, kinds, goals } = this.q;
    let searching = true;
    for (;;) {
      this.rounds++;
      sol.set('timeout', searching ? this.q.searchMs : this.q.timeout);
      for (const k of kinds) {
        sol.push();
        sol.add(k.tr.selRange);
        for (const name of [SLOTS_SUFFICE, ...goals.map((c) => c.name)]) {
          await this.decide(k, name, searching);
          if (this.stopped()) break;
        }
        sol.pop();
        if (this.stopped()) break;
      }
      if (this.stopped()) break;
      const open = (name: string): Decided[] => [...(this.decided.get(name)?.values() ?? [])].filter((d) => d.ob.status !== 'proved');
      const missing = [...this.active].some((name) => kinds.some((k) => !this.get(name, k.type)));
      const unknown = [...this.active].filter((name) => open(name).length > 0);
      const slotsUnknown = open(SLOTS_SUFFICE).some((d) => d.ob.status === 'unknown');
      if (missing) continue; // proofs re-opened by a drop
      if (unknown.length === 0 && !(slotsUnknown && searching)) break;
      if (searching) {
        searching = false;
        continue;
      }
      // Unknown even with the full timeout: not proved, so not assumed either.
      for (const name of unknown) this.drop(name);
      searching = true;
    }
  }

  /** Each claim's obligations (those never asked: unknown, 'not checked'), and the slot bound's. */
  results(): { final: Map<string, Obligation[]>; slots: Obligation[] } {
    const notChecked = (name: string, action: AnyActionType): Obligation => ({ invariant: name, action, status: 'unknown', seconds: 0, round: this.rounds, reason: 'not checked' });
    const final = new Map(this.final);
    for (const name of this.active) final.set(name, [...final.get(name)!, ...this.q.kinds.map((k) => this.get(name, k.type)?.ob ?? notChecked(name, k.type))]);
    const slots = this.q.kinds
      .filter((k) => k.tr.actions.length > 0 && !this.q.sm.isF(k.tr.overflow))
      .map((k) => this.get(SLOTS_SUFFICE, k.type)?.ob ?? notChecked(SLOTS_SUFFICE, k.type));
    return { final, slots };
  }
}

export async function prove(scope: Scope, rules: Rules, opts: ProveOptions = {}): Promise<ProveResult> {
  const t0 = performance.now();
  const q = await buildQueries(scope, rules, opts);
  const buildSeconds = secondsSince(t0);
  const fp = new FixedPoint(q, opts.until);
  await fp.proveInit();
  await fp.run();
  const { final, slots } = fp.results();
  const { obligations, claims } = settle(q.goals, final, slots);
  return { rules, scope, obligations, claims, rounds: fp.rounds, buildSeconds, seconds: secondsSince(t0) };
}

/** The status of several decided things (obligations, scopes): refuted if one is, else unknown if one is, else proved. */
export const combinedStatus = (xs: readonly { readonly status: Status }[]): Status =>
  xs.some((x) => x.status === 'refuted') ? 'refuted' : xs.some((x) => x.status === 'unknown') ? 'unknown' : 'proved';

/**
 * Settles what the fixed point left (pure, no solver): a proof stands only if
 * every claim it used is established and the slot bound is proved; when
 * prove() stopped early (`until`) some claims were not established, so the
 * proofs that leaned on them fall to unknown, saying which. `final` holds each
 * claim's obligations (Init first), `slots` the slot bound's.
 */
export function settle(
  goals: readonly Pick<Claim, 'name' | 'kind'>[],
  final: ReadonlyMap<string, readonly Obligation[]>,
  slots: readonly Obligation[],
): { obligations: Obligation[]; claims: ClaimVerdict[] } {
  const established = new Set(goals.map((c) => c.name).filter((n) => final.get(n)!.every((o) => o.status === 'proved')));
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of established) {
      if (final.get(n)!.some((o) => (o.used ?? []).some((u) => !established.has(u)))) (established.delete(n), (changed = true));
    }
  }
  // Claims neither established nor refuted: left undecided by an early stop.
  const refutedClaim = (n: string): boolean => final.get(n)?.some((o) => o.status === 'refuted') ?? false;
  const undecided = (o: Obligation): string[] => (o.used ?? []).filter((u) => !established.has(u) && !refutedClaim(u));
  const relative = (o: Obligation): Obligation =>
    o.status === 'proved' && undecided(o).length > 0 ? { ...o, status: 'unknown', reason: `proved assuming claims left undecided: ${undecided(o).join(', ')}` } : o;
  const slotObs = slots.map(relative);
  const slotsProved = slotObs.every((o) => o.status === 'proved');
  const demote = (o: Obligation): Obligation =>
    o.status !== 'proved' || o.action === 'init' ? o : !slotsProved ? { ...o, status: 'unknown', reason: 'slot bound not proved' } : relative(o);
  const obligations = [...goals.flatMap((c) => final.get(c.name)!.map(demote)), ...slotObs];
  return {
    obligations,
    claims: [
      ...goals.map((c) => ({ name: c.name, kind: c.kind, status: combinedStatus(obligations.filter((o) => o.invariant === c.name)) })),
      { name: SLOTS_SUFFICE, kind: 'bound' as const, status: combinedStatus(slotObs) },
    ],
  };
}

/**
 * The claims a prove() result established, i.e. facts of every reachable state
 * (none if the slot bound was not proved: then nothing is).
 */
export function provedClaims(r: ProveResult): string[] {
  if (r.claims.some((c) => c.kind === 'bound' && c.status !== 'proved')) return [];
  return r.claims.filter((c) => c.kind !== 'bound' && c.status === 'proved').map((c) => c.name);
}

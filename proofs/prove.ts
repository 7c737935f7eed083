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
 * over every action of kind K with arguments 0..n+1 (allActions: the full
 * argument space up to equivalence; out-of-range numbers behave alike).
 *
 * The claims standing are found Houdini style: a claim with an obligation not
 * proved is dropped, and the rest is checked again under the weaker Inv,
 * until what stands is inductive. So `proved` is sound: the claims proved form
 * an inductive invariant that holds initially, hence in every reachable state
 * (given slots-suffice; if that is not proved, no obligation is reported
 * proved). A claim refuted in round r carries the counterexample to induction
 * of round r. For `reference` nothing is dropped: one round.
 */
import {
  ACTION_TYPES,
  type Action,
  type ActionType,
  type Scope,
  type State,
  type Variant,
  allActions,
  initialState,
} from '../model/index';
import { CLAIMS, type Claim } from './claims';
import { type DecodedStep, decodeStep, modelAgrees } from './decode';
import { layoutOf } from './layout';
import { type Encoding, encoding } from './symstep';
import { freshState, literalState, toVal } from './symstate';
import { type Transition, transition } from './transition';
import { type B, DEFAULT_TIMEOUT_MS, type Sol, secondsSince, smt } from './z3';

export type Status = 'proved' | 'refuted' | 'unknown';

export interface Cti {
  readonly pre: State;
  readonly action: Action;
  readonly result: string;
  readonly post: State;
  /** model/step.ts takes pre to post with result (null: step() throws on pre) */
  readonly modelAgrees: boolean | null;
}

export interface Obligation {
  /** an invariant of DESIGN.md §4, an auxiliary invariant (aux.ts), or 'slots-suffice' */
  readonly invariant: string;
  readonly action: ActionType | 'init';
  readonly status: Status;
  readonly seconds: number;
  /** the Houdini round that decided it (1 = everything assumed) */
  readonly round: number;
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
  readonly variant: Variant;
  readonly scope: Scope;
  readonly obligations: readonly Obligation[];
  readonly claims: readonly ClaimVerdict[];
  readonly rounds: number;
  /** building the encoding (symbolic steps, formulas) */
  readonly buildSeconds: number;
  readonly seconds: number;
}

export interface ProveOptions {
  readonly timeoutMs?: number;
  /** assume the auxiliary invariants (default true; false shows why they are needed) */
  readonly aux?: boolean;
}

export const SLOTS_SUFFICE = 'slots-suffice';

function claims(useAux: boolean): readonly Claim[] {
  return useAux ? CLAIMS : CLAIMS.filter((c) => c.kind === 'invariant');
}

function ctiOf(enc: Encoding, sol: Sol, tr: Transition): Cti {
  const d: DecodedStep = decodeStep(enc, sol.model(), tr, true);
  return { ...d, modelAgrees: modelAgrees(enc, d) };
}

export async function prove(scope: Scope, variant: Variant, opts: ProveOptions = {}): Promise<ProveResult> {
  const t0 = performance.now();
  const sm = await smt();
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const lay = layoutOf(scope, variant);
  const enc = encoding(sm, lay);
  const all = claims(opts.aux ?? true);

  const pre = freshState(sm, lay, 'pre');
  const init = literalState(sm, lay, toVal(lay, initialState(scope)));
  const everyAction = allActions(scope);
  const kinds = ACTION_TYPES.map((type) => ({
    type,
    tr: transition(enc, everyAction.filter((a) => a.type === type), pre, 'step', { changingOnly: true }),
  }));
  // All transitions share the post-state constants, so each claim's formula over it is built once.
  const post = kinds[0]!.tr.post;
  const atPre = new Map(all.map((c) => [c.name, c.formula(enc, pre)]));
  const atPost = new Map(all.map((c) => [c.name, c.formula(enc, post)]));
  const atInit = new Map(all.map((c) => [c.name, c.formula(enc, init)]));
  const buildSeconds = secondsSince(t0);

  const check = async (sol: Sol, goal: B): Promise<{ verdict: 'sat' | 'unsat' | 'unknown'; seconds: number; reason?: string }> => {
    const t = performance.now();
    sol.push();
    sol.add(goal);
    const verdict = await sm.check(sol);
    const seconds = secondsSince(t);
    const reason = verdict === 'unknown' ? sol.reasonUnknown() : undefined;
    return { verdict, seconds, ...(reason ? { reason } : {}) };
  };

  const final = new Map<string, Obligation[]>();
  let active: Claim[] = [];
  // Init => Q does not depend on the other claims.
  {
    const sol = sm.solver(timeout);
    for (const c of all) {
      const r = await check(sol, sm.not(atInit.get(c.name)!));
      sol.pop();
      const status: Status = r.verdict === 'unsat' ? 'proved' : r.verdict === 'sat' ? 'refuted' : 'unknown';
      const ob: Obligation = { invariant: c.name, action: 'init', status, seconds: r.seconds, round: 0, ...(r.reason ? { reason: r.reason } : {}) };
      final.set(c.name, [ob]);
      if (status === 'proved') active.push(c);
    }
  }

  let rounds = 0;
  let slots: Obligation[] = [];
  for (;;) {
    rounds++;
    const round = rounds;
    const sol = sm.solver(timeout);
    sol.add(sm.and(...active.map((c) => atPre.get(c.name)!)));
    const obligations = new Map<string, Obligation[]>(active.map((c) => [c.name, []]));
    slots = [];
    for (const { type, tr } of kinds) {
      if (tr.actions.length === 0) {
        // No call of this kind changes the state: every claim is preserved.
        for (const c of active) obligations.get(c.name)!.push({ invariant: c.name, action: type, status: 'proved', seconds: 0, round });
        continue;
      }
      // The post-state's definitions are substituted into each goal rather than
      // asserted as equations: the incremental solver does not eliminate them.
      const at = <T extends B>(f: T): T => sm.substitute(f, tr.definitions);
      sol.push();
      sol.add(tr.selRange);
      if (!sm.isF(tr.overflow)) {
        const r = await check(sol, at(tr.overflow));
        const status: Status = r.verdict === 'unsat' ? 'proved' : r.verdict === 'sat' ? 'refuted' : 'unknown';
        const cti = r.verdict === 'sat' ? ctiOf(enc, sol, tr) : undefined;
        sol.pop();
        slots.push({ invariant: SLOTS_SUFFICE, action: type, status, seconds: r.seconds, round, ...(cti ? { cti } : {}), ...(r.reason ? { reason: r.reason } : {}) });
        sol.add(sm.not(at(tr.overflow)));
      }
      for (const c of active) {
        const r = await check(sol, sm.not(at(atPost.get(c.name)!)));
        const status: Status = r.verdict === 'unsat' ? 'proved' : r.verdict === 'sat' ? 'refuted' : 'unknown';
        const cti = r.verdict === 'sat' ? ctiOf(enc, sol, tr) : undefined;
        sol.pop();
        obligations.get(c.name)!.push({ invariant: c.name, action: type, status, seconds: r.seconds, round, ...(cti ? { cti } : {}), ...(r.reason ? { reason: r.reason } : {}) });
      }
      sol.pop();
    }
    const failed = active.filter((c) => obligations.get(c.name)!.some((o) => o.status !== 'proved'));
    for (const c of active) final.set(c.name, [...final.get(c.name)!.slice(0, 1), ...obligations.get(c.name)!]);
    if (failed.length === 0) break;
    active = active.filter((c) => !failed.includes(c));
  }

  const slotsProved = slots.every((o) => o.status === 'proved');
  const demote = (o: Obligation): Obligation =>
    slotsProved || o.status !== 'proved' || o.action === 'init' ? o : { ...o, status: 'unknown', reason: 'slot bound not proved' };
  const obligations = [...all.flatMap((c) => final.get(c.name)!.map(demote)), ...slots];
  const verdict = (obs: readonly Obligation[]): Status =>
    obs.every((o) => o.status === 'proved') ? 'proved' : obs.some((o) => o.status === 'refuted') ? 'refuted' : 'unknown';
  return {
    variant,
    scope,
    obligations,
    claims: [
      ...all.map((c) => ({ name: c.name, kind: c.kind, status: verdict(obligations.filter((o) => o.invariant === c.name)) })),
      { name: SLOTS_SUFFICE, kind: 'bound' as const, status: verdict(slots) },
    ],
    rounds,
    buildSeconds,
    seconds: secondsSince(t0),
  };
}

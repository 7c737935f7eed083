/**
 * Unrolling the transition relation from the initial state, step by step, in
 * one incremental solver: the shared machinery of bmc() and outcomes().
 *
 * The relation is built once over template constants and instantiated per
 * step by substitution (one Z3 call), so a step costs the same however many
 * candidate actions there are.
 */
import { type AnyAction, type Rules, type Scope, initialState, scopeCandidates } from '../model/index';
import { layoutOf } from './layout';
import { type Encoding, encoding } from './symstep';
import { type SymState, freshState, leaves, literalState, toVal } from './symstate';
import { type Transition, transition } from './transition';
import { type B, DEFAULT_TIMEOUT_MS, type Leaf, type Mdl, type N, type NumberSort, type Sol, type Smt, smt } from './z3';

export class Unrolling {
  /** states[i]: the state after i steps */
  readonly states: SymState[];
  readonly sels: N[] = [];
  private readonly lemmas: B[] = [];
  readonly sol: Sol;
  private readonly step: B;

  private constructor(
    readonly enc: Encoding,
    readonly template: Transition,
    timeoutMs: number,
  ) {
    const { sm, lay } = enc;
    this.sol = sm.solver(timeoutMs);
    const s0 = freshState(sm, lay, 's0');
    const init = literalState(sm, lay, toVal(lay, initialState(lay.scope)));
    const l0 = leaves(s0);
    this.sol.add(sm.and(...leaves(init).map((v, i) => sm.same(l0[i]!, v))));
    this.states = [s0];
    // A step that a guard catches changes nothing: a path with one is as long as a
    // shorter path plus a stutter, so only steps that go through are unrolled.
    this.step = sm.and(template.relation, sm.not(template.overflow), template.changes);
  }

  static async create(
    scope: Scope,
    rules: Rules,
    opts: { timeoutMs?: number; sort?: NumberSort; actions?: readonly AnyAction[]; result?: boolean } = {},
  ): Promise<Unrolling> {
    const sm = await smt(opts.sort ?? 'int');
    const lay = layoutOf(scope, rules);
    const enc = encoding(sm, lay, true);
    const t = freshState(sm, lay, 't');
    const tr = transition(enc, opts.actions ?? scopeCandidates(scope, rules), t, 'tr', { result: opts.result ?? false });
    return new Unrolling(enc, tr, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  get sm(): Smt {
    return this.enc.sm;
  }

  get depth(): number {
    return this.sels.length;
  }

  /** A formula over the template's pre-state, moved to state i. */
  at<T extends B | N>(f: T, i: number): T {
    const from = leaves(this.template.pre);
    const to = leaves(this.states[i]!);
    return this.sm.substitute(f, from.map((x, k): [Leaf, Leaf] => [x, to[k]!]));
  }

  /** A fact over the template's pre-state, asserted of every state (those there and those to come). */
  assume(f: B): void {
    this.lemmas.push(f);
    for (let i = 0; i < this.states.length; i++) this.sol.add(this.at(f, i));
  }

  /** Adds one step: states[depth] -> states[depth + 1]. */
  extend(): void {
    const { sm, lay } = this.enc;
    const i = this.depth;
    const next = freshState(sm, lay, `s${i + 1}`);
    const tr = this.template;
    const picks: [Leaf, Leaf][] = tr.picks.map((p, k) => [p, sm.boolConst(`pick${i}.${k}`)]);
    const pairs: [Leaf, Leaf][] = [...picks];
    const pre = leaves(tr.pre);
    const cur = leaves(this.states[i]!);
    const post = leaves(tr.post);
    const nxt = leaves(next);
    pre.forEach((x, k) => pairs.push([x, cur[k]!]));
    post.forEach((x, k) => pairs.push([x, nxt[k]!]));
    pairs.push([tr.res, sm.intConst(`res${i}`)]);
    this.sol.add(sm.substitute(this.step, pairs));
    this.states.push(next);
    this.sels.push(sm.substitute(tr.sel, picks));
    for (const f of this.lemmas) this.sol.add(this.at(f, i + 1));
  }

  /** The actions a model picks for the first `k` steps. */
  actions(m: Mdl, k: number): AnyAction[] {
    return this.sels.slice(0, k).map((sel) => {
      const a = this.template.actions[this.sm.intIn(m, sel)];
      if (!a) throw new Error('decoded selector out of range');
      return a;
    });
  }
}

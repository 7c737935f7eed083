/**
 * The transition relation over a list of concrete actions: a selector picks
 * one, and the post-state, result and overflow flag are what symStep gives for
 * it. Each post leaf is an ite chain over only the actions that change it, so
 * the relation is about as large as the actions' own effects.
 */
import type { AnyAction } from '../model/index';
import { resTerm } from './results';
import { SymDraft } from './symdraft';
import { type SymOutcome, type Encoding, symStep } from './symstep';
import { type SymState, freshState, leaves, unflatten } from './symstate';
import type { B, Leaf, N } from './z3';

export interface Transition {
  readonly pre: SymState;
  readonly post: SymState;
  readonly actions: readonly AnyAction[];
  /** one Bool per action, exactly one true: which action is taken */
  readonly picks: readonly B[];
  /** the index of the action taken, as a term over `picks` (for decoding) */
  readonly sel: N;
  /** its result code */
  readonly res: N;
  /** post = step(pre, actions[sel]) and res its result (overflow aside) */
  readonly relation: B;
  /** the selected call goes through (no guard caught it), so it changes the state */
  readonly changes: B;
  /** the selected call needed a slot the layout does not have */
  readonly overflow: B;
  /** post leaf -> its definition over pre and sel (to substitute instead of asserting `relation`) */
  readonly definitions: readonly [Leaf, Leaf][];
  /** the selector's range */
  readonly selRange: B;
  /** the post-state and result as terms over pre and sel (what `definitions` substitute) */
  readonly postTerm: SymState;
  readonly resTerm: N;
  readonly outcomes: readonly SymOutcome[];
}

/**
 * The relation for `candidates` from `pre` to fresh constants `${name}.post`.
 * With `changingOnly`, calls that their arguments alone make fail (symStep
 * returns `pre` itself) are left out: they change nothing.
 */
export interface TransitionOptions {
  /** leave out calls whose arguments alone make them fail */
  readonly changingOnly?: boolean;
  /** define `res` (the result code) in `relation`; bmc() has no use for it */
  readonly result?: boolean;
}

export function transition(enc: Encoding, candidates: readonly AnyAction[], pre: SymState, name: string, opts: TransitionOptions = {}): Transition {
  const { sm, lay } = enc;
  const changingOnly = opts.changingOnly ?? false;
  const post = freshState(sm, lay, `${name}.post`);
  const res = sm.intConst(`${name}.res`);
  let actions = candidates;
  let outcomes = actions.map((a) => symStep(enc, pre, a));
  if (changingOnly) {
    actions = actions.filter((_, i) => outcomes[i]!.state !== pre);
    outcomes = outcomes.filter((o) => o.state !== pre);
  }
  const preLeaves = leaves(pre);
  const postLeaves = leaves(post);
  const outLeaves = outcomes.map((o) => (o.state === pre ? undefined : leaves(o.state)));
  // Boolean picks rather than an Int selector: the choice stays propositional.
  const picks = actions.map((_, i) => sm.boolConst(`${name}.pick${i}`));
  const isSel = picks;
  const selRange =
    picks.length === 0 ? sm.F : sm.and(sm.or(...picks), picks.length > 1 ? sm.ctx.AtMost(picks as [B, ...B[]], 1) : sm.T);
  const sel = sm.add(sm.firstOf(picks), -1);
  const eqs: B[] = [selRange];
  const definitions: [Leaf, Leaf][] = [];
  let postTerms: Leaf[] = preLeaves.map((p, l) => {
    let v: Leaf = p;
    for (let i = actions.length - 1; i >= 0; i--) {
      const x = outLeaves[i]?.[l];
      if (x && x.ast !== p.ast) v = sm.ite(isSel[i]!, x, v);
    }
    return v;
  });
  // The garbage collection of files, once for the selected state (see Encoding.deferFreeze).
  if (enc.deferFreeze) postTerms = leaves(new SymDraft(sm, lay, unflatten<B, N>(lay, postTerms, sm.int(0))).freeze(pre));
  postTerms.forEach((v, l) => {
    eqs.push(sm.same(postLeaves[l]!, v));
    if (postLeaves[l]!.ast !== v.ast) definitions.push([postLeaves[l]!, v]);
  });
  let r = sm.int(-1);
  for (let i = actions.length - 1; i >= 0; i--) r = sm.ite(isSel[i]!, resTerm(sm, outcomes[i]!.result), r);
  if (opts.result ?? true) eqs.push(sm.eq(res, r));
  const overflow = sm.or(...outcomes.map((o, i) => sm.and(isSel[i]!, o.overflow)));
  const changes = sm.or(...outcomes.map((o, i) => sm.and(isSel[i]!, o.changes)));
  return {
    pre,
    post,
    actions,
    picks,
    sel,
    res,
    relation: sm.and(...eqs),
    overflow,
    changes,
    outcomes,
    definitions,
    selRange,
    postTerm: unflatten<B, N>(lay, postTerms, sm.int(0)),
    resTerm: r,
  };
}

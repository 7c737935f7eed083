/**
 * Exhaustive breadth-first search of a scope under a design.
 *
 * Every reachable state is checked against every invariant; the search goes on
 * after a violation so that each invariant gets either `holds` or the depth of
 * its first violation, which in BFS order is the length of its shortest
 * violating trace. Only calls that change the state are followed (a failed
 * call returns its input state, see model/step.ts).
 */
import type { AnyAction as Action } from '../../model/actions';
import { scopeCandidates } from '../../model/candidates';
import { INVARIANTS, type InvariantName } from '../../model/invariants';
import { type Lemma, lemmasAt } from '../../model/lemmas';
import type { Scope } from '../../model/scope';
import { type State, initialState } from '../../model/state';
import { type Outcome, stepOf } from '../../model/step';
import { type Rules, notifies } from '../../model/rules';
import type { Design } from '../../model/variants';
import { decode } from './decode';
import { Encoder } from './encode';
import { retrace } from './notifications';
import { absorbedAfter, sleepAfter, sleepSets } from './sleep';
import { StateStore } from './store';

export interface Violation {
  readonly invariant: InvariantName;
  /** actions from the initial state to the first violating state */
  readonly actions: readonly Action[];
}

export interface ExploreResult {
  /** the design's name */
  readonly variant: string;
  readonly design: Design;
  readonly states: number;
  /** state-changing calls followed (edges, including those to known states) */
  readonly transitions: number;
  /** calls tried in all, failed ones included */
  readonly calls: number;
  /** of those, the calls the reduction (sleep.ts) counted without stepping as asleep: 0 without it */
  readonly asleep: number;
  /** and those it counted without stepping as undoing the call that reached the state (absorbed, sleep.ts): 0 without it */
  readonly absorbed: number;
  /** the BFS depth of the deepest state */
  readonly depth: number;
  readonly seconds: number;
  /** bytes held by the state store at the end */
  readonly storeBytes: number;
  readonly violations: ReadonlyMap<InvariantName, Violation>;
  /** with `lemmas`: per lemma broken in some reachable state, a shortest path to one */
  readonly lemmaViolations?: ReadonlyMap<string, readonly Action[]>;
}

export interface ExploreOptions {
  /** the actions to try in each state (default: candidateActions) */
  readonly actions?: readonly Action[];
  /** called after each BFS layer */
  readonly onLayer?: (p: { depth: number; states: number; frontier: number; seconds: number }) => void;
  /** stop after this BFS depth (the result then says nothing beyond it) */
  readonly maxDepth?: number;
  /** also check these lemmas (model/lemmas.ts) in every reachable state */
  readonly lemmas?: readonly Lemma[];
  /** called with each new state as it is found (its index is its BFS order); tests sample states here */
  readonly onState?: (s: State, index: number) => void;
  /** the transition function (default: the model's); tests plant bugs here. A custom step turns the reduction off. */
  readonly step?: (scope: Scope, rules: Rules, s: State, a: Action) => Outcome;
  /** skip the calls `sleepSets` proves redundant (default true; the result is the same either way) */
  readonly reduce?: boolean;
}

/** What the BFS leaves behind to walk back from a state to the initial one. */
export interface SearchTree {
  readonly scope: Scope;
  readonly rules: Rules;
  readonly init: State;
  readonly actions: readonly Action[];
  /** the encoding of state `index` */
  readonly encoding: (index: number) => Uint8Array;
  /** per state index, the index it was first reached from (-1 for the initial state) */
  readonly parent: ArrayLike<number>;
  /** per state index, the index in `actions` of the call that reached it */
  readonly via: ArrayLike<number>;
  /** the encoding forgets the order of pending notifications (notifies(rules)): a path is retraced through real states (notifications.ts) */
  readonly orderFree: boolean;
}

/** The path of calls from the initial state to state `index`, as the BFS first reached it. */
export function pathTo(t: SearchTree, index: number): Action[] {
  const path: number[] = [];
  for (let i = index; t.parent[i]! >= 0; i = t.parent[i]!) path.push(i);
  path.reverse();
  const acts = path.map((i) => t.actions[t.via[i]!]!);
  if (!t.orderFree) return acts;
  const reps = path.map((i) => (t.parent[i] === 0 ? t.init : decode(t.scope, t.encoding(t.parent[i]!))));
  return retrace(t.scope, t.rules, t.init, acts, reps);
}

/** Each invariant's shortest violation: the path of calls to the first violating state the BFS met. */
export function shortestViolations(t: SearchTree, firstBad: ReadonlyMap<InvariantName, number>): Map<InvariantName, Violation> {
  const violations = new Map<InvariantName, Violation>();
  for (const inv of INVARIANTS) {
    const at = firstBad.get(inv.name);
    if (at !== undefined) violations.set(inv.name, { invariant: inv.name, actions: pathTo(t, at) });
  }
  return violations;
}

/**
 * The sequential BFS. One long function on purpose (the house's 80-line bound
 * excepts it): its loop over every call of every state is the explorer's
 * hot path, and the reduction's bookkeeping stays in plain local arrays there.
 */
export function explore(scope: Scope, design: Design, opts: ExploreOptions = {}): ExploreResult {
  const { rules } = design;
  const t0 = performance.now();
  const actions = opts.actions ?? scopeCandidates(scope, rules);
  const orderFree = notifies(rules);
  const enc = new Encoder(scope, orderFree);
  const store = new StateStore();
  const tree = new Tree();
  const { firstBad, firstBadLemma, check } = firstBreaks(scope, rules, lemmasAt(scope, opts.lemmas ?? []));

  const init = initialState(scope);
  enc.encode(init);
  store.intern(enc.words, enc.nWords);
  tree.push(-1, -1);
  check(init, 0);
  opts.onState?.(init, 0);

  // The frontier is kept as state indices; a state is decoded from the store when expanded.
  // A level's states have consecutive indices: the frontier's from frontierStart, its parents' from parentStart.
  let frontier: number[] = [0];
  let frontierStart = 0;
  let parentStart = 0;
  let depth = 0;
  let transitions = 0;
  let calls = 0;
  let asleepCalls = 0;
  let absorbedCalls = 0;
  const maxDepth = opts.maxDepth ?? Infinity;
  const custom = opts.step;
  const steps = actions.map((a) => (custom ? (s: State) => custom(scope, rules, s, a) : stepOf(scope, rules, a)));
  const sleep = opts.reduce !== false && !custom ? sleepSets(scope, rules, actions) : null;
  const W = sleep ? sleep.words : 0;
  // Per state of the level expanded last (by position): its sleep set and which calls changed it; the same for this level.
  let prevAsleep = new Uint32Array(0);
  let prevEnabled = new Uint32Array(0);
  // The calls absorbed in the state being expanded.
  const absorbedHere = new Uint32Array(W);
  while (frontier.length > 0 && depth < maxDepth) {
    const next: number[] = [];
    const asleepHere = new Uint32Array(frontier.length * W);
    const enabled = new Uint32Array(frontier.length * W);
    const nextStart = store.size;
    for (let k = 0; k < frontier.length; k++) {
      const from = frontier[k]!;
      const s = from === 0 ? init : decode(scope, store.encoding(from));
      const reduced = sleep !== null && from !== 0;
      const parentAt = reduced ? (tree.parent[from]! - parentStart) * W : 0;
      if (reduced) {
        sleepAfter(sleep, s, tree.via[from]!, prevAsleep, parentAt, asleepHere, k * W);
        absorbedAfter(sleep, s, tree.via[from]!, prevEnabled, parentAt, absorbedHere, 0);
      }
      for (let a = 0; a < steps.length; a++) {
        calls++;
        const word = a >>> 5;
        const bit = 1 << (a & 31);
        if (reduced && (asleepHere[k * W + word]! & bit) !== 0) {
          asleepCalls++;
          // It changes this state iff it changed the parent (they commute).
          if ((prevEnabled[parentAt + word]! & bit) !== 0) {
            transitions++;
            enabled[k * W + word]! |= bit;
          }
          continue;
        }
        if (reduced && (absorbedHere[word]! & bit) !== 0) {
          // It changes this state, into one its parent reached already.
          absorbedCalls++;
          transitions++;
          enabled[k * W + word]! |= bit;
          continue;
        }
        const t = steps[a]!(s).state;
        if (t === s) continue;
        transitions++;
        if (W > 0) enabled[k * W + word]! |= bit;
        enc.encode(t);
        const index = store.intern(enc.words, enc.nWords, enc.hash);
        if (!store.added) continue;
        tree.push(from, a);
        check(t, index);
        opts.onState?.(t, index);
        next.push(index);
      }
    }
    if (next.length > 0) depth++;
    frontier = next;
    prevEnabled = enabled;
    prevAsleep = asleepHere;
    parentStart = frontierStart;
    frontierStart = nextStart;
    opts.onLayer?.({ depth, states: store.size, frontier: next.length, seconds: (performance.now() - t0) / 1000 });
  }

  const searched: SearchTree = { scope, rules, init, actions, encoding: (i) => store.encoding(i), parent: tree.parent, via: tree.via, orderFree };
  const counts = { states: store.size, transitions, calls, asleep: asleepCalls, absorbed: absorbedCalls, depth, storeBytes: store.bytes() + tree.size * 8 };
  return {
    variant: design.name,
    design,
    ...counts,
    seconds: (performance.now() - t0) / 1000,
    violations: shortestViolations(searched, firstBad),
    ...(opts.lemmas ? { lemmaViolations: new Map([...firstBadLemma].map(([name, at]) => [name, pathTo(searched, at)])) } : {}),
  };
}

/** Per invariant and lemma, the index of the first state breaking it, and the check that records them. */
function firstBreaks(scope: Scope, rules: Rules, lemmas: readonly Lemma[]) {
  const firstBad = new Map<InvariantName, number>();
  const firstBadLemma = new Map<string, number>();
  const check = (s: State, index: number): void => {
    for (const inv of INVARIANTS) if (!firstBad.has(inv.name) && !inv.holds(scope, s)) firstBad.set(inv.name, index);
    for (const l of lemmas) if (!firstBadLemma.has(l.name) && !l.holds(scope, rules, s)) firstBadLemma.set(l.name, index);
  };
  return { firstBad, firstBadLemma, check };
}

/**
 * The BFS tree, to rebuild traces: each state's parent index and the action
 * taken from it. Typed arrays, 8 bytes a state; number[] arrays took 16.
 */
class Tree {
  parent = new Int32Array(1 << 16);
  via = new Int32Array(1 << 16);
  size = 0;

  push(parent: number, via: number): void {
    if (this.size === this.parent.length) {
      const p = new Int32Array(this.size * 2);
      p.set(this.parent);
      this.parent = p;
      const v = new Int32Array(this.size * 2);
      v.set(this.via);
      this.via = v;
    }
    this.parent[this.size] = parent;
    this.via[this.size++] = via;
  }
}

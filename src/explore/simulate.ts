/**
 * Seeded random walks, for scopes too large to exhaust. Each walk starts in
 * the initial state and takes `steps` calls: most are drawn from the
 * candidate actions (preferring one that changes the state), a fraction
 * (`noise`) from the whole argument space, out-of-range and wild values
 * included, as unreliable userspace would. Every checked invariant is checked
 * in every state; per invariant the shortest violating walk prefix is kept and
 * shrunk. Same scope, variant, options and seed: same walks, same result.
 */
import type { Design } from '../../model/variants';
import {
  type Action,
  INVARIANT_BY_NAME,
  INVARIANT_NAMES,
  type InvariantName,
  type Scope,
  type State,
  candidateActions,
  initialState,
  step,
} from '../../model/index';
import { arbitraryAction } from './arbitrary';
import { Encoder } from './encode';
import { Prng } from './prng';
import { shrinkWalk } from './shrink';
import { StateStore } from './store';

export interface SimulateOptions {
  readonly runs: number;
  readonly steps: number;
  readonly seed: number;
  /** the invariants to check (default: all) */
  readonly invariants?: readonly InvariantName[];
  /** the fraction of calls drawn from the whole argument space (default 0.1) */
  readonly noise?: number;
  readonly onRun?: (p: { run: number; seconds: number }) => void;
}

export interface SimViolation {
  readonly invariant: InvariantName;
  /** the walk prefix as found, before shrinking */
  readonly foundLength: number;
  /** the shrunk walk: the last state violates the invariant */
  readonly actions: readonly Action[];
}

export interface SimulateResult {
  /** the design's name */
  readonly variant: string;
  readonly design: Design;
  readonly checked: readonly InvariantName[];
  /** the calls the walks made: runs x steps, each counted once */
  readonly calls: number;
  /** step evaluations, counting the redraws of candidates that would not have changed the state */
  readonly draws: number;
  /** distinct states visited; absent past MAX_COUNTED (counting stops there) */
  readonly states?: number;
  readonly seconds: number;
  readonly violations: ReadonlyMap<InvariantName, SimViolation>;
}

export const MAX_COUNTED = 1_000_000;
/** tries at drawing a candidate that changes the state before taking whatever came */
export const TRIES = 8;

export function simulate(scope: Scope, design: Design, o: SimulateOptions): SimulateResult {
  const { rules } = design;
  const t0 = performance.now();
  const rng = new Prng(o.seed);
  const noise = o.noise ?? 0.1;
  const checked = o.invariants ?? INVARIANT_NAMES;
  const invs = checked.map((n) => INVARIANT_BY_NAME[n]);
  const cands = candidateActions(scope, rules);
  const cumulative = cumulativeWeights(cands);
  const enc = new Encoder(scope);
  const store = new StateStore();
  let counting = true;
  const count = (s: State): void => {
    if (!counting) return;
    enc.encode(s);
    store.intern(enc.words, enc.nWords);
    if (store.size > MAX_COUNTED) counting = false;
  };
  const shortest = new Map<InvariantName, Action[]>();
  let calls = 0;
  let draws = 0;

  for (let run = 0; run < o.runs; run++) {
    let s = initialState(scope);
    count(s);
    const walk: Action[] = [];
    const broken = new Set<InvariantName>();
    const check = (): void => {
      for (const inv of invs) {
        if (broken.has(inv.name) || inv.holds(scope, s)) continue;
        broken.add(inv.name);
        const best = shortest.get(inv.name);
        if (!best || walk.length < best.length) shortest.set(inv.name, walk.slice());
      }
    };
    check();
    for (let i = 0; i < o.steps; i++) {
      const wild = rng.next() < noise;
      let action = wild ? arbitraryAction(rng, scope) : pick(rng, cands, cumulative);
      let next = step(scope, rules, s, action).state;
      draws++;
      for (let t = 1; !wild && next === s && t < TRIES; t++) {
        action = pick(rng, cands, cumulative);
        next = step(scope, rules, s, action).state;
        draws++;
      }
      walk.push(action);
      calls++;
      if (next !== s) {
        s = next;
        count(s);
        check();
      }
    }
    o.onRun?.({ run: run + 1, seconds: (performance.now() - t0) / 1000 });
  }

  const violations = new Map<InvariantName, SimViolation>();
  for (const [name, walk] of shortest) {
    const actions = shrinkWalk(scope, rules, INVARIANT_BY_NAME[name], walk);
    violations.set(name, { invariant: name, foundLength: walk.length, actions });
  }
  return {
    variant: design.name,
    design,
    checked,
    calls,
    draws,
    ...(counting ? { states: store.size } : {}),
    seconds: (performance.now() - t0) / 1000,
    violations,
  };
}

/**
 * exit and vm_destroy are final: drawn as often as any other call they end
 * most walks within a few dozen steps, and the walk then idles in a state
 * with nothing left to do. They are drawn 1/FINAL_ODDS as often.
 */
const FINAL_ODDS = 20;

function cumulativeWeights(cands: readonly Action[]): Float64Array {
  const acc = new Float64Array(cands.length);
  let total = 0;
  cands.forEach((a, i) => (acc[i] = total += a.type === 'exit' || a.type === 'vm_destroy' ? 1 / FINAL_ODDS : 1));
  return acc;
}

function pick(rng: Prng, cands: readonly Action[], cumulative: Float64Array): Action {
  const x = rng.next() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return cands[lo]!;
}

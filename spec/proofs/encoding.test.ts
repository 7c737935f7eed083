import { VARIANTS } from '../../model/variants';
// @vitest-environment node
/*
 * The Z3 encoding cannot drift from model/: on states reached by random walks
 * of model step() from the initial state, the symbolic step's successor and
 * result equal step()'s, and each invariant's formula agrees with `holds`.
 * Checked two ways: by evaluating the encoding's terms on literal states (Smt
 * folds constants, so many cases are cheap), and through the solver, with the
 * transition relation bmc() unrolls (post-state and result read from a model).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Action,
  type AnyAction,
  INVARIANTS,
  type Rules,
  PRESETS,
  type Scope,
  type State,
  VARIANT_NAMES,
  type Variant,
  allActions,
  allScopeActions,
  candidateActions,
  initialState,
  scopeCandidates,
  step,
} from '../../model/index';
import { presetDesign } from '../../model/variants';
import { explore } from '../../src/explore/explorer';
import { decodeStep } from '../../proofs/decode';
import { invariantFormula } from '../../proofs/invariants';
import { layoutOf } from '../../proofs/layout';
import { resTerm } from '../../proofs/results';
import { encoding, symStep } from '../../proofs/symstep';
import { type SymState, fromVal, freshState, leaves, literalState, toVal, unflatten } from '../../proofs/symstate';
import { transition } from '../../proofs/transition';
import { type Leaf, type Smt, smt } from '../../proofs/z3';

const scope = PRESETS.default;

const TEARDOWN = new Set(['close', 'destroy', 'detach', 'mdev_detach', 'kvm_unmap_pasid', 'vm_destroy', 'exit', 'swq_exec', 'deliver', 'sva_unbind', 'exit_files']);

/**
 * A reachable state: each pick chooses among the calls that change the state,
 * and a teardown only one time in four, so that walks build up what the
 * interesting steps act on (queued descriptors, parked PASIDs, KVM entries).
 */
function walk(scope: Scope, variant: Variant, picks: readonly number[]): State {
  const cands = scopeCandidates(scope, VARIANTS[variant].rules);
  let s = initialState(scope);
  for (const p of picks) {
    const moves = cands.flatMap((a) => {
      const t = step(scope, VARIANTS[variant].rules, s, a).state;
      return t === s || (TEARDOWN.has(a.type) && p % 4 !== 0) ? [] : [t];
    });
    if (moves.length > 0) s = moves[(p >> 2) % moves.length]!;
  }
  return s;
}

/** The values of a state made of literals (throws if a term did not fold). */
function folded(sm: Smt, variant: Variant, s: SymState): State {
  return foldedAt(sm, layoutOf(scope, VARIANTS[variant].rules), s);
}

function foldedAt(sm: Smt, lay: ReturnType<typeof layoutOf>, s: SymState): State {
  const vals = leaves(s).map((l: Leaf): number | boolean => {
    if (sm.ctx.isBool(l)) {
      if (sm.isT(l)) return true;
      if (sm.isF(l)) return false;
    } else {
      const v = sm.lit(l);
      if (v !== undefined) return v;
    }
    throw new Error(`term did not fold: ${l.sexpr()}`);
  });
  return fromVal(lay, unflatten<boolean, number>(lay, vals, 0));
}

/** Up to `size` states reachable under a preset, a deterministic reservoir sample uniform over all of them (Algorithm R). */
function reachableSample(scope: Scope, variant: Variant, size: number, seed: number): State[] {
  const sample: State[] = [];
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const total = explore(scope, presetDesign(variant), {
    onState: (st, index) => {
      if (sample.length < size) sample.push(st);
      else {
        const j = rand(index + 1);
        if (j < size) sample[j] = st;
      }
    },
  }).states;
  expect(sample.length).toBe(Math.min(total, size));
  return sample;
}

/** The symbolic step from `pre` (the literal of `st`) gives step()'s result and post-state for call `a`. */
function expectStepAgrees(
  sm: Smt,
  enc: ReturnType<typeof encoding>,
  lay: ReturnType<typeof layoutOf>,
  c: { scope: Scope; rules: Rules; st: State; pre: SymState; a: AnyAction },
): void {
  const want = step(c.scope, c.rules, c.st, c.a);
  const got = symStep(enc, c.pre, c.a);
  const what = `${JSON.stringify(c.a)} on ${JSON.stringify(c.st)}`;
  expect(enc.codes.string(sm.lit(resTerm(sm, got.result))!), what).toBe(want.result);
  expect(foldedAt(sm, lay, got.state), what).toEqual(want.state);
}

const walks = fc.array(fc.nat(), { minLength: 0, maxLength: 30 });

/** Every preset the encoding covers: all of §5 and §9 (iommufd-busy's destroyInUse: busy included). */
const ENCODED = VARIANT_NAMES;

describe('the symbolic step is model/step.ts', () => {
  it.each(ENCODED)('%s: successor, result and invariants agree on reachable states (terms evaluated)', async (variant) => {
    const sm = await smt();
    const lay = layoutOf(scope, VARIANTS[variant].rules);
    const enc = encoding(sm, lay);
    const cands = candidateActions(scope, VARIANTS[variant].rules);
    const others = allActions(scope);
    fc.assert(
      fc.property(walks, fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), (picks, tries) => {
        const s = walk(scope, variant, picks);
        const pre = literalState(sm, lay, toVal(lay, s));
        expect(fromVal(lay, toVal(lay, s))).toEqual(s);
        for (const inv of INVARIANTS) {
          const f = invariantFormula(enc, inv.name, pre);
          expect(sm.isT(f) || sm.isF(f), inv.name).toBe(true);
          expect(sm.isT(f), `${inv.name} on ${JSON.stringify(s)}`).toBe(inv.holds(scope, s));
        }
        // Every candidate (the calls that can change the state), and a few of the whole argument space.
        for (const a of [...cands, ...tries.map((t) => others[t % others.length]!)]) {
          const want = step(scope, VARIANTS[variant].rules, s, a);
          const got = symStep(enc, pre, a);
          expect(enc.codes.string(sm.lit(resTerm(sm, got.result))!), JSON.stringify(a)).toBe(want.result);
          expect(folded(sm, variant, got.state), JSON.stringify(a)).toEqual(want.state);
          expect(sm.isF(got.overflow)).toBe(true);
          // A call that fails on its arguments alone returns the input state itself, as step() does.
          if (got.state === pre) expect(want.state).toBe(s);
        }
      }),
      { numRuns: 30, seed: 4242 },
    );
  });

  it.each(ENCODED)('%s: the same through the solver, with the relation bmc() unrolls', async (variant) => {
    const sm = await smt();
    const lay = layoutOf(scope, VARIANTS[variant].rules);
    const enc = encoding(sm, lay, true);
    // The candidates, plus some calls whose arguments make them fail.
    const actions: Action[] = [...candidateActions(scope, VARIANTS[variant].rules), ...allActions(scope).filter((_, i) => i % 29 === 0)];
    const tr = transition(enc, actions, freshState(sm, lay, 'pre'), 'spec');
    const sol = sm.solver(20_000);
    sol.add(tr.relation);
    await fc.assert(
      fc.asyncProperty(walks, fc.nat(), async (picks, t) => {
        const s = walk(scope, variant, picks);
        const i = t % actions.length;
        const want = step(scope, VARIANTS[variant].rules, s, actions[i]!);
        const values = leaves(literalState(sm, lay, toVal(lay, s)));
        sol.push();
        sol.add(tr.picks[i]!, ...leaves(tr.pre).map((l, k) => sm.same(l, values[k]!)));
        expect(await sm.check(sol)).toBe('sat');
        const m = sol.model();
        const d = decodeStep(enc, m, tr);
        for (const inv of INVARIANTS) expect(sm.boolIn(m, invariantFormula(enc, inv.name, tr.pre)), inv.name).toBe(inv.holds(scope, s));
        sol.pop();
        expect(d.action).toEqual(actions[i]);
        expect(d.pre).toEqual(s);
        expect(d.result).toBe(want.result);
        expect(d.post).toEqual(want.state);
      }),
      { numRuns: 20, seed: 4343 },
    );
  });

  // Exhaustive where cheap: at `tiny`, 120 states drawn uniformly from the whole
  // reachable space (a seeded reservoir sample over the BFS), times every candidate,
  // for every preset. EXHAUSTIVE=1 takes every reachable state (about 0.1 ms a
  // symbolic step: some minutes per design).
  const every = process.env.EXHAUSTIVE === '1';
  it.each(ENCODED)('%s at tiny: on reachable states from every depth, every candidate agrees with step()', async (variant) => {
    const tiny = PRESETS.tiny;
    const rules = VARIANTS[variant].rules;
    const sm = await smt();
    const lay = layoutOf(tiny, rules);
    const enc = encoding(sm, lay);
    const cands = candidateActions(tiny, rules);
    const sample = reachableSample(tiny, variant, every ? Infinity : 120, 20210331);
    let steps = 0;
    for (const st of sample) {
      const pre = literalState(sm, lay, toVal(lay, st));
      for (const a of cands) {
        expectStepAgrees(sm, enc, lay, { scope: tiny, rules, st, pre, a });
        steps++;
      }
    }
    expect(steps).toBe(sample.length * cands.length);
  });

  it('a state that does not fit the layout is refused, not silently cut', () => {
    const sva = layoutOf(PRESETS.sva, VARIANTS.reference.rules);
    const s0 = initialState(PRESETS.sva);
    expect(() => toVal(sva, { ...s0, sva: [[{ pasid: 1, proc: 1 }], [], []] })).toThrow(/pdev 1 has SVA entries/);
    expect(() => toVal(sva, { ...s0, sva: [[], [{ pasid: 1, proc: 1 }, { pasid: 1, proc: 2 }], []] })).toThrow(/two SVA entries/);
    expect(() => toVal(layoutOf(scope, VARIANTS.reference.rules), s0)).toThrow(/SVA state at a scope without SVA/);
    const lay = layoutOf(scope, VARIANTS.reference.rules);
    const s = initialState(scope);
    expect(() => toVal(lay, { ...s, queues: [[{ issuer: 1, pasid: 1 }], []] })).toThrow(/pdev 1 has a queue/);
    expect(() => toVal(lay, { ...s, ioasids: Array.from({ length: lay.ioasids + 1 }, () => null) })).toThrow(/ioasids/);
  });
});

/*
 * The SVA extension (DESIGN.md §10) held to model/step.ts the same ways, at the
 * `sva` scope, for the reference (svaPasidFree: mmdrop) and the 2022 bug
 * (svaPasidFree: mmput): every candidate of the scope's vocabulary, §10's
 * included, on states of random walks and on a uniform sample of the whole
 * reachable space.
 */
describe('the symbolic step is model/step.ts at the sva scope (§10)', () => {
  const sva = PRESETS.sva;
  const SVA_RULES = ['reference', 'sva-free-at-mmput'] as const satisfies readonly Variant[];

  it.each(SVA_RULES)('%s: successor, result and invariants agree on reachable states (terms evaluated)', async (variant) => {
    const rules = VARIANTS[variant].rules;
    const sm = await smt();
    const lay = layoutOf(sva, rules);
    const enc = encoding(sm, lay);
    const cands = scopeCandidates(sva, rules);
    const others = allScopeActions(sva);
    fc.assert(
      fc.property(walks, fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), (picks, tries) => {
        const s = walk(sva, variant, picks);
        const pre = literalState(sm, lay, toVal(lay, s));
        expect(fromVal(lay, toVal(lay, s))).toEqual(s);
        for (const inv of INVARIANTS) {
          const f = invariantFormula(enc, inv.name, pre);
          expect(sm.isT(f) || sm.isF(f), inv.name).toBe(true);
          expect(sm.isT(f), `${inv.name} on ${JSON.stringify(s)}`).toBe(inv.holds(sva, s));
        }
        for (const a of [...cands, ...tries.map((t) => others[t % others.length]!)]) {
          const want = step(sva, rules, s, a);
          const got = symStep(enc, pre, a);
          expect(enc.codes.string(sm.lit(resTerm(sm, got.result))!), JSON.stringify(a)).toBe(want.result);
          expect(foldedAt(sm, lay, got.state), JSON.stringify(a)).toEqual(want.state);
          expect(sm.isF(got.overflow)).toBe(true);
          if (got.state === pre) expect(want.state).toBe(s);
        }
      }),
      { numRuns: 30, seed: 4444 },
    );
  });

  it.each(SVA_RULES)('%s: the same through the solver, with the relation bmc() unrolls', async (variant) => {
    const rules = VARIANTS[variant].rules;
    const sm = await smt();
    const lay = layoutOf(sva, rules);
    const enc = encoding(sm, lay, true);
    const actions = [...scopeCandidates(sva, rules), ...allScopeActions(sva).filter((_, i) => i % 31 === 0)];
    const tr = transition(enc, actions, freshState(sm, lay, 'pre'), 'spec');
    const sol = sm.solver(20_000);
    sol.add(tr.relation);
    await fc.assert(
      fc.asyncProperty(walks, fc.nat(), async (picks, t) => {
        const s = walk(sva, variant, picks);
        const i = t % actions.length;
        const want = step(sva, rules, s, actions[i]!);
        const values = leaves(literalState(sm, lay, toVal(lay, s)));
        sol.push();
        sol.add(tr.picks[i]!, ...leaves(tr.pre).map((l, k) => sm.same(l, values[k]!)));
        expect(await sm.check(sol)).toBe('sat');
        const m = sol.model();
        const d = decodeStep(enc, m, tr);
        for (const inv of INVARIANTS) expect(sm.boolIn(m, invariantFormula(enc, inv.name, tr.pre)), inv.name).toBe(inv.holds(sva, s));
        sol.pop();
        expect(d.action).toEqual(actions[i]);
        expect(d.pre).toEqual(s);
        expect(d.result).toBe(want.result);
        expect(d.post).toEqual(want.state);
      }),
      { numRuns: 20, seed: 4545 },
    );
  });

  const every = process.env.EXHAUSTIVE === '1';
  it.each(SVA_RULES)('%s: on reachable states from every depth, every candidate agrees with step()', async (variant) => {
    const rules = VARIANTS[variant].rules;
    const sm = await smt();
    const lay = layoutOf(sva, rules);
    const enc = encoding(sm, lay);
    const cands = scopeCandidates(sva, rules);
    const sample = reachableSample(sva, variant, every ? Infinity : 150, 20220101);
    for (const st of sample) {
      const pre = literalState(sm, lay, toVal(lay, st));
      for (const inv of INVARIANTS) expect(sm.isT(invariantFormula(enc, inv.name, pre)), inv.name).toBe(inv.holds(sva, st));
      for (const a of cands) expectStepAgrees(sm, enc, lay, { scope: sva, rules, st, pre, a });
    }
  });
});

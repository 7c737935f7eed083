// @vitest-environment node
/*
 * The concrete twins of the auxiliary invariants (model/lemmas.ts) say what
 * their Z3 formulas (proofs/aux.ts) say: on states reached by random walks of
 * every preset at `default`, each twin's `holds` equals its formula evaluated
 * on the literal state. With that, a lemma the explorer finds broken in a
 * reachable state is a lemma the encoding could not have proved there.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LEMMAS,
  LEMMA_NAMES,
  PRESETS,
  type Scope,
  type State,
  VARIANTS,
  VARIANT_NAMES,
  type Variant,
  candidateActions,
  initialState,
  lemmasAt,
  scopeCandidates,
  step,
} from '../../model/index';
import { AUX_INVARIANTS } from '../../proofs/aux';
import { layoutOf } from '../../proofs/layout';
import { literalState, toVal } from '../../proofs/symstate';
import { encoding } from '../../proofs/symstep';
import { smt } from '../../proofs/z3';

const scope = PRESETS.default;

function walk(variant: Variant, picks: readonly number[], at: Scope = scope): State {
  const rules = VARIANTS[variant].rules;
  const cands = at.sva === true ? scopeCandidates(at, rules) : candidateActions(at, rules);
  let s = initialState(at);
  for (const p of picks) {
    const moves = cands.map((a) => step(at, rules, s, a).state).filter((t) => t !== s);
    if (moves.length > 0) s = moves[p % moves.length]!;
  }
  return s;
}

/** Every number and boolean of a state, as a path into it (the state is plain JSON data). */
function leafPaths(x: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof x === 'number' || typeof x === 'boolean') return [path];
  if (x === null || typeof x !== 'object') return [];
  return Object.entries(x as object).flatMap(([k, v]) => leafPaths(v, [...path, Array.isArray(x) ? Number(k) : k]));
}

/** The state with the leaf at `path` set to `value` (a number leaf) or flipped (a boolean one): mostly unreachable states. */
function mutate(s: State, path: readonly (string | number)[], value: number): State {
  const out = JSON.parse(JSON.stringify(s)) as Record<string | number, unknown>;
  let at = out;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  at[last] = typeof at[last] === 'boolean' ? !at[last] : value;
  return out as unknown as State;
}

const brokenSomewhere = new Set<string>();

describe('the auxiliary invariants have concrete twins', () => {
  it('one twin per formula, same names, same order, one statement', () => {
    expect(AUX_INVARIANTS.map((a) => a.name)).toEqual(LEMMA_NAMES);
    for (const a of AUX_INVARIANTS) expect(a.statement).toBe(LEMMAS.find((l) => l.name === a.name)!.statement);
  });

  it.each(VARIANT_NAMES)('%s: each twin holds exactly where its formula does, on reachable states at default', async (variant) => {
    const sm = await smt();
    const rules = VARIANTS[variant].rules;
    const lay = layoutOf(scope, rules);
    const enc = encoding(sm, lay);
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 0, maxLength: 40 }), (picks) => {
        const s = walk(variant, picks);
        const pre = literalState(sm, lay, toVal(lay, s));
        for (const a of AUX_INVARIANTS) {
          const f = a.formula(enc, pre);
          expect(sm.isT(f) || sm.isF(f), a.name).toBe(true);
          const twin = LEMMAS.find((l) => l.name === a.name)!.holds(scope, rules, s);
          expect(twin, `${a.name} on ${JSON.stringify(s)}`).toBe(sm.isT(f));
          if (!twin) seen.set(a.name, (seen.get(a.name) ?? 0) + 1);
        }
      }),
      { numRuns: 60, seed: 20210331 },
    );
    // Reachable states rarely break a lemma, so the twins are also held to the formulas on
    // states one value away from reachable ones, where they break often.
    const broken = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 5, maxLength: 40 }), fc.nat(), fc.integer({ min: 0, max: 4 }), (picks, which, value) => {
        const base = walk(variant, picks);
        const paths = leafPaths(base);
        const s = mutate(base, paths[which % paths.length]!, value);
        let v;
        try {
          v = toVal(lay, s);
        } catch {
          return; // not representable in the encoding's slots: nothing to compare
        }
        const pre = literalState(sm, lay, v);
        for (const a of AUX_INVARIANTS) {
          const f = a.formula(enc, pre);
          const twin = LEMMAS.find((l) => l.name === a.name)!.holds(scope, rules, s);
          expect(twin, `${a.name} on ${JSON.stringify(s)}`).toBe(sm.isT(f));
          if (!twin) broken.set(a.name, (broken.get(a.name) ?? 0) + 1);
        }
      }),
      { numRuns: 1500, seed: 20210331 },
    );
    // The comparison had teeth: lemmas were seen broken, and over all presets every one was (below).
    expect(broken.size).toBeGreaterThanOrEqual(4);
    for (const name of broken.keys()) brokenSomewhere.add(name);
    // The reference keeps every lemma in every reachable state (Z3 proves them inductive there).
    if (variant === 'reference' || variant === 'iommufd-busy') expect([...seen.keys()]).toEqual([]);
  });

  it('notes-wf: a pending notification naming no entry breaks twin and formula alike', async () => {
    const sm = await smt();
    const rules = VARIANTS['notifier-cleanup'].rules;
    const lay = layoutOf(scope, rules);
    const pdev = scope.devices.find((d) => d.kind === 'pdev')!;
    const s: State = { ...initialState(scope), notifications: [{ holder: 'pdev', id: pdev.id, key: 1 }] };
    const f = AUX_INVARIANTS.find((a) => a.name === 'notes-wf')!.formula(encoding(sm, lay), literalState(sm, lay, toVal(lay, s)));
    expect(sm.isF(f)).toBe(true);
    expect(LEMMAS.find((l) => l.name === 'notes-wf')!.holds(scope, rules, s)).toBe(false);
    brokenSomewhere.add('notes-wf');
  });

  // §10: at the sva scope, the lemmas of that scope (lemmasAt: §10's own too), for the
  // reference and the 2022 bug, on reachable states and on states one value away.
  it.each(['reference', 'sva-free-at-mmput'] as const)('%s: each twin holds exactly where its formula does at the sva scope', async (variant) => {
    const sva = PRESETS.sva;
    const sm = await smt();
    const rules = VARIANTS[variant].rules;
    const lay = layoutOf(sva, rules);
    const enc = encoding(sm, lay);
    const here = new Set(lemmasAt(sva).map((l) => l.name));
    const aux = AUX_INVARIANTS.filter((a) => here.has(a.name));
    expect(aux.length).toBe(LEMMAS.length);
    const seen = new Set<string>();
    const compare = (s: State): void => {
      let v;
      try {
        v = toVal(lay, s);
      } catch {
        return; // not representable in the encoding's slots
      }
      const pre = literalState(sm, lay, v);
      for (const a of aux) {
        const f = a.formula(enc, pre);
        expect(sm.isT(f) || sm.isF(f), a.name).toBe(true);
        const twin = LEMMAS.find((l) => l.name === a.name)!.holds(sva, rules, s);
        expect(twin, `${a.name} on ${JSON.stringify(s)}`).toBe(sm.isT(f));
        if (!twin) (seen.add(a.name), brokenSomewhere.add(a.name));
      }
    };
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 0, maxLength: 30 }), (picks) => compare(walk(variant, picks, sva))),
      { numRuns: 40, seed: 20220101 },
    );
    // The reference keeps every lemma in every reachable state.
    if (variant === 'reference') expect([...seen]).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 5, maxLength: 30 }), fc.nat(), fc.integer({ min: 0, max: 4 }), (picks, which, value) => {
        const base = walk(variant, picks, sva);
        const paths = leafPaths(base);
        compare(mutate(base, paths[which % paths.length]!, value));
      }),
      { numRuns: 1000, seed: 20220101 },
    );
    for (const name of ['wf-sva', 'sva-pasid', 'free-no-mm', 'free-no-sva', 'desc-owner', 'pasid-held']) expect(seen.has(name), name).toBe(true);
  });

  it('every twin was seen false on some state above, so none of the comparisons was vacuous', () => {
    // wf-queues is about the encoding's slots alone: a queue longer than swqDepth has no slots to be written in.
    expect([...LEMMA_NAMES].filter((n) => !brokenSomewhere.has(n) && n !== 'wf-queues')).toEqual([]);
  });
});

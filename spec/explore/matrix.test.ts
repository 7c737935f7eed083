/** `matrix` (DESIGN.md §8): the design space, and the designs it explores once for several rows. */
import { describe, expect, it } from 'vitest';
import { INVARIANT_NAMES, PRESETS, RULE_NAMES, VARIANTS, presetOf, sameRules } from '../../model/index';
import { type RowVerdicts, designSpace, interactions, planMatrix } from '../../src/explore/matrix';
import { REFERENCE_RULES, type Rules } from '../../model/index';
import { explore } from '../../src/explore/explorer';
import { runInProcess } from '../cli/run';

const verdicts = (rules: Parameters<typeof explore>[1]['rules']) => {
  const r = explore(PRESETS.tiny, { name: 'x', rules });
  return { states: r.states, broken: Object.fromEntries([...r.violations].map(([k, v]) => [k, v.actions.length])) };
};

describe('the design space', () => {
  it('all rules but svaPasidFree: 3 x 2^6 = 192 distinct designs; all eight rules: 384', () => {
    const space = designSpace(RULE_NAMES.filter((r) => r !== 'svaPasidFree'));
    expect(space).toHaveLength(192);
    expect(new Set(space.map((r) => JSON.stringify(r))).size).toBe(192);
    expect(designSpace(RULE_NAMES)).toHaveLength(384);
    for (const v of Object.values(VARIANTS)) if (v.rules.svaPasidFree === 'mmdrop') expect(space.some((r) => sameRules(r, v.rules)), v.name).toBe(true);
  });

  it('explores each class once: under busy, recycle, blockOnDestroy and quotaCounts change nothing; without SVA, svaPasidFree does not', () => {
    const plan = planMatrix(RULE_NAMES.filter((r) => r !== 'svaPasidFree'), PRESETS.default);
    expect(plan.rows).toHaveLength(192);
    expect(plan.explore).toHaveLength(96 + 8);
  });

  it('members of one class explore alike (tiny, every invariant and length)', () => {
    const busy = VARIANTS['iommufd-busy'].rules;
    const same = verdicts(busy);
    for (const r of [{ ...busy, recycle: 'notifier' }, { ...busy, blockOnDestroy: false, quotaCounts: 'live' }, { ...busy, recycle: 'at-destroy', svaPasidFree: 'mmput' }] as const) {
      expect(verdicts(r), JSON.stringify(r)).toEqual(same);
    }
  });
});

describe('matrix rows', () => {
  it('at tiny over drain, destroyInUse: each row equals a separate explore, preset rows equal their presets', async () => {
    const out = await runInProcess(['matrix', '--scope', 'tiny', '--rules', 'drain,destroyInUse', '--jobs', '1', '--out', 'out/matrix-test', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const j = JSON.parse(out.stdout) as { rows: { design: string; preset?: string; rules: Parameters<typeof explore>[1]['rules']; states: number; invariants: Record<string, { holds: boolean; length?: number }> }[] };
    expect(j.rows).toHaveLength(4);
    for (const row of j.rows) {
      const alone = verdicts(row.rules);
      expect(row.states, row.design).toBe(alone.states);
      for (const inv of INVARIANT_NAMES) {
        const v = row.invariants[inv]!;
        expect(v.holds ? undefined : v.length, `${row.design} ${inv}`).toBe(alone.broken[inv]);
      }
      const preset = presetOf(row.rules);
      expect(row.preset).toBe(preset);
      if (preset) expect(Object.keys(alone.broken).sort()).toEqual([...VARIANTS[preset].expectedToFail].sort());
    }
  });
});

describe('interactions: a combination against the designs that change one of its rules', () => {
  const row = (changes: Partial<Rules>, broken: Record<string, number>): RowVerdicts => ({ rules: { ...REFERENCE_RULES, ...changes } as Rules, broken: new Map(Object.entries(broken)) });
  const invs = ['a', 'b', 'c', 'd'];
  const parts = [row({}, {}), row({ drain: false }, { a: 7, b: 11 }), row({ kvmAuth: 'implicit' }, { c: 2, b: 9 })];

  it('names what a part breaks and the combination keeps (masked), what only the combination breaks (emergent), and a shorter length (amplified)', () => {
    const found = interactions([...parts, row({ drain: false, kvmAuth: 'implicit' }, { b: 6, c: 2, d: 3 })], invs);
    expect(found.map((x) => [x.kind, x.invariant, x.length, x.parts.map((p) => p.length)])).toEqual([
      ['masked', 'a', undefined, [7]],
      ['amplified', 'b', 6, [11, 9]],
      ['emergent', 'd', 3, []],
    ]);
  });

  it('finds none where the combination is the union of its parts with their lengths (a length equal to the best part is not amplified)', () => {
    expect(interactions([...parts, row({ drain: false, kvmAuth: 'implicit' }, { a: 7, b: 9, c: 2 })], invs)).toEqual([]);
  });

  it('skips a combination whose one-rule parts are not in the table', () => {
    expect(interactions([row({}, {}), row({ drain: false, kvmAuth: 'implicit' }, { d: 1 })], invs)).toEqual([]);
  });

  it('at tiny over mdevAuth, blockOnDestroy: the implicit allowance lets destroyed-blocks-dma break in 4 steps instead of 5', async () => {
    const out = await runInProcess(['matrix', '--scope', 'tiny', '--rules', 'mdevAuth,blockOnDestroy', '--jobs', '1', '--out', 'out/matrix-test', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const j = JSON.parse(out.stdout) as { interactions: unknown[] };
    expect(j.interactions).toEqual([
      { design: 'mdevAuth=implicit+blockOnDestroy=false', kind: 'amplified', invariant: 'destroyed-blocks-dma', length: 4, parts: [{ design: 'blockOnDestroy=false', length: 5 }] },
    ]);
  });
});

import { presetDesign } from '../../model/variants';
import { VARIANTS } from '../../model/variants';
// Z3 in its own file: one shared context (proofs/z3.ts), every query with a timeout.
import { describe, expect, it } from 'vitest';
import { INVARIANT_NAMES, PRESETS, step } from '../../model/index';
import { bmc, replayViolates } from '../../proofs/bmc';
import { prove, provedClaims } from '../../proofs/prove';
import { explore } from '../../src/explore/explorer';

describe('inductive proofs', () => {
  it('prove every reference invariant inductive at default: every obligation proved, none unknown', async () => {
    const r = await prove(PRESETS.default, VARIANTS.reference.rules);
    const bad = r.obligations.filter((o) => o.status !== 'proved');
    expect(bad).toEqual([]);
    // One obligation per (DESIGN invariant, action kind) plus Init, for all nine.
    for (const name of INVARIANT_NAMES) expect(r.obligations.filter((o) => o.invariant === name).length).toBeGreaterThanOrEqual(20);
  });

  it('prove iommufd-busy (destroy -EBUSY while in use, DESIGN §9) at default: every obligation proved, none unknown', async () => {
    const r = await prove(PRESETS.default, VARIANTS['iommufd-busy'].rules);
    expect(r.obligations.filter((o) => o.status !== 'proved')).toEqual([]);
    for (const name of INVARIANT_NAMES) expect(r.obligations.filter((o) => o.invariant === name).length).toBeGreaterThanOrEqual(20);
  });

  it('refute the invariant a flawed variant breaks, with a counterexample to induction that the model confirms', async () => {
    const r = await prove(PRESETS.default, VARIANTS['implicit-mdev-pasid'].rules);
    const refuted = r.obligations.filter((o) => o.status === 'refuted');
    expect(refuted.map((o) => `${o.invariant}/${o.action}`)).toEqual(['explicit-mdev-authorization/mdev_attach']);
    const cti = refuted[0]!.cti!;
    expect(cti.modelAgrees).toBe(true);
    const o = step(PRESETS.default, VARIANTS['implicit-mdev-pasid'].rules, cti.pre, cti.action);
    expect(o.result).toBe(cti.result);
  });
});

describe('stopping early', () => {
  it('no-drain with until: both expected invariants refuted, and no proof reported rests on a claim left undecided', async () => {
    const r = await prove(PRESETS.default, VARIANTS['no-drain'].rules, { until: ['recycle-at-zero', 'no-cross-tenant-dma'] });
    const refuted = new Set(r.obligations.filter((o) => o.status === 'refuted').map((o) => o.invariant));
    expect(refuted.has('recycle-at-zero') && refuted.has('no-cross-tenant-dma')).toBe(true);
    for (const o of r.obligations.filter((x) => x.status === 'refuted')) expect(o.cti?.modelAgrees, `${o.invariant}/${o.action}`).toBe(true);
    // It stopped early: some obligations were not checked, and they count as unknown, not proved.
    expect(r.obligations.some((o) => o.status === 'unknown' && o.reason === 'not checked')).toBe(true);
    const proved = new Set(provedClaims(r));
    const decided = (c: string): boolean => proved.has(c) || refuted.has(c);
    for (const o of r.obligations.filter((x) => x.status === 'proved')) {
      for (const u of o.used ?? []) expect(decided(u), `${o.invariant}/${o.action} used ${u}`).toBe(true);
    }
  });
});

describe('bounded model checking', () => {
  it.each([
    ['implicit-kvm-enqcmd', 'explicit-vm-authorization', 3],
    ['implicit-mdev-pasid', 'explicit-mdev-authorization', 4],
    ['no-dma-block', 'destroyed-blocks-dma', 5],
    ['uncharge-on-destroy', 'quota', 6],
    ['recycle-on-destroy', 'recycle-at-zero', 5],
    ['notifier-cleanup', 'recycle-at-zero', 5],
    ['no-drain', 'recycle-at-zero', 8],
  ] as const)('%s: the shortest %s violation has the explorer length and replays on the model', async (variant, name, depth) => {
    const r = await bmc(PRESETS.default, VARIANTS[variant].rules, depth, { invariants: [name] });
    const v = r.invariants[name];
    const e = explore(PRESETS.default, presetDesign(variant), { maxDepth: depth }).violations.get(name);
    expect(v.holds).toBe(false);
    if (v.holds !== false) return;
    expect(v.length).toBe(e!.actions.length);
    expect(replayViolates(PRESETS.default, VARIANTS[variant].rules, v.actions, name)).toBe(true);
  });

  it('finds nothing in the reference design up to depth 5', async () => {
    const r = await bmc(PRESETS.default, VARIANTS.reference.rules, 5);
    for (const name of INVARIANT_NAMES) expect(r.invariants[name]).toEqual({ holds: true, depth: 5 });
  });
});

/*
 * The SVA extension (DESIGN.md §10) at the `sva` scope: the reference proved
 * (every invariant as §10 extends it, with §10's auxiliary invariants), the
 * 2022 bug (svaPasidFree: mmput) refuted where the explorer finds it broken,
 * and bmc's shortest violations of the bug at the explorer's lengths.
 */
describe('the SVA extension at the sva scope', () => {
  const sva = PRESETS.sva;
  const bug = VARIANTS['sva-free-at-mmput'].rules;
  // one proof of the bug's design, shared: its test reads it, and bmc assumes the claims it proved
  let bugProof: ReturnType<typeof prove> | undefined;
  const proveBug = (): ReturnType<typeof prove> => (bugProof ??= prove(sva, bug));

  it('prove reference: every obligation proved, the §10 actions and lemmas among them', async () => {
    const r = await prove(sva, VARIANTS.reference.rules);
    expect(r.obligations.filter((o) => o.status !== 'proved')).toEqual([]);
    for (const name of INVARIANT_NAMES) for (const a of ['sva_bind', 'sva_unbind', 'sva_submit', 'exit_files', 'exit'] as const) {
      expect(r.obligations.filter((o) => o.invariant === name && o.action === a).map((o) => o.status), `${name}/${a}`).toEqual(['proved']);
    }
    for (const lemma of ['wf-sva', 'sva-pasid', 'free-no-mm', 'free-no-sva']) expect(r.claims.find((c) => c.name === lemma)?.status).toBe('proved');
  });

  it('prove sva-free-at-mmput: exactly the invariants the explorer finds broken are refuted, each counterexample confirmed by the model', async () => {
    const r = await proveBug();
    const refuted = r.claims.filter((c) => c.status === 'refuted').map((c) => c.name);
    const e = explore(sva, presetDesign('sva-free-at-mmput'));
    const broken = INVARIANT_NAMES.filter((n) => e.violations.has(n));
    expect(broken).toEqual(['recycle-at-zero', 'no-cross-tenant-dma']);
    expect(refuted.filter((n) => (INVARIANT_NAMES as readonly string[]).includes(n))).toEqual(broken);
    // ... and the three lemmas that encode what the bug lacks, which the explorer finds broken too (spec/explore/lemmas.test.ts)
    expect(refuted.filter((n) => !(INVARIANT_NAMES as readonly string[]).includes(n)).sort()).toEqual(['desc-owner', 'free-no-sva', 'sva-pasid']);
    expect(r.claims.find((c) => c.name === 'slots-suffice')?.status).toBe('proved');
    for (const o of r.obligations.filter((x) => x.status === 'refuted')) expect(o.cti?.modelAgrees, `${o.invariant}/${o.action}`).toBe(true);
  });

  it.each([
    ['recycle-at-zero', 2],
    ['no-cross-tenant-dma', 5],
  ] as const)('bmc sva-free-at-mmput: the shortest %s violation has the explorer length and replays on the model', async (name, depth) => {
    // assuming what prove() established (sound: facts of every reachable state), as `bmc --lemmas` does
    const lemmas = provedClaims(await proveBug());
    expect(lemmas).not.toContain(name);
    const r = await bmc(sva, bug, depth, { invariants: [name], lemmas });
    const v = r.invariants[name];
    const e = explore(sva, presetDesign('sva-free-at-mmput'), { maxDepth: depth }).violations.get(name);
    expect(v.holds).toBe(false);
    if (v.holds !== false) return;
    expect(v.length).toBe(e!.actions.length);
    expect(v.replayed).toBe(true);
    expect(replayViolates(sva, bug, v.actions, name)).toBe(true);
  });

  it('bmc reference finds nothing up to depth 3', async () => {
    const r = await bmc(sva, VARIANTS.reference.rules, 3);
    for (const name of INVARIANT_NAMES) expect(r.invariants[name]).toEqual({ holds: true, depth: 3 });
  });
});

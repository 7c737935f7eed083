import { presetDesign } from '../../model/variants';
/**
 * model/scopeSpace.ts: the scopes `prove --up-to` sweeps. The list must be
 * sound (valid scopes within the bound, no two renamings of one another) and
 * complete (every valid scope within the bound is a renaming of one listed),
 * and dropping renamings must be safe: a renamed scope explores to the same
 * states and violations.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESETS, type Scope, VARIANT_NAMES, canonicalScope, renamings, scopeKey, scopesUpTo, topologyErrors } from '../../model/index';
import { explore } from '../../src/explore/explorer';
import { checkScope } from '../../src/scopes';

const within = (s: Scope, b: Scope): boolean =>
  s.procs <= b.procs &&
  s.fdsPerProc <= b.fdsPerProc &&
  s.quota <= b.quota &&
  s.pasids <= b.pasids &&
  s.vpasids <= b.vpasids &&
  s.swqDepth <= b.swqDepth &&
  s.devices.length <= b.devices.length &&
  s.mdevs.length <= b.mdevs.length &&
  s.vms.length <= b.vms.length;

/** Any valid scope within the bound, drawn without reference to scopeSpace.ts. */
function arbScopeWithin(b: Scope): fc.Arbitrary<Scope> {
  const n = (max: number) => fc.integer({ min: 1, max });
  return fc
    .record({ procs: n(b.procs), fdsPerProc: n(b.fdsPerProc), quota: n(b.quota), pasids: n(b.pasids), vpasids: n(b.vpasids), swqDepth: n(b.swqDepth) })
    .chain((sizes) =>
      fc
        .record({
          devices: fc.array(fc.option(fc.integer({ min: 1, max: sizes.procs }), { nil: undefined }), { maxLength: b.devices.length }),
          vms: fc.array(fc.integer({ min: 1, max: sizes.procs }), { maxLength: b.vms.length }),
          mdevs: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: b.mdevs.length }),
        })
        .map(({ devices, vms, mdevs }) => {
          const devs = devices.map((owner, i) => (owner === undefined ? { id: i + 1, kind: 'swq' as const } : { id: i + 1, kind: 'pdev' as const, owner }));
          const swqs = devs.filter((d) => d.kind === 'swq');
          const vmList = vms.map((owner, i) => ({ id: i + 1, owner }));
          // mdevs need a swq parent and a VM; without them the scope has none
          const mdevList =
            swqs.length === 0 || vmList.length === 0
              ? []
              : mdevs.map(([p, v], i) => {
                  const vm = vmList[v % vmList.length]!;
                  return { id: i + 1, parent: swqs[p % swqs.length]!.id, owner: vm.owner, vm: vm.id };
                });
          return { ...sizes, devices: devs, vms: vmList, mdevs: mdevList };
        }),
    );
}

describe('topologyErrors: the scope topology rules', () => {
  it('finds none in the presets, and each broken rule in order', () => {
    for (const s of Object.values(PRESETS)) expect(topologyErrors(s)).toEqual([]);
    const d = PRESETS.default;
    const broken: Scope = {
      ...d,
      procs: 1,
      devices: [{ id: 1, kind: 'pdev', owner: 2 }, { id: 3, kind: 'swq' }],
      vms: [{ id: 1, owner: 1 }],
      mdevs: [{ id: 1, parent: 1, owner: 1, vm: 2 }],
    };
    expect(topologyErrors(broken)).toEqual([
      'devices[1].id is 3; ids must be 1..n in order',
      'device 1 owner 2 > procs 1',
      'mdev 1 parent 1 is not a swq device',
      'mdev 1 vm 2 is not a VM of its owner 1',
    ]);
  });
});

describe('scopesUpTo', () => {
  const bound = PRESETS.large;
  const space = scopesUpTo(bound);
  const keys = new Set(space.map(scopeKey));

  it('lists valid scopes within the bound, each its own canonical renaming, none twice', () => {
    expect(space.length).toBeGreaterThan(100);
    expect(keys.size).toBe(space.length);
    for (const s of space) {
      expect(topologyErrors(s)).toEqual([]);
      expect(() => checkScope(JSON.parse(JSON.stringify(s)), 'scope')).not.toThrow();
      expect(within(s, bound)).toBe(true);
      expect(scopeKey(canonicalScope(s))).toBe(scopeKey(s));
    }
  });

  it('includes the presets it bounds, renamed or not', () => {
    for (const p of [PRESETS.tiny, PRESETS.default, PRESETS.large]) {
      for (const r of renamings(p)) expect(keys.has(scopeKey(canonicalScope(r)))).toBe(true);
    }
  });

  it('is complete: every valid scope within the bound is a renaming of a listed one', () => {
    fc.assert(
      fc.property(arbScopeWithin(bound), (s) => {
        expect(() => checkScope(JSON.parse(JSON.stringify(s)), 'scope')).not.toThrow();
        expect(keys.has(scopeKey(canonicalScope(s)))).toBe(true);
      }),
      { numRuns: 500, seed: 20211124 },
    );
  });

  it('a smaller bound lists a subset, and the bound itself bounds only itself from above', () => {
    const small = new Set(scopesUpTo(PRESETS.tiny).map(scopeKey));
    for (const k of small) expect(keys.has(k)).toBe(true);
    expect(small.size).toBeLessThan(keys.size);
    expect(scopesUpTo({ ...PRESETS.tiny, procs: 1, devices: [], mdevs: [], vms: [], pasids: 1 }).map(scopeKey)).toEqual(['P1 F1 Q1 N1 V1 D1 dev[] mdev[] vm[]']);
  });

  it('renamings: 16 of default (2 processes, 2 devices, 2 VMs, 2 mdevs), all distinct scopes', () => {
    const rs = renamings(PRESETS.default);
    expect(rs).toHaveLength(16);
    expect(new Set(rs.map((r) => JSON.stringify(r))).size).toBe(16);
    for (const r of rs) expect(() => checkScope(JSON.parse(JSON.stringify(r)), 'scope')).not.toThrow();
  });
});

describe('the bounds in scopes/ (README, "every scope up to a bound")', () => {
  // the scope counts the README's coverage table states
  it.each([
    ['numbers.json', 180],
    ['queues.json', 120],
  ] as const)('%s is a valid scope with %i scopes up to it', (file, n) => {
    const bound = checkScope(JSON.parse(readFileSync(join(import.meta.dirname, '../../scopes', file), 'utf8')), file);
    expect(scopesUpTo(bound)).toHaveLength(n);
  });

  it('and so are the presets: 72 up to tiny, 212 up to default, 636 up to large', () => {
    expect([PRESETS.tiny, PRESETS.default, PRESETS.large].map((b) => scopesUpTo(b).length)).toEqual([72, 212, 636]);
  });
});

describe('renaming is safe to drop (explorer, 8 steps deep)', () => {
  const rs = renamings(PRESETS.default);
  // identity, swap processes only, swap everything, and one mixed renaming
  const picks = [0, 8, 15, 6].map((i) => rs[i]!);
  it.each(VARIANT_NAMES)('%s: every renaming of default reaches the same number of states and the same violations', (variant) => {
    const summary = (s: Scope) => {
      const r = explore(s, presetDesign(variant), { maxDepth: 8 });
      return { states: r.states, transitions: r.transitions, violations: [...r.violations].map(([k, v]) => `${k}:${v.actions.length}`).sort() };
    };
    const want = summary(picks[0]!);
    expect(want.states).toBeGreaterThan(1000);
    for (const s of picks.slice(1)) expect(summary(s)).toEqual(want);
  });
});

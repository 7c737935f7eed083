import { presetDesign } from '../../model/variants';
import { describe, expect, it } from 'vitest';
import {
  INVARIANTS,
  INVARIANT_BY_NAME,
  PRESETS,
  type Scope,
  VARIANTS,
  VARIANT_NAMES,
  type Variant,
  allActions,
  candidateActions,
  step,
} from '../../model/index';
import { explore } from '../../src/explore/explorer';
import { runModel } from '../../src/trace/run';
import { retrace } from '../../src/explore/notifications';
import { naiveExplore } from './naive';

const tiny = PRESETS.tiny;

describe('candidate actions', () => {
  // Exhausting the whole argument space is costly, so compare layer by layer to a depth.
  it.each(['reference', 'notifier-cleanup', 'implicit-kvm-enqcmd'] as const)(
    'reach exactly the states of the whole argument space, layer by layer (%s, tiny, depth 8)',
    (variant) => {
      const full = explore(tiny, presetDesign(variant), { actions: allActions(tiny), maxDepth: 8 });
      const cand = explore(tiny, presetDesign(variant), { maxDepth: 8 });
      expect(cand.states).toBe(full.states);
      expect(cand.states).toBeGreaterThan(1000);
      expect(allActions(tiny).length).toBeGreaterThan(5 * candidateActions(tiny, VARIANTS[variant].rules).length);
    },
  );
});

describe('canonical encoding merges only what no call can tell apart', () => {
  // The naive explorer keeps every state as it is; the real one merges. Both
  // must find every invariant's first violation at the same depth.
  it.each(VARIANT_NAMES)('agrees with a naive explorer on every first violation (%s, tiny, depth 8)', (variant) => {
    const depth = 8;
    const naive = naiveExplore(tiny, variant, candidateActions(tiny, VARIANTS[variant].rules), depth);
    const fast = explore(tiny, presetDesign(variant), { maxDepth: depth });
    for (const inv of INVARIANTS) {
      const v = fast.violations.get(inv.name);
      expect(v?.actions.length, inv.name).toBe(naive.firstViolation[inv.name]);
    }
    expect(fast.states).toBeLessThanOrEqual(naive.statesPerDepth[depth]!);
  });
});

describe('a deliberately broken model is caught', () => {
  it('finds a refcount leak planted in detach and writes a trace that replays to it', () => {
    // The planted bug: detach removes the entry but forgets the -1 users.
    const buggy: typeof step = (scope, variant, s, a) => {
      const o = step(scope, variant, s, a);
      if (a.type !== 'detach' || o.state === s) return o;
      const entry = s.tables[a.dev - 1]!.find((e) => e.pasid === a.pasid)!;
      const io = o.state.ioasids[entry.ioasid - 1];
      const ioasids = o.state.ioasids.slice();
      ioasids[entry.ioasid - 1] = io ? { ...io, users: io.users + 1 } : { ...s.ioasids[entry.ioasid - 1]!, users: 1 };
      return { ...o, state: { ...o.state, ioasids, free: o.state.free & ~(1 << a.pasid) } };
    };
    const r = explore(PRESETS.default, presetDesign('reference'), { step: buggy, maxDepth: 8 });
    const v = r.violations.get('refcount-exact');
    expect(v?.actions.map((a) => a.type)).toEqual(['open', 'alloc', 'attach', 'detach']);
    // Replaying the trace on the buggy step reproduces it; on the real model it does not.
    let s = runModel(PRESETS.default, VARIANTS['reference'].rules, []).init;
    for (const a of v!.actions) s = buggy(PRESETS.default, VARIANTS['reference'].rules, s, a).state;
    expect(INVARIANT_BY_NAME['refcount-exact'].holds(PRESETS.default, s)).toBe(false);
    const real = runModel(PRESETS.default, VARIANTS['reference'].rules, v!.actions);
    expect(real.steps.at(-1)!.violated).toEqual([]);
  });
});

/** Expected shortest violation lengths, found by this explorer and checked by hand against DESIGN.md. */
const SHORTEST: Record<'tiny' | 'default', Partial<Record<Variant, Record<string, number>>>> = {
  tiny: {
    'no-drain': { 'recycle-at-zero': 7, 'no-cross-tenant-dma': 11 },
    'recycle-on-destroy': { 'recycle-at-zero': 5, 'no-cross-tenant-dma': 10 },
    'notifier-cleanup': { 'recycle-at-zero': 5, 'no-cross-tenant-dma': 10 },
    'implicit-kvm-enqcmd': { 'explicit-vm-authorization': 2 },
    'implicit-mdev-pasid': { 'explicit-mdev-authorization': 3 },
    'no-dma-block': { 'destroyed-blocks-dma': 5 },
    'uncharge-on-destroy': { quota: 6 },
  },
  default: {
    'no-drain': { 'recycle-at-zero': 7, 'no-cross-tenant-dma': 11 },
    'implicit-kvm-enqcmd': { 'explicit-vm-authorization': 2 },
    'implicit-mdev-pasid': { 'explicit-mdev-authorization': 3 },
    'no-dma-block': { 'destroyed-blocks-dma': 4 },
    'uncharge-on-destroy': { quota: 5 },
  },
};

function checkVerdicts(scope: Scope, scopeName: 'tiny' | 'default', variant: Variant): void {
  const r = explore(scope, presetDesign(variant));
  const failing = [...r.violations.keys()].sort();
  expect(failing).toEqual([...VARIANTS[variant].expectedToFail].sort());
  const lengths = Object.fromEntries([...r.violations].map(([k, v]) => [k, v.actions.length]));
  expect(lengths).toEqual(SHORTEST[scopeName][variant] ?? {});
  // Every shortest trace replays through the model to its violation, and no shorter prefix violates it.
  for (const [name, v] of r.violations) {
    const run = runModel(scope, VARIANTS[variant].rules, v.actions);
    expect(run.steps.at(-1)!.violated).toContain(name);
    expect(run.steps.slice(0, -1).some((st) => st.violated.includes(name))).toBe(false);
  }
}

describe('verdicts of DESIGN.md §5', () => {
  it.each(['reference', 'no-drain', 'implicit-kvm-enqcmd', 'implicit-mdev-pasid', 'no-dma-block', 'uncharge-on-destroy'] as const)(
    '%s at default',
    (variant) => checkVerdicts(PRESETS.default, 'default', variant),
  );
  it.each(['reference', 'no-drain', 'recycle-on-destroy', 'notifier-cleanup', 'implicit-kvm-enqcmd', 'implicit-mdev-pasid', 'no-dma-block', 'uncharge-on-destroy'] as const)(
    '%s at tiny',
    (variant) => checkVerdicts(tiny, 'tiny', variant),
  );
});

describe('notifier-cleanup: forgetting the FIFO order keeps every verdict', () => {
  it('retraces a path whose deliver would release another entry into the owner release', () => {
    // Two dead entries queued in the order pdev, kvm; a path over a representative
    // that holds them in the other order delivers the kvm entry first.
    const scope = PRESETS.default;
    const prefix = [
      { type: 'open', proc: 1 },
      { type: 'alloc', proc: 1, fd: 1 },
      { type: 'attach', proc: 1, dev: 1, fd: 1, ioasid: 1 },
      { type: 'kvm_set_ioasid_fd', proc: 1, vm: 1, fd: 1 },
      { type: 'kvm_enable_enqcmd', proc: 1, vm: 1 },
      { type: 'kvm_map_pasid', proc: 1, vm: 1, vpasid: 1, ioasid: 1 },
      { type: 'destroy', proc: 1, fd: 1, ioasid: 1 },
    ] as const;
    const real = runModel(scope, VARIANTS['notifier-cleanup'].rules, prefix).steps.at(-1)!.state;
    expect(real.notifications.map((n) => n.holder)).toEqual(['pdev', 'kvm']);
    const rep = { ...real, notifications: [...real.notifications].reverse() };
    const out = retrace(scope, VARIANTS['notifier-cleanup'].rules, runModel(scope, VARIANTS['notifier-cleanup'].rules, []).init, [...prefix, { type: 'deliver' }], [
      ...prefix.map(() => runModel(scope, VARIANTS['notifier-cleanup'].rules, []).init),
      rep,
    ]);
    expect(out.at(-1)).toEqual({ type: 'kvm_unmap_pasid', proc: 1, vm: 1, vpasid: 1 });
    const after = runModel(scope, VARIANTS['notifier-cleanup'].rules, out).steps.at(-1)!.state;
    expect(after.vms[0]!.entries).toEqual([]);
    expect(after.notifications.map((n) => n.holder)).toEqual(['pdev']);
  });

  it('finds, with the order forgotten, the same first violations as the full FIFO (tiny, depth 9)', () => {
    const naive = naiveExplore(tiny, 'notifier-cleanup', candidateActions(tiny, VARIANTS['notifier-cleanup'].rules), 9);
    const fast = explore(tiny, presetDesign('notifier-cleanup'), { maxDepth: 9 });
    for (const inv of INVARIANTS) expect(fast.violations.get(inv.name)?.actions.length, inv.name).toBe(naive.firstViolation[inv.name]);
  });
});

/**
 * DESIGN.md §10: SVA, the mm's PASID. Scope `sva`: process 1 uses SVA only
 * (swq devices 2 and 3); process 2 owns pdev 1, mdev 1 (parent swq 2) and VM 1.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTION_TYPES,
  PRESETS,
  REFERENCE_RULES,
  type Rules,
  type State,
  VARIANTS,
  candidateActions,
  initialState,
  makeAction,
  scopeCandidates,
  step,
  svaCandidateActions,
  violated,
} from '../../model/index';
import { Machine } from './harness';

const SVA = PRESETS.sva;
const sva = (variant: 'reference' | 'sva-free-at-mmput' | 'recycle-on-destroy' = 'reference'): Machine => new Machine(SVA, variant);
const mms = (m: Machine) => m.state.mms!;
const entries = (m: Machine) => m.state.sva!;

describe('the sva scope and state', () => {
  it('is the preset of §10', () => {
    expect(SVA).toMatchObject({ procs: 2, fdsPerProc: 1, quota: 1, pasids: 2, vpasids: 1, swqDepth: 1, sva: true });
    expect(SVA.devices).toEqual([{ id: 1, kind: 'pdev', owner: 2 }, { id: 2, kind: 'swq' }, { id: 3, kind: 'swq' }]);
    expect(SVA.mdevs).toEqual([{ id: 1, parent: 2, owner: 2, vm: 1 }]);
    expect(SVA.vms).toEqual([{ id: 1, owner: 2 }]);
  });

  it('starts with each mm holding no PASID and one reference (its live process), no SVA entries', () => {
    const s = initialState(SVA);
    expect(s.mms).toEqual([{ pasid: 0, users: 1 }, { pasid: 0, users: 1 }]);
    expect(s.sva).toEqual([[], [], []]);
    expect(violated(SVA, s)).toEqual([]);
  });

  it('is absent at scopes without sva: the state has no SVA fields and the candidates are those of §3', () => {
    for (const name of ['tiny', 'default', 'large'] as const) {
      const s = initialState(PRESETS[name]);
      expect(Object.keys(s)).not.toContain('mms');
      expect(Object.keys(s)).not.toContain('sva');
      expect(svaCandidateActions(PRESETS[name])).toEqual([]);
      expect(scopeCandidates(PRESETS[name], REFERENCE_RULES)).toEqual(candidateActions(PRESETS[name], REFERENCE_RULES));
    }
  });

  it('at a scope without sva, the SVA actions change nothing: no device can bind', () => {
    const m = new Machine(PRESETS.default);
    m.refuse('-EPERM', 'sva_bind', 1, 2);
    m.refuse('-EPERM', 'sva_unbind', 1, 2);
    m.refuse('-ESRCH', 'sva_bind', 3, 2);
    m.observe('fault', 'sva_submit', 1, 2);
    m.run({ call: 'exit', args: { proc: 1 }, gives: '0' });
    m.observe('idle', 'exit_files', 1);
    expect(Object.keys(m.state)).not.toContain('mms');
  });

  it('has the SVA candidates at the sva scope: bind, unbind, submit per process and swq, exit_files per process', () => {
    const c = svaCandidateActions(SVA);
    expect(c).toHaveLength(2 * 2 * 3 + 2);
    expect(c).toContainEqual(makeAction('sva_bind', [1, 3]));
    expect(c).toContainEqual(makeAction('exit_files', [2]));
    expect(c.some((a) => a.type !== 'exit_files' && (a as { dev: number }).dev === 1)).toBe(false); // never the pdev
    expect(ACTION_TYPES).not.toContain('sva_bind'); // §3's vocabulary is unchanged
  });
});

describe('sva_bind', () => {
  it('gives the mm the lowest free PASID, maps it in the device table and takes a reference', () => {
    const m = sva().run({ call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' });
    expect(mms(m)[0]).toEqual({ pasid: 1, users: 2 });
    expect(entries(m)).toEqual([[], [{ pasid: 1, proc: 1 }], []]);
    expect(m.freePasids()).toEqual([2]);
    expect(violated(SVA, m.state)).toEqual([]);
  });

  it('two bindings of one mm share its one PASID, each with its own reference', () => {
    const m = sva().run(
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' },
      { call: 'sva_bind', args: { proc: 1, dev: 3 }, gives: '1' },
    );
    expect(mms(m)[0]).toEqual({ pasid: 1, users: 3 });
    expect(entries(m)).toEqual([[], [{ pasid: 1, proc: 1 }], [{ pasid: 1, proc: 1 }]]);
    expect(m.freePasids()).toEqual([2]);
    // a second process's mm gets the next PASID, on the same device
    m.run({ call: 'sva_bind', args: { proc: 2, dev: 2 }, gives: '2' });
    expect(entries(m)[1]).toEqual([{ pasid: 1, proc: 1 }, { pasid: 2, proc: 2 }]);
    expect(m.freePasids()).toEqual([]);
    expect(violated(SVA, m.state)).toEqual([]);
  });

  it('the IOASID allocator and the mms share one PASID space', () => {
    const m = sva().run(
      { call: 'open', args: { proc: 2 }, gives: '1' },
      { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' },
      { call: 'sva_bind', args: { proc: 1, dev: 3 }, gives: '2' },
    );
    expect(m.holding(1)).toBeDefined();
    expect(mms(m)[0]!.pasid).toBe(2);
    m.refuse('-ENOSPC', 'sva_bind', 2, 2); // the mm of 2 has none and none is free
  });

  it('errors in order: -ESRCH, -EPERM, -EEXIST, -ENOSPC', () => {
    const m = sva();
    m.refuse('-ESRCH', 'sva_bind', 0, 2);
    m.refuse('-ESRCH', 'sva_bind', 3, 2);
    m.refuse('-EPERM', 'sva_bind', 1, 1); // a pdev, even its owner's
    m.refuse('-EPERM', 'sva_bind', 2, 1);
    m.refuse('-EPERM', 'sva_bind', 1, 4);
    m.refuse('-EPERM', 'sva_bind', 1, 0);
    m.run({ call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' });
    m.refuse('-EEXIST', 'sva_bind', 1, 2);
    m.run({ call: 'sva_bind', args: { proc: 2, dev: 3 }, gives: '2' });
    m.refuse('-EEXIST', 'sva_bind', 1, 2); // -EEXIST before -EBUSY and -ENOSPC
    m.run({ call: 'exit', args: { proc: 1 }, gives: '0' });
    m.refuse('-ESRCH', 'sva_bind', 1, 3);
    const n = sva().run(
      { call: 'open', args: { proc: 2 }, gives: '1' },
      { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' },
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '2' },
    );
    n.refuse('-ENOSPC', 'sva_bind', 2, 3);
  });

  it('-EBUSY: an mdev entry holds the PASID the mm would take (recycle-on-destroy frees it under the entry); the mm takes none', () => {
    const m = sva('recycle-on-destroy').run(
      { call: 'open', args: { proc: 2 }, gives: '1' },
      { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' },
      { call: 'mdev_allow_pasid', args: { proc: 2, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 2, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'destroy', args: { proc: 2, fd: 1, ioasid: 1 }, gives: '0' }, // PASID 1 back to the pool, the parent's entry still keyed by it
    );
    expect(m.freePasids()).toEqual([1, 2]);
    m.refuse('-EBUSY', 'sva_bind', 1, 2);
    expect(mms(m)[0]).toEqual({ pasid: 0, users: 1 });
    m.run({ call: 'sva_bind', args: { proc: 1, dev: 3 }, gives: '1' }); // swq 3's table is empty: the mm takes PASID 1 there
    m.refuse('-EBUSY', 'sva_bind', 1, 2); // and now the PASID it has is the one swq 2 routes elsewhere
  });

  it('-EBUSY: an SVA entry left by an exited process under sva-free-at-mmput', () => {
    const m = sva('sva-free-at-mmput').run(
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' },
      { call: 'exit', args: { proc: 1 }, gives: '0' },
    );
    expect(m.freePasids()).toEqual([1, 2]);
    m.refuse('-EBUSY', 'sva_bind', 2, 2); // would take 1, which swq 2 still maps to process 1
    m.run({ call: 'sva_bind', args: { proc: 2, dev: 3 }, gives: '1' });
  });
});

describe('sva_unbind and sva_submit', () => {
  it('submit queues the ENQCMD with the entry\'s PASID; the device runs it in the process', () => {
    const m = sva().run(
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' },
      { call: 'sva_submit', args: { proc: 1, dev: 2 }, gives: 'queued' },
    );
    expect(m.state.queues).toEqual([[], [{ issuer: 1, pasid: 1 }], []]);
    m.observe('retry', 'sva_submit', 1, 2);
    m.run({ call: 'swq_exec', args: { dev: 2 }, gives: 'ok:1' });
  });

  it('submit faults: process out of range or exited, device not a swq, not bound', () => {
    const m = sva().run({ call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' });
    m.observe('fault', 'sva_submit', 0, 2);
    m.observe('fault', 'sva_submit', 3, 2);
    m.observe('fault', 'sva_submit', 1, 1);
    m.observe('fault', 'sva_submit', 1, 3);
    m.observe('fault', 'sva_submit', 2, 2);
    m.run({ call: 'exit', args: { proc: 1 }, gives: '0' });
    m.observe('fault', 'sva_submit', 1, 2);
  });

  it('unbind drains its device\'s queue of the mm\'s PASID only, drops the reference; the live mm keeps its PASID', () => {
    const m = sva().run(
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' },
      { call: 'sva_bind', args: { proc: 1, dev: 3 }, gives: '1' },
      { call: 'sva_submit', args: { proc: 1, dev: 2 }, gives: 'queued' },
      { call: 'sva_submit', args: { proc: 1, dev: 3 }, gives: 'queued' },
      { call: 'sva_unbind', args: { proc: 1, dev: 2 }, gives: '0' },
    );
    expect(m.state.queues).toEqual([[], [], [{ issuer: 1, pasid: 1 }]]);
    expect(mms(m)[0]).toEqual({ pasid: 1, users: 2 });
    m.run({ call: 'sva_unbind', args: { proc: 1, dev: 3 }, gives: '0' });
    expect(mms(m)[0]).toEqual({ pasid: 1, users: 1 });
    expect(m.freePasids()).toEqual([2]); // kept for the mm's life
    expect(violated(SVA, m.state)).toEqual([]);
    m.run({ call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' });
  });

  it('unbind errors in order: -ESRCH, -EPERM, -ENOENT', () => {
    const m = sva().run({ call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' });
    m.refuse('-ESRCH', 'sva_unbind', 3, 2);
    m.refuse('-EPERM', 'sva_unbind', 1, 1);
    m.refuse('-ENOENT', 'sva_unbind', 1, 3);
    m.refuse('-ENOENT', 'sva_unbind', 2, 2);
    m.run({ call: 'exit', args: { proc: 1 }, gives: '0' });
    m.refuse('-ESRCH', 'sva_unbind', 1, 2);
  });
});

describe('exit (exit_mm) and exit_files', () => {
  it('exit with bindings on two devices: the address space is gone, the bindings and the PASID stay', () => {
    const m = sva().run(
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' },
      { call: 'sva_bind', args: { proc: 1, dev: 3 }, gives: '1' },
      { call: 'sva_submit', args: { proc: 1, dev: 2 }, gives: 'queued' },
      { call: 'sva_submit', args: { proc: 1, dev: 3 }, gives: 'queued' },
      { call: 'exit', args: { proc: 1 }, gives: '0' },
    );
    expect(m.state.alive).toEqual([false, true]);
    expect(mms(m)[0]).toEqual({ pasid: 1, users: 2 }); // the process's reference dropped, the bindings' kept
    expect(entries(m)).toEqual([[], [{ pasid: 1, proc: 1 }], [{ pasid: 1, proc: 1 }]]);
    expect(m.freePasids()).toEqual([2]);
    expect(violated(SVA, m.state)).toEqual([]);
    const ran = m.fork().run({ call: 'swq_exec', args: { dev: 3 }, gives: 'fault' }); // exit_mm tore the address space down
    expect(ran.state.queues[2]).toEqual([]);
    m.observe('idle', 'exit_files', 2); // alive
    m.observe('idle', 'exit_files', 0);
    m.observe('idle', 'exit_files', 3);
    m.run({ call: 'exit_files', args: { proc: 1 }, gives: '0' });
    expect(m.state.queues).toEqual([[], [], []]); // each unbind drained its device
    expect(entries(m)).toEqual([[], [], []]);
    expect(mms(m)[0]).toEqual({ pasid: 0, users: 0 }); // __mmdrop: the PASID recycled
    expect(m.freePasids()).toEqual([1, 2]);
    expect(violated(SVA, m.state)).toEqual([]);
    m.observe('idle', 'exit_files', 1); // nothing left
  });

  it('exit without bindings frees the mm at once and recycles its PASID', () => {
    const m = sva().run(
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' },
      { call: 'sva_unbind', args: { proc: 1, dev: 2 }, gives: '0' },
      { call: 'exit', args: { proc: 1 }, gives: '0' },
    );
    expect(mms(m)[0]).toEqual({ pasid: 0, users: 0 });
    expect(m.freePasids()).toEqual([1, 2]);
    m.observe('idle', 'exit_files', 1);
  });

  it('exit of process 2 releases its IOASID world as §3 says and leaves its SVA binding to exit_files', () => {
    const m = sva().run(
      { call: 'open', args: { proc: 2 }, gives: '1' },
      { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' },
      { call: 'mdev_allow_pasid', args: { proc: 2, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 2, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'sva_bind', args: { proc: 2, dev: 2 }, gives: '2' }, // one PASID table: the mdev entry for 1 and the SVA entry for 2
      { call: 'sva_submit', args: { proc: 2, dev: 2 }, gives: 'queued' },
      { call: 'exit', args: { proc: 2 }, gives: '0' },
    );
    expect(m.state.tables[1]).toEqual([]);
    expect(m.state.ioasids.filter((x) => x)).toEqual([]);
    expect(entries(m)[1]).toEqual([{ pasid: 2, proc: 2 }]);
    expect(m.freePasids()).toEqual([1]);
    m.run({ call: 'exit_files', args: { proc: 2 }, gives: '0' });
    expect(m.freePasids()).toEqual([1, 2]);
    expect(violated(SVA, m.state)).toEqual([]);
  });

  it('mdev_attach -EEXIST counts SVA entries: the parent has one PASID table', () => {
    const m = sva('sva-free-at-mmput').run(
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' }, { call: 'exit', args: { proc: 1 }, gives: '0' }, // PASID 1 freed under the SVA entry
      { call: 'open', args: { proc: 2 }, gives: '1' },
      { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' },
      { call: 'mdev_allow_pasid', args: { proc: 2, mdev: 1, fd: 1 }, gives: '0' },
    );
    m.refuse('-EEXIST', 'mdev_attach', 2, 1, 1, 1);
  });
});

describe('sva-free-at-mmput: the 2022 use-after-free', () => {
  it('exit_mm frees the PASID undrained under the entries; recycle-at-zero breaks at once', () => {
    const m = sva('sva-free-at-mmput').run(
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' },
      { call: 'exit', args: { proc: 1 }, gives: '0' },
    );
    expect(mms(m)[0]).toEqual({ pasid: 0, users: 1 });
    expect(m.freePasids()).toEqual([1, 2]);
    expect(violated(SVA, m.state)).toEqual(['recycle-at-zero']);
  });

  it('the stale work of process 1 runs in process 2 (5 steps)', () => {
    const m = sva('sva-free-at-mmput').run(
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' },
      { call: 'sva_submit', args: { proc: 1, dev: 2 }, gives: 'queued' },
      { call: 'exit', args: { proc: 1 }, gives: '0' },
    );
    expect(m.state.queues[1]).toEqual([{ issuer: 1, pasid: 1 }]);
    m.run({ call: 'exit_files', args: { proc: 1 }, gives: '0' }); // the mm holds no PASID: the unbind drains nothing
    expect(m.state.queues[1]).toEqual([{ issuer: 1, pasid: 1 }]);
    expect(mms(m)[0]).toEqual({ pasid: 0, users: 0 });
    m.run({ call: 'sva_bind', args: { proc: 2, dev: 2 }, gives: '1' }); // the next process to bind gets PASID 1
    expect(violated(SVA, m.state)).toEqual(['no-cross-tenant-dma']); // PASID 1 is no longer free: only the stale work is wrong
    m.run({ call: 'swq_exec', args: { dev: 2 }, gives: 'ok:2' });
  });

  it('the reference keeps everything on the same calls: the queued work is drained before the PASID is reused', () => {
    const m = sva().run(
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' },
      { call: 'sva_submit', args: { proc: 1, dev: 2 }, gives: 'queued' },
      { call: 'exit', args: { proc: 1 }, gives: '0' },
      { call: 'exit_files', args: { proc: 1 }, gives: '0' },
      { call: 'sva_bind', args: { proc: 2, dev: 2 }, gives: '1' },
    );
    expect(m.state.queues[1]).toEqual([]);
    expect(violated(SVA, m.state)).toEqual([]);
    m.run({ call: 'swq_exec', args: { dev: 2 }, gives: 'idle' });
  });
});

describe('svaPasidFree and drain compose (§8)', () => {
  // recycle-on-destroy leaves a KVM entry carrying a free PASID; the mm takes it; the VM queues work with it on swq 2
  const calls = [
    makeAction('open', [2]), makeAction('alloc', [2, 1]),
    makeAction('kvm_set_ioasid_fd', [2, 1, 1]), makeAction('kvm_enable_enqcmd', [2, 1]), makeAction('kvm_map_pasid', [2, 1, 1, 1]),
    makeAction('destroy', [2, 1, 1]),
    makeAction('sva_bind', [1, 3]), // PASID 1: swq 3's table is empty
    makeAction('enqcmd', [1, 1, 1]), // descriptor {2, 1} on swq 2, where process 1 is not bound
    makeAction('exit', [1]), makeAction('exit_files', [1]), // the mm's last drop: recycle of PASID 1
  ];
  const run = (rules: Rules): State => calls.reduce((s, a) => step(SVA, rules, s, a).state, initialState(SVA));
  const atDestroy: Rules = { ...VARIANTS['recycle-on-destroy'].rules };

  it('the mm\'s recycle drains every queue by default', () => {
    const s = run(atDestroy);
    expect(s.mms![0]).toEqual({ pasid: 0, users: 0 });
    expect(s.queues[1]).toEqual([]);
  });

  it('drain=false applies to the mm\'s recycle too: the VM\'s descriptor survives it', () => {
    const s = run({ ...atDestroy, drain: false });
    expect(s.mms![0]).toEqual({ pasid: 0, users: 0 });
    expect(s.queues[1]).toEqual([{ issuer: 2, pasid: 1 }]);
  });

  it('sva_unbind drains its device even under drain=false (an action\'s own drain)', () => {
    const rules: Rules = { ...REFERENCE_RULES, drain: false };
    let s = initialState(SVA);
    for (const a of [makeAction('sva_bind', [1, 2]), makeAction('sva_submit', [1, 2]), makeAction('sva_unbind', [1, 2])]) s = step(SVA, rules, s, a).state;
    expect(s.queues[1]).toEqual([]);
  });

  it('svaPasidFree=mmput changes nothing without SVA', () => {
    const d = PRESETS.default;
    const as = [makeAction('open', [1]), makeAction('alloc', [1, 1]), makeAction('exit', [1])];
    const a = as.reduce((s, x) => step(d, REFERENCE_RULES, s, x).state, initialState(d));
    const b = as.reduce((s, x) => step(d, VARIANTS['sva-free-at-mmput'].rules, s, x).state, initialState(d));
    expect(b).toEqual(a);
  });
});

describe('the invariants of §10 on constructed states', () => {
  const bound = (): State => sva().run({ call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' }).state;

  it('refcount-exact: the mm count must be 1 while alive plus its bindings', () => {
    const s = bound();
    expect(violated(SVA, { ...s, mms: [{ pasid: 1, users: 1 }, s.mms![1]!] })).toEqual(['refcount-exact']);
    expect(violated(SVA, { ...s, mms: [s.mms![0]!, { pasid: 0, users: 2 }] })).toEqual(['refcount-exact']);
  });

  it('pasid-unique: an mm and an IOASID may not hold the same PASID; nor two mms', () => {
    const s = bound();
    expect(violated(SVA, { ...s, mms: [s.mms![0]!, { pasid: 1, users: 1 }] })).toContain('pasid-unique');
    const t = sva().run(
      { call: 'open', args: { proc: 2 }, gives: '1' },
      { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' },
      { call: 'sva_bind', args: { proc: 1, dev: 3 }, gives: '2' },
    ).state;
    expect(violated(SVA, { ...t, mms: [{ pasid: 1, users: 2 }, t.mms![1]!], sva: [[], [], [{ pasid: 1, proc: 1 }]], free: t.free | 4 })).toContain('pasid-unique');
  });

  it('no-leak: a live mm holding a PASID is a holder; a PASID nobody holds is a leak', () => {
    const s = sva().run(
      { call: 'sva_bind', args: { proc: 1, dev: 2 }, gives: '1' },
      { call: 'sva_unbind', args: { proc: 1, dev: 2 }, gives: '0' },
    ).state;
    expect(violated(SVA, s)).toEqual([]); // held by the mm alone
    expect(violated(SVA, { ...s, mms: [{ pasid: 0, users: 1 }, s.mms![1]!] })).toEqual(['no-leak']);
  });

  it('recycle-at-zero: a free PASID held by an mm or an SVA entry', () => {
    const s = bound();
    expect(violated(SVA, { ...s, free: s.free | 2 })).toEqual(['recycle-at-zero']);
  });

  it('no-cross-tenant-dma: a KVM entry whose PASID the parent routes to another process\'s SVA entry', () => {
    const s = sva().run(
      { call: 'open', args: { proc: 2 }, gives: '1' },
      { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' },
      { call: 'kvm_set_ioasid_fd', args: { proc: 2, vm: 1, fd: 1 }, gives: '0' },
      { call: 'kvm_enable_enqcmd', args: { proc: 2, vm: 1 }, gives: '0' },
      { call: 'kvm_map_pasid', args: { proc: 2, vm: 1, vpasid: 1, ioasid: 1 }, gives: '0' },
    ).state;
    const bad: State = { ...s, sva: [[], [{ pasid: 1, proc: 1 }], []] };
    expect(violated(SVA, bad)).toContain('no-cross-tenant-dma');
    const exited: State = { ...bad, alive: [false, true], mms: [{ pasid: 0, users: 1 }, s.mms![1]!] };
    expect(violated(SVA, exited)).not.toContain('no-cross-tenant-dma'); // an exited process's entry faults
  });
});

/**
 * DESIGN.md §4: each invariant's predicate holds in a state that satisfies it
 * and fails in one that breaks it (reached in a flawed variant, or built by
 * hand from a reachable state); `violated` names exactly the broken ones.
 */
import { describe, expect, it } from 'vitest';
import { INVARIANTS, INVARIANT_BY_NAME, INVARIANT_NAMES, type InvariantName, type State, violated } from '../../model/index';
import { DEFAULT, Machine, SMALL, mappedVm, opened } from './harness';

type Case = () => Machine;
const withState = (m: Machine, patch: (s: State) => Partial<State>): Machine =>
  new Machine(m.scope, m.variant, { ...m.state, ...patch(m.state) });

/** Reference: fd 1 handle 1 on PASID 1 attached to pdev 1, through mdev 1, mapped in VM 1, one descriptor queued. */
const rich = (variant: Machine['variant'] = 'reference', scope = DEFAULT): Machine =>
  mappedVm(opened(new Machine(scope, variant)).run(
    { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
    { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
  )).run({ call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' });
/** rich, then destroyed: PASID 1 parked, held by three entries. */
const parked = (variant: Machine['variant'] = 'reference'): Machine => rich(variant).run({ call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' });
/** Process 2 holds PASID 2 on its own fd. */
const twoTenants = (): Machine => opened(rich(), 2);
const setUsers = (s: State, users: number) => ({ ioasids: [{ ...s.ioasids[0]!, users }] });

/** The no-drain example up to process 1's exit: its descriptor outlives PASID 1. */
const staleDescriptor = (): Machine =>
  mappedVm(opened(new Machine(DEFAULT, 'no-drain'))).run(
    { call: 'open', args: { proc: 2 }, gives: '1' },
    { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
    { call: 'exit', args: { proc: 1 }, gives: '0' },
  );

const CASES: Record<InvariantName, { holds: Case[]; fails: Record<string, Case> }> = {
  'explicit-vm-authorization': {
    holds: [rich, parked],
    fails: {
      'implicit-kvm-enqcmd alloc': () => opened(new Machine(DEFAULT, 'implicit-kvm-enqcmd')),
      'an explicit entry in a disabled table': () => withState(rich(), (s) => ({ vms: [{ ...s.vms[0]!, enabled: false }, s.vms[1]!] })),
      'an entry in a destroyed VM': () => withState(rich(), (s) => ({ vms: [{ ...s.vms[0]!, alive: false }, s.vms[1]!] })),
      "an entry to another process's IOASID": () =>
        withState(twoTenants(), (s) => ({ vms: [{ ...s.vms[0]!, entries: [{ vpasid: 1, ioasid: 2, pasid: 2, explicit: true }] }, s.vms[1]!] })),
    },
  },
  'explicit-mdev-authorization': {
    holds: [rich, () => withState(rich(), (s) => ({ tables: [[{ ...s.tables[0]![0]!, allowed: false }], s.tables[1]!] }))],
    fails: {
      'implicit-mdev-pasid attach': () => opened(new Machine(DEFAULT, 'implicit-mdev-pasid')).run({ call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' }),
    },
  },
  'recycle-at-zero': {
    holds: [parked, () => rich().run({ call: 'exit', args: { proc: 1 }, gives: '0' })],
    fails: {
      'no-drain: a queued descriptor of a free PASID': staleDescriptor,
      'a parked IOASID alone on a free PASID': () =>
        withState(parked(), (s) => ({ free: s.free | 2, tables: [[], []], vms: s.vms.map((v) => ({ ...v, entries: [] })), queues: [[], []] })),
      'a table entry of a free PASID': () =>
        withState(parked(), (s) => ({ free: s.free | 2, ioasids: [{ ...s.ioasids[0]!, pasid: 0 }], vms: s.vms.map((v) => ({ ...v, entries: [] })), queues: [[], []] })),
      'a KVM entry carrying a free PASID': () =>
        withState(parked(), (s) => ({ free: s.free | 2, ioasids: [{ ...s.ioasids[0]!, pasid: 0 }], tables: [[], []], queues: [[], []] })),
    },
  },
  'refcount-exact': {
    holds: [rich, parked],
    fails: {
      'one reference too many': () => withState(rich(), (s) => setUsers(s, 5)),
      'one reference too few': () => withState(rich(), (s) => setUsers(s, 3)),
      'an IOASID with no holder left allocated': () =>
        withState(opened(new Machine()), (s) => ({ ioasids: [{ ...s.ioasids[0]!, handle: 0, users: 0 }] })),
    },
  },
  'pasid-unique': {
    holds: [twoTenants, () => withState(parked('recycle-on-destroy'), (s) => ({ ioasids: [s.ioasids[0]!, { ...s.ioasids[0]!, file: 1 }] }))],
    fails: {
      'two live IOASIDs on one PASID': () => withState(twoTenants(), (s) => ({ ioasids: [s.ioasids[0]!, { ...s.ioasids[1]!, pasid: 1 }] })),
    },
  },
  'destroyed-blocks-dma': {
    holds: [parked, rich],
    fails: {
      'no-dma-block destroy': () => parked('no-dma-block'),
      'an unblocked parent entry only': () =>
        withState(parked(), (s) => ({ ioasids: [{ ...s.ioasids[0]!, blocked: false, users: 1 }], tables: [[], s.tables[1]!], vms: [{ ...s.vms[0]!, entries: [] }, s.vms[1]!] })),
    },
  },
  'no-cross-tenant-dma': {
    holds: [twoTenants, parked],
    fails: {
      'no-drain: the stale descriptor meets the next owner': () =>
        staleDescriptor().run(
          { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' },
          { call: 'mdev_allow_pasid', args: { proc: 2, mdev: 2, fd: 1 }, gives: '0' },
          { call: 'mdev_attach', args: { proc: 2, mdev: 2, fd: 1, ioasid: 1 }, gives: '0' },
        ),
      "recycle-on-destroy: VM 1's entry reaches process 2": () =>
        rich('recycle-on-destroy', SMALL).run({ call: 'mdev_detach', args: { proc: 1, mdev: 1, pasid: 1 }, gives: '0' }, { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' }, { call: 'open', args: { proc: 2 }, gives: '1' },
          { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' }, { call: 'mdev_allow_pasid', args: { proc: 2, mdev: 2, fd: 1 }, gives: '0' }, { call: 'mdev_attach', args: { proc: 2, mdev: 2, fd: 1, ioasid: 1 }, gives: '0' }),
      "a pdev entry to another process's IOASID": () =>
        withState(twoTenants(), (s) => ({ tables: [[{ pasid: 2, ioasid: 2, mdev: 0, allowed: true }], s.tables[1]!] })),
    },
  },
  quota: {
    holds: [parked, () => parked('recycle-on-destroy').run({ call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' })],
    fails: {
      'uncharge-on-destroy: parked + live': () => parked('uncharge-on-destroy').run({ call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' }),
    },
  },
  'no-leak': {
    holds: [rich, parked],
    fails: {
      'a parked PASID nobody will release': () =>
        withState(
          opened(new Machine()).run(
            { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
            { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
          ),
          () => ({ tables: [[], []] }),
        ),
      'a PASID out of the pool with no holder at all': () => withState(new Machine(), (s) => ({ free: s.free & ~4 })),
    },
  },
};

describe('invariant predicates', () => {
  it('the table covers every invariant of the registry', () => {
    expect(Object.keys(CASES).sort()).toEqual([...INVARIANT_NAMES].sort());
    expect(INVARIANTS.map((i) => i.name)).toEqual([...INVARIANT_NAMES]);
  });

  describe.each(INVARIANT_NAMES)('%s', (name) => {
    const inv = INVARIANT_BY_NAME[name];
    it.each(CASES[name].holds.map((c, i) => [i, c] as const))('holds in case %i', (_i, build) => {
      const m = build();
      expect(inv.holds(m.scope, m.state)).toBe(true);
    });
    it.each(Object.entries(CASES[name].fails))('fails: %s', (_label, build) => {
      const m = build();
      expect(inv.holds(m.scope, m.state)).toBe(false);
      expect(violated(m.scope, m.state)).toContain(name);
    });
  });
});

describe('violated', () => {
  it('is empty in reachable reference states', () => {
    for (const m of [rich(), parked(), twoTenants(), rich().run({ call: 'exit', args: { proc: 1 }, gives: '0' })]) expect(violated(m.scope, m.state)).toEqual([]);
  });

  it.each([
    ['implicit-kvm-enqcmd', () => opened(new Machine(DEFAULT, 'implicit-kvm-enqcmd')), ['explicit-vm-authorization']],
    ['implicit-mdev-pasid', CASES['explicit-mdev-authorization'].fails['implicit-mdev-pasid attach']!, ['explicit-mdev-authorization']],
    ['no-dma-block', () => parked('no-dma-block'), ['destroyed-blocks-dma']],
    ['uncharge-on-destroy', CASES.quota.fails['uncharge-on-destroy: parked + live']!, ['quota']],
    ['no-drain, PASID free', staleDescriptor, ['recycle-at-zero']],
    ['no-drain, PASID reused', CASES['no-cross-tenant-dma'].fails['no-drain: the stale descriptor meets the next owner']!, ['no-cross-tenant-dma']],
  ] as const)('%s: names exactly the broken invariants', (_label, build, names) => {
    const m = build();
    expect(violated(m.scope, m.state)).toEqual(names);
  });
});

/**
 * DESIGN.md §3 exit: vm_destroy of each VM, detach of every pdev entry,
 * mdev_detach of every entry made through its mdevs (allowances cleared),
 * close of each open FD; then the process is gone (-ESRCH).
 */
import { describe, expect, it } from 'vitest';
import { ACTION_ARGS, type ActionType, type State, type Variant, isUserCall } from '../../model/index';
import { Machine, SMALL, TWO_MDEVS } from './harness';

/** Process 1 with two fds, IOASIDs in both, entries of every kind, a queued descriptor; process 2 busy too. */
function busy(variant: Variant, scope = SMALL): Machine {
  return new Machine(scope, variant).run(
    { call: 'open', args: { proc: 2 }, gives: '1' }, { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' }, // PASID 1 belongs to process 2
    { call: 'open', args: { proc: 1 }, gives: '1' }, { call: 'open', args: { proc: 1 }, gives: '2' }, { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' }, { call: 'alloc', args: { proc: 1, fd: 2 }, gives: '1' }, // PASIDs 2 and 3
    { call: 'attach', args: { proc: 1, dev: 1, fd: 2, ioasid: 1 }, gives: '0' },
    { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
    { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    { call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0' },
    { call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 1 }, gives: '0' },
    { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 2, ioasid: 1 }, gives: '0' },
    { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 2 }, gives: 'queued' }, // PASID 2: mapped, attached through mdev 1 and to pdev 1
  );
}

/** The same releases as exit, made one by one (allowances aside: no call clears them). */
function byHand(m: Machine): Machine {
  return m.run(
    { call: 'vm_destroy', args: { proc: 1, vm: 1 }, gives: '0' },
    { call: 'detach', args: { proc: 1, dev: 1, pasid: 2 }, gives: '0' },
    { call: 'detach', args: { proc: 1, dev: 1, pasid: 3 }, gives: '0' },
    { call: 'mdev_detach', args: { proc: 1, mdev: 1, pasid: 2 }, gives: '0' },
    { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
    { call: 'close', args: { proc: 1, fd: 2 }, gives: '0' },
  );
}

const core = (s: State) => ({ ioasids: s.ioasids, free: s.free, tables: s.tables, queues: s.queues, vms: s.vms, notifications: s.notifications });

describe('exit', () => {
  it('releases everything of the process and recycles its PASIDs; the other process is untouched', () => {
    const m = busy('reference').run({ call: 'exit', args: { proc: 1 }, gives: '0' });
    expect(m.state.alive).toEqual([false, true]);
    expect(m.state.vms).toEqual([
      { alive: false, presented: 0, enabled: false, entries: [] },
      { alive: true, presented: 0, enabled: false, entries: [] },
    ]);
    expect(m.state.tables).toEqual([[], []]);
    expect(m.state.queues).toEqual([[], []]); // drained before PASID 2 was recycled
    expect(m.state.allowed).toEqual([0, 0]);
    expect(m.state.files.filter((f) => f !== null)).toEqual([{ proc: 2, fd: 1 }]);
    expect(m.state.ioasids.filter((io) => io !== null)).toEqual([{ file: 1, handle: 1, pasid: 1, blocked: false, users: 1 }]);
    expect(m.freePasids()).toEqual([2, 3]);
  });

  it.each(['reference', 'no-drain', 'recycle-on-destroy', 'notifier-cleanup', 'no-dma-block'] as const)(
    '%s: same as vm_destroy, detach, mdev_detach, close one by one, in that order',
    (variant) => {
      const viaExit = busy(variant).run({ call: 'exit', args: { proc: 1 }, gives: '0' });
      const viaCalls = byHand(busy(variant));
      expect(core(viaExit.state)).toEqual(core(viaCalls.state));
      expect(viaCalls.state.allowed).toEqual([2, 0]); // file 2 is process 1's fd 1
      expect(viaExit.state.allowed).toEqual([0, 0]);
    },
  );

  it('notifier-cleanup: entries go before files, so exit leaves no notification behind', () => {
    const m = busy('notifier-cleanup').run({ call: 'exit', args: { proc: 1 }, gives: '0' });
    expect(m.state.notifications).toEqual([]);
    // Files first would have recycled at close and queued one notification per entry.
    const filesFirst = busy('notifier-cleanup').run({ call: 'close', args: { proc: 1, fd: 1 }, gives: '0' });
    expect(filesFirst.state.notifications.length).toBe(3);
  });

  it('no-drain: mdev_detach still drains the parent queue on the way out', () => {
    const m = busy('no-drain').run({ call: 'exit', args: { proc: 1 }, gives: '0' });
    expect(m.state.queues[1]).toEqual([]);
  });

  it('no-drain: a descriptor with no mdev entry for its PASID survives exit', () => {
    const m = new Machine(SMALL, 'no-drain').run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
      { call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0' },
      { call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 1 }, gives: '0' },
      { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 1, ioasid: 1 }, gives: '0' },
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
      { call: 'exit', args: { proc: 1 }, gives: '0' },
    );
    expect(m.state.queues[1]).toEqual([{ issuer: 1, pasid: 1 }]);
    expect(m.freePasids()).toEqual([1, 2, 3]);
  });

  it('detaches the entries of every mdev of the process, across mdevs', () => {
    const m = new Machine(TWO_MDEVS).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 2, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 2, fd: 1, ioasid: 2 }, gives: '0' },
      { call: 'exit', args: { proc: 1 }, gives: '0' },
    );
    expect(m.state.tables[1]).toEqual([]);
    expect(m.state.allowed).toEqual([0, 0]);
    expect(m.state.ioasids.filter((io) => io !== null)).toEqual([]);
  });

  it('an exited process gets -ESRCH for every call', () => {
    const m = busy('reference').run({ call: 'exit', args: { proc: 1 }, gives: '0' });
    const userCalls = (Object.keys(ACTION_ARGS) as ActionType[]).filter(isUserCall);
    expect(userCalls).toHaveLength(15);
    for (const t of userCalls) m.refuse('-ESRCH', t, ...(ACTION_ARGS[t] as readonly string[]).map(() => 1));
    m.observe('fault', 'enqcmd', 1, 1, 2);
    m.run({ call: 'open', args: { proc: 2 }, gives: '2' });
  });
});

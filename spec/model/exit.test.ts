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
    ['open', [2], '1'], ['alloc', [2, 1], '1'], // PASID 1 belongs to process 2
    ['open', [1], '1'], ['open', [1], '2'], ['alloc', [1, 1], '1'], ['alloc', [1, 2], '1'], // PASIDs 2 and 3
    ['attach', [1, 1, 2, 1], '0'], ['attach', [1, 1, 1, 1], '0'],
    ['mdev_allow_pasid', [1, 1, 1], '0'], ['mdev_attach', [1, 1, 1, 1], '0'],
    ['kvm_set_ioasid_fd', [1, 1, 1], '0'], ['kvm_enable_enqcmd', [1, 1], '0'], ['kvm_map_pasid', [1, 1, 2, 1], '0'],
    ['enqcmd', [1, 1, 2], 'queued'], // PASID 2: mapped, attached through mdev 1 and to pdev 1
  );
}

/** The same releases as exit, made one by one (allowances aside: no call clears them). */
function byHand(m: Machine): Machine {
  return m.run(
    ['vm_destroy', [1, 1], '0'],
    ['detach', [1, 1, 2], '0'], ['detach', [1, 1, 3], '0'],
    ['mdev_detach', [1, 1, 2], '0'],
    ['close', [1, 1], '0'], ['close', [1, 2], '0'],
  );
}

const core = (s: State) => ({ ioasids: s.ioasids, free: s.free, tables: s.tables, queues: s.queues, vms: s.vms, notifications: s.notifications });

describe('exit', () => {
  it('releases everything of the process and recycles its PASIDs; the other process is untouched', () => {
    const m = busy('reference').run(['exit', [1], '0']);
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
      const viaExit = busy(variant).run(['exit', [1], '0']);
      const viaCalls = byHand(busy(variant));
      expect(core(viaExit.state)).toEqual(core(viaCalls.state));
      expect(viaCalls.state.allowed).toEqual([2, 0]); // file 2 is process 1's fd 1
      expect(viaExit.state.allowed).toEqual([0, 0]);
    },
  );

  it('notifier-cleanup: entries go before files, so exit leaves no notification behind', () => {
    const m = busy('notifier-cleanup').run(['exit', [1], '0']);
    expect(m.state.notifications).toEqual([]);
    // Files first would have recycled at close and queued one notification per entry.
    const filesFirst = busy('notifier-cleanup').run(['close', [1, 1], '0']);
    expect(filesFirst.state.notifications.length).toBe(3);
  });

  it('no-drain: mdev_detach still drains the parent queue on the way out', () => {
    const m = busy('no-drain').run(['exit', [1], '0']);
    expect(m.state.queues[1]).toEqual([]);
  });

  it('no-drain: a descriptor with no mdev entry for its PASID survives exit', () => {
    const m = new Machine(SMALL, 'no-drain').run(
      ['open', [1], '1'], ['alloc', [1, 1], '1'],
      ['kvm_set_ioasid_fd', [1, 1, 1], '0'], ['kvm_enable_enqcmd', [1, 1], '0'], ['kvm_map_pasid', [1, 1, 1, 1], '0'],
      ['enqcmd', [1, 1, 1], 'queued'], ['exit', [1], '0'],
    );
    expect(m.state.queues[1]).toEqual([{ issuer: 1, pasid: 1 }]);
    expect(m.freePasids()).toEqual([1, 2, 3]);
  });

  it('detaches the entries of every mdev of the process, across mdevs', () => {
    const m = new Machine(TWO_MDEVS).run(
      ['open', [1], '1'], ['alloc', [1, 1], '1'], ['alloc', [1, 1], '2'],
      ['mdev_allow_pasid', [1, 1, 1], '0'], ['mdev_allow_pasid', [1, 2, 1], '0'],
      ['mdev_attach', [1, 1, 1, 1], '0'], ['mdev_attach', [1, 2, 1, 2], '0'], ['exit', [1], '0'],
    );
    expect(m.state.tables[1]).toEqual([]);
    expect(m.state.allowed).toEqual([0, 0]);
    expect(m.state.ioasids.filter((io) => io !== null)).toEqual([]);
  });

  it('an exited process gets -ESRCH for every call', () => {
    const m = busy('reference').run(['exit', [1], '0']);
    const userCalls = (Object.keys(ACTION_ARGS) as ActionType[]).filter(isUserCall);
    expect(userCalls).toHaveLength(15);
    for (const t of userCalls) m.refuse('-ESRCH', t, ...(ACTION_ARGS[t] as readonly string[]).map(() => 1));
    m.observe('fault', 'enqcmd', 1, 1, 2);
    m.run(['open', [2], '2']);
  });
});

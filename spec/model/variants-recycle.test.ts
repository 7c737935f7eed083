/**
 * DESIGN.md §5, the recycling variants: no-drain, recycle-on-destroy,
 * notifier-cleanup. Each case runs the same calls under the reference too.
 */
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../model/index';
import { Machine, SMALL, mappedVm, opened } from './harness';

/** Process 1: handle 1 (PASID 1) attached to pdev 1 and through mdev 1, mapped at vpasid 1 of VM 1, one descriptor queued. */
const guest = (m: Machine) =>
  mappedVm(opened(m).run(
    { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
    { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
  ))
    .run({ call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' });

describe('no-drain', () => {
  it('the zero-refcount recycle leaves the descriptor queued', () => {
    const calls = (m: Machine) =>
      mappedVm(opened(m)).run(
        { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
        { call: 'kvm_unmap_pasid', args: { proc: 1, vm: 1, vpasid: 1 }, gives: '0' },
        { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
      );
    const flawed = calls(new Machine(SMALL, 'no-drain'));
    const ref = calls(new Machine(SMALL));
    expect(flawed.freePasids()).toEqual([1, 2, 3]);
    expect(ref.freePasids()).toEqual([1, 2, 3]);
    expect(flawed.state.queues[1]).toEqual([{ issuer: 1, pasid: 1 }]);
    expect(ref.state.queues[1]).toEqual([]);
  });

  it('mdev_detach still drains its parent\'s queue', () => {
    const m = guest(new Machine(SMALL, 'no-drain')).run({ call: 'mdev_detach', args: { proc: 1, mdev: 1, pasid: 1 }, gives: '0' });
    expect(m.state.queues[1]).toEqual([]);
  });

  it('the stale descriptor lands in the next owner\'s memory', () => {
    const calls = (m: Machine) =>
      mappedVm(opened(m)).run({ call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' }, { call: 'exit', args: { proc: 1 }, gives: '0' }, { call: 'open', args: { proc: 2 }, gives: '1' }, { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' },
        { call: 'mdev_allow_pasid', args: { proc: 2, mdev: 2, fd: 1 }, gives: '0' }, { call: 'mdev_attach', args: { proc: 2, mdev: 2, fd: 1, ioasid: 1 }, gives: '0' });
    calls(new Machine(SMALL, 'no-drain')).run({ call: 'swq_exec', args: { dev: 2 }, gives: 'ok:2' });
    calls(new Machine(SMALL)).run({ call: 'swq_exec', args: { dev: 2 }, gives: 'idle' });
  });
});

describe('recycle-on-destroy', () => {
  it('destroy recycles the PASID at once; the IOASID lives on PASID-less while entries hold it', () => {
    const m = guest(new Machine(SMALL, 'recycle-on-destroy')).run({ call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' });
    expect(m.freePasids()).toEqual([1, 2, 3]);
    expect(m.state.ioasids[0]).toEqual({ file: 1, handle: 0, pasid: 0, blocked: true, users: 3 });
    expect(m.state.tables[0]).toEqual([{ pasid: 1, ioasid: 1, mdev: 0, allowed: true }]); // raw PASID kept
    expect(m.state.tables[1]).toEqual([{ pasid: 1, ioasid: 1, mdev: 1, allowed: true }]);
    expect(m.state.vms[0]!.entries).toEqual([{ vpasid: 1, ioasid: 1, pasid: 1, explicit: true }]);
    expect(m.state.queues[1]).toEqual([]); // drained at destroy
    const ref = guest(new Machine(SMALL)).run({ call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' });
    expect(ref.freePasids()).toEqual([2, 3]);
    expect(ref.state.queues[1]).toEqual([{ issuer: 1, pasid: 1 }]);
  });

  it('a destroyed IOASID is not charged: alloc takes the same PASID again', () => {
    const m = opened(new Machine(undefined, 'recycle-on-destroy')).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
    );
    expect(m.live(1, 1, 1)?.pasid).toBe(1);
    opened(new Machine()).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
    ).refuse('-EDQUOT', 'alloc', 1, 1);
  });

  it('entries keep the raw PASID: the guest\'s ENQCMD reaches the PASID\'s next owner', () => {
    const m = guest(new Machine(SMALL, 'recycle-on-destroy')).run(
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'open', args: { proc: 2 }, gives: '1' },
      { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' },
      { call: 'mdev_allow_pasid', args: { proc: 2, mdev: 2, fd: 1 }, gives: '0' },
    );
    expect(m.live(2, 1, 1)?.pasid).toBe(1);
    m.refuse('-EEXIST', 'mdev_attach', 2, 2, 1, 1); // the stale mdev 1 entry still holds PASID 1 in the parent
    m.run(
      { call: 'mdev_detach', args: { proc: 1, mdev: 1, pasid: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 2, mdev: 2, fd: 1, ioasid: 1 }, gives: '0' },
    );
    m.run({ call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' });
    expect(m.state.queues[1]).toEqual([{ issuer: 1, pasid: 1 }]);
    m.run({ call: 'swq_exec', args: { dev: 2 }, gives: 'ok:2' });
    m.run({ call: 'dma', args: { dev: 1, pasid: 1 }, gives: 'blocked' }); // pdev 1's stale entry still points at the destroyed IOASID
  });

  it('releasing the last stale entry frees the IOASID without touching the pool', () => {
    const m = opened(new Machine(SMALL, 'recycle-on-destroy')).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'open', args: { proc: 2 }, gives: '1' },
      { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' },
    );
    expect(m.freePasids()).toEqual([2, 3]);
    m.run({ call: 'detach', args: { proc: 1, dev: 1, pasid: 1 }, gives: '0' });
    expect(m.freePasids()).toEqual([2, 3]); // PASID 1 is process 2's now
    expect(m.state.ioasids[0]).toBeNull();
  });
});

/** Two swq parents and two pdevs, interleaved by id, to show the notification order. */
const NOTIFY: Scope = {
  ...SMALL,
  devices: [{ id: 1, kind: 'swq' }, { id: 2, kind: 'pdev', owner: 1 }, { id: 3, kind: 'pdev', owner: 1 }, { id: 4, kind: 'swq' }],
  mdevs: [{ id: 1, parent: 4, owner: 1, vm: 1 }, { id: 2, parent: 1, owner: 1, vm: 2 }],
  vms: [{ id: 1, owner: 1 }, { id: 2, owner: 1 }],
};

function notified(): Machine {
  return opened(new Machine(NOTIFY, 'notifier-cleanup')).run(
    { call: 'attach', args: { proc: 1, dev: 3, fd: 1, ioasid: 1 }, gives: '0' },
    { call: 'attach', args: { proc: 1, dev: 2, fd: 1, ioasid: 1 }, gives: '0' },
    { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 2, fd: 1 }, gives: '0' },
    { call: 'mdev_attach', args: { proc: 1, mdev: 2, fd: 1, ioasid: 1 }, gives: '0' },
    { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
    { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    { call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 2, fd: 1 }, gives: '0' },
    { call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 2 }, gives: '0' },
    { call: 'kvm_map_pasid', args: { proc: 1, vm: 2, vpasid: 2, ioasid: 1 }, gives: '0' },
    { call: 'kvm_map_pasid', args: { proc: 1, vm: 2, vpasid: 1, ioasid: 1 }, gives: '0' },
    { call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0' },
    { call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 1 }, gives: '0' },
    { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 1, ioasid: 1 }, gives: '0' },
    { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' }, { call: 'enqcmd', args: { vm: 2, mdev: 2, vpasid: 1 }, gives: 'queued' }, // drained by the recycle at destroy
    { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
  );
}

describe('notifier-cleanup', () => {
  it('destroy recycles at once and queues one notification per entry, in the documented order', () => {
    const m = notified();
    expect(m.state.queues).toEqual([[], [], [], []]);
    expect(m.freePasids()).toEqual([1, 2, 3]);
    expect(m.state.ioasids[0]).toMatchObject({ handle: 0, pasid: 0, blocked: true, users: 7 });
    expect(m.state.notifications).toEqual([
      { holder: 'pdev', id: 2, key: 1 }, { holder: 'pdev', id: 3, key: 1 },
      { holder: 'parent', id: 1, key: 1 }, { holder: 'parent', id: 4, key: 1 },
      { holder: 'kvm', id: 1, key: 1 }, { holder: 'kvm', id: 2, key: 1 }, { holder: 'kvm', id: 2, key: 2 },
    ]);
  });

  it('deliver pops the oldest and releases as detach / mdev_detach (with drain) / kvm_unmap_pasid would', () => {
    const m = notified().run({ call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' }); // raw PASID 1, on parent 4
    expect(m.state.queues[3]).toEqual([{ issuer: 1, pasid: 1 }]);
    m.run({ call: 'deliver', args: {}, gives: '0' }, { call: 'deliver', args: {}, gives: '0' });
    expect(m.state.tables[1]).toEqual([]);
    expect(m.state.tables[2]).toEqual([]);
    expect(m.state.ioasids[0]!.users).toBe(5);
    m.run({ call: 'deliver', args: {}, gives: '0' });
    expect(m.state.tables[0]).toEqual([]);
    expect(m.state.queues[3]).toHaveLength(1); // parent 1's release drains only parent 1
    m.run({ call: 'deliver', args: {}, gives: '0' });
    expect(m.state.tables[3]).toEqual([]);
    expect(m.state.queues[3]).toEqual([]); // drained like mdev_detach
    m.run({ call: 'deliver', args: {}, gives: '0' });
    expect(m.state.vms[0]!.entries).toEqual([]);
    m.run({ call: 'deliver', args: {}, gives: '0' }, { call: 'deliver', args: {}, gives: '0' });
    expect(m.state.vms[1]!.entries).toEqual([]);
    expect(m.state.ioasids.filter((io) => io !== null)).toEqual([]);
    expect(m.freePasids()).toEqual([1, 2, 3]);
    expect(m.state.notifications).toEqual([]);
    m.observe('idle', 'deliver');
  });

  it('an entry released another way first has its notification discarded', () => {
    const m = notified().run(
      { call: 'detach', args: { proc: 1, dev: 3, pasid: 1 }, gives: '0' },
      { call: 'kvm_unmap_pasid', args: { proc: 1, vm: 2, vpasid: 1 }, gives: '0' },
      { call: 'mdev_detach', args: { proc: 1, mdev: 1, pasid: 1 }, gives: '0' },
    );
    expect(m.state.notifications).toEqual([
      { holder: 'pdev', id: 2, key: 1 }, { holder: 'parent', id: 1, key: 1 },
      { holder: 'kvm', id: 1, key: 1 }, { holder: 'kvm', id: 2, key: 2 },
    ]);
    m.run({ call: 'vm_destroy', args: { proc: 1, vm: 2 }, gives: '0' });
    expect(m.state.notifications.map((n) => n.holder)).toEqual(['pdev', 'parent', 'kvm']);
  });

  it('close notifies too; with no other holder there is nothing to notify', () => {
    const m = opened(new Machine(SMALL, 'notifier-cleanup')).run(
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 2 }, gives: '0' },
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
    );
    expect(m.state.notifications).toEqual([{ holder: 'pdev', id: 1, key: 2 }]);
    expect(m.freePasids()).toEqual([1, 2, 3]);
  });
});

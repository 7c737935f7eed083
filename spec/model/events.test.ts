/** DESIGN.md §3 events: dma, enqcmd, swq_exec, deliver (outside notifier-cleanup). */
import { describe, expect, it } from 'vitest';
import { type State, VARIANT_NAMES } from '../../model/index';
import { Machine, SMALL, mappedVm, opened } from './harness';

/** Process 1: fd 1, handle 1 (PASID 1) attached through mdev 1 and mapped at vpasid 1 of VM 1. */
const guest = (m: Machine) =>
  mappedVm(opened(m).run(
    { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
    { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
  ));

describe('dma', () => {
  it('ok:<owner> through a live entry, blocked once destroyed, fault once detached', () => {
    const m = opened(new Machine());
    m.observe('fault', 'dma', 1, 1); // no entry
    m.run({ call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' });
    m.observe('ok:1', 'dma', 1, 1);
    m.observe('fault', 'dma', 1, 2);
    m.run({ call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' });
    m.observe('blocked', 'dma', 1, 1);
    m.run({ call: 'detach', args: { proc: 1, dev: 1, pasid: 1 }, gives: '0' });
    m.observe('fault', 'dma', 1, 1);
  });

  it('fault on a swq, even with a parent entry for the PASID', () => {
    const m = guest(new Machine());
    m.observe('fault', 'dma', 2, 1);
  });

  it('lands in the address space of the IOASID\'s owner, not the device\'s', () => {
    // Hand-built: pdev 1 (owner 1) holds an entry to an IOASID of process 2's file.
    const m = opened(new Machine(), 2);
    const s: State = { ...m.state, tables: [[{ pasid: 1, ioasid: 1, mdev: 0, allowed: true }], []] };
    new Machine(m.scope, 'reference', s).observe('ok:2', 'dma', 1, 1);
  });
});

describe('enqcmd', () => {
  it('queued: appends (issuer = the VM\'s owner, the entry\'s raw PASID) to the parent queue', () => {
    const m = guest(new Machine()).run({ call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' });
    expect(m.state.queues).toEqual([[], [{ issuer: 1, pasid: 1 }]]);
  });

  it('needs no mdev entry to queue; the issuer is the VM\'s owner', () => {
    const m = opened(new Machine(), 2).run(
      { call: 'kvm_set_ioasid_fd', args: { proc: 2, vm: 2, fd: 1 }, gives: '0' },
      { call: 'kvm_enable_enqcmd', args: { proc: 2, vm: 2 }, gives: '0' },
      { call: 'kvm_map_pasid', args: { proc: 2, vm: 2, vpasid: 1, ioasid: 1 }, gives: '0' },
      { call: 'enqcmd', args: { vm: 2, mdev: 2, vpasid: 1 }, gives: 'queued' },
    );
    expect(m.state.tables[1]).toEqual([]);
    expect(m.state.queues[1]).toEqual([{ issuer: 2, pasid: 1 }]);
  });

  it('retry when the parent queue is full, whichever mdev fills it', () => {
    const m = guest(new Machine()).run({ call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' });
    m.observe('retry', 'enqcmd', 1, 1, 1);
    const two = guest(new Machine(SMALL)).run(
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
    );
    expect(two.state.queues[1]).toHaveLength(2);
    two.observe('retry', 'enqcmd', 1, 1, 1);
  });

  it('fault: unknown vm or mdev, mdev not given to the vm, vpasid unmapped', () => {
    const m = guest(new Machine());
    m.observe('fault', 'enqcmd', 3, 1, 1);
    m.observe('fault', 'enqcmd', 1, 3, 1);
    m.observe('fault', 'enqcmd', 1, 2, 1); // mdev 2 is VM 2's
    m.observe('fault', 'enqcmd', 2, 1, 1); // mdev 1 is VM 1's
    m.observe('fault', 'enqcmd', 1, 1, 2);
  });

  it('fault: table disabled (never enabled), or the VM gone', () => {
    const m = opened(new Machine()).run({ call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0' });
    m.observe('fault', 'enqcmd', 1, 1, 1);
    const gone = guest(new Machine()).run({ call: 'vm_destroy', args: { proc: 1, vm: 1 }, gives: '0' });
    gone.observe('fault', 'enqcmd', 1, 1, 1);
  });
});

describe('swq_exec', () => {
  it('runs the oldest descriptor: ok:<owner> through the parent entry', () => {
    const m = guest(new Machine()).run(
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
      { call: 'swq_exec', args: { dev: 2 }, gives: 'ok:1' },
    );
    expect(m.state.queues[1]).toEqual([]);
    m.observe('idle', 'swq_exec', 2);
  });

  it('pops in FIFO order', () => {
    const m = guest(new Machine(SMALL)).run(
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
      { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 2, ioasid: 2 }, gives: '0' },
    );
    m.run(
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 2 }, gives: 'queued' },
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
    );
    m.run({ call: 'swq_exec', args: { dev: 2 }, gives: 'fault' }); // PASID 2 has no parent entry
    expect(m.state.queues[1]).toEqual([{ issuer: 1, pasid: 1 }]);
    m.run({ call: 'swq_exec', args: { dev: 2 }, gives: 'ok:1' });
  });

  it('fault with no parent entry; the descriptor is consumed', () => {
    const m = mappedVm(opened(new Machine())).run(
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
      { call: 'swq_exec', args: { dev: 2 }, gives: 'fault' },
    );
    expect(m.state.queues[1]).toEqual([]);
  });

  it('blocked when the parent entry points at a destroyed IOASID', () => {
    const m = guest(new Machine()).run(
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    expect(m.state.queues[1]).toHaveLength(1); // still held: no drain yet
    m.run({ call: 'swq_exec', args: { dev: 2 }, gives: 'blocked' });
  });

  it('idle on an empty queue or a non-swq device', () => {
    const m = guest(new Machine()).run({ call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' });
    m.observe('idle', 'swq_exec', 1);
    new Machine().observe('idle', 'swq_exec', 2);
  });
});

describe('deliver outside notifier-cleanup', () => {
  it.each(VARIANT_NAMES.filter((v) => v !== 'notifier-cleanup'))('%s: always idle, no change', (variant) => {
    const m = opened(new Machine(SMALL, variant)).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      // iommufd-busy refuses to destroy what the entries still use: nothing to notify either way
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: variant === 'iommufd-busy' ? '-EBUSY' : '0' },
    );
    m.observe('idle', 'deliver');
    expect(m.state.notifications).toEqual([]);
  });

  it('notifier-cleanup with nothing pending: idle', () => {
    new Machine(SMALL, 'notifier-cleanup').observe('idle', 'deliver');
  });
});

/** DESIGN.md §3 events: dma, enqcmd, swq_exec, deliver (outside notifier-cleanup). */
import { describe, expect, it } from 'vitest';
import { type State, VARIANT_NAMES } from '../../model/index';
import { Machine, SMALL, mappedVm, opened } from './harness';

/** Process 1: fd 1, handle 1 (PASID 1) attached through mdev 1 and mapped at vpasid 1 of VM 1. */
const guest = (m: Machine) =>
  mappedVm(opened(m).run(['mdev_allow_pasid', [1, 1, 1], '0'], ['mdev_attach', [1, 1, 1, 1], '0']));

describe('dma', () => {
  it('ok:<owner> through a live entry, blocked once destroyed, fault once detached', () => {
    const m = opened(new Machine());
    m.observe('fault', 'dma', 1, 1); // no entry
    m.run(['attach', [1, 1, 1, 1], '0']);
    m.observe('ok:1', 'dma', 1, 1);
    m.observe('fault', 'dma', 1, 2);
    m.run(['destroy', [1, 1, 1], '0']);
    m.observe('blocked', 'dma', 1, 1);
    m.run(['detach', [1, 1, 1], '0']);
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
    const m = guest(new Machine()).run(['enqcmd', [1, 1, 1], 'queued']);
    expect(m.state.queues).toEqual([[], [{ issuer: 1, pasid: 1 }]]);
  });

  it('needs no mdev entry to queue; the issuer is the VM\'s owner', () => {
    const m = opened(new Machine(), 2).run(
      ['kvm_set_ioasid_fd', [2, 2, 1], '0'], ['kvm_enable_enqcmd', [2, 2], '0'], ['kvm_map_pasid', [2, 2, 1, 1], '0'],
      ['enqcmd', [2, 2, 1], 'queued'],
    );
    expect(m.state.tables[1]).toEqual([]);
    expect(m.state.queues[1]).toEqual([{ issuer: 2, pasid: 1 }]);
  });

  it('retry when the parent queue is full, whichever mdev fills it', () => {
    const m = guest(new Machine()).run(['enqcmd', [1, 1, 1], 'queued']);
    m.observe('retry', 'enqcmd', 1, 1, 1);
    const two = guest(new Machine(SMALL)).run(['enqcmd', [1, 1, 1], 'queued'], ['enqcmd', [1, 1, 1], 'queued']);
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
    const m = opened(new Machine()).run(['kvm_set_ioasid_fd', [1, 1, 1], '0']);
    m.observe('fault', 'enqcmd', 1, 1, 1);
    const gone = guest(new Machine()).run(['vm_destroy', [1, 1], '0']);
    gone.observe('fault', 'enqcmd', 1, 1, 1);
  });
});

describe('swq_exec', () => {
  it('runs the oldest descriptor: ok:<owner> through the parent entry', () => {
    const m = guest(new Machine()).run(['enqcmd', [1, 1, 1], 'queued'], ['swq_exec', [2], 'ok:1']);
    expect(m.state.queues[1]).toEqual([]);
    m.observe('idle', 'swq_exec', 2);
  });

  it('pops in FIFO order', () => {
    const m = guest(new Machine(SMALL)).run(['alloc', [1, 1], '2'], ['kvm_map_pasid', [1, 1, 2, 2], '0']);
    m.run(['enqcmd', [1, 1, 2], 'queued'], ['enqcmd', [1, 1, 1], 'queued']);
    m.run(['swq_exec', [2], 'fault']); // PASID 2 has no parent entry
    expect(m.state.queues[1]).toEqual([{ issuer: 1, pasid: 1 }]);
    m.run(['swq_exec', [2], 'ok:1']);
  });

  it('fault with no parent entry; the descriptor is consumed', () => {
    const m = mappedVm(opened(new Machine())).run(['enqcmd', [1, 1, 1], 'queued'], ['swq_exec', [2], 'fault']);
    expect(m.state.queues[1]).toEqual([]);
  });

  it('blocked when the parent entry points at a destroyed IOASID', () => {
    const m = guest(new Machine()).run(['enqcmd', [1, 1, 1], 'queued'], ['destroy', [1, 1, 1], '0']);
    expect(m.state.queues[1]).toHaveLength(1); // still held: no drain yet
    m.run(['swq_exec', [2], 'blocked']);
  });

  it('idle on an empty queue or a non-swq device', () => {
    const m = guest(new Machine()).run(['enqcmd', [1, 1, 1], 'queued']);
    m.observe('idle', 'swq_exec', 1);
    new Machine().observe('idle', 'swq_exec', 2);
  });
});

describe('deliver outside notifier-cleanup', () => {
  it.each(VARIANT_NAMES.filter((v) => v !== 'notifier-cleanup'))('%s: always idle, no change', (variant) => {
    const m = opened(new Machine(SMALL, variant)).run(
      ['attach', [1, 1, 1, 1], '0'], ['mdev_allow_pasid', [1, 1, 1], '0'], ['mdev_attach', [1, 1, 1, 1], '0'],
      // iommufd-busy refuses to destroy what the entries still use: nothing to notify either way
      ['destroy', [1, 1, 1], variant === 'iommufd-busy' ? '-EBUSY' : '0'],
    );
    m.observe('idle', 'deliver');
    expect(m.state.notifications).toEqual([]);
  });

  it('notifier-cleanup with nothing pending: idle', () => {
    new Machine(SMALL, 'notifier-cleanup').observe('idle', 'deliver');
  });
});

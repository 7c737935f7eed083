/**
 * DESIGN.md §9, iommufd-busy: destroy of an IOASID in use is -EBUSY; close
 * frees the fd number and keeps in-use IOASIDs live until their last other
 * holder lets go, at that point of the step.
 */
import { describe, expect, it } from 'vitest';
import { INVARIANTS, violated } from '../../model/index';
import { Machine, SMALL, mappedVm, opened } from './harness';

const busy = () => new Machine(SMALL, 'iommufd-busy');

describe('iommufd-busy: destroy', () => {
  it('refuses -EBUSY while a pdev entry, an mdev entry or a KVM entry holds the IOASID; succeeds once none does', () => {
    const m = opened(busy()).run({ call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' });
    m.refuse('-EBUSY', 'destroy', 1, 1, 1);
    m.run(
      { call: 'detach', args: { proc: 1, dev: 1, pasid: 1 }, gives: '0' },
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    m.refuse('-EBUSY', 'destroy', 1, 1, 1);
    m.run({ call: 'mdev_detach', args: { proc: 1, mdev: 1, pasid: 1 }, gives: '0' });
    mappedVm(m);
    m.refuse('-EBUSY', 'destroy', 1, 1, 1);
    m.run(
      { call: 'kvm_unmap_pasid', args: { proc: 1, vm: 1, vpasid: 1 }, gives: '0' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    expect(m.state.ioasids.filter((x) => x !== null)).toEqual([]);
    expect(m.freePasids()).toEqual([1, 2, 3]);
  });

  it('the errors of §3 come first: -EBADF and -ENOENT before -EBUSY', () => {
    const m = opened(busy()).run({ call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' });
    m.refuse('-EBADF', 'destroy', 1, 2, 1);
    m.refuse('-ENOENT', 'destroy', 1, 1, 2);
  });

  it('queued descriptors hold no reference: destroy succeeds and drains them', () => {
    const m = mappedVm(opened(busy())).run(
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
      { call: 'kvm_unmap_pasid', args: { proc: 1, vm: 1, vpasid: 1 }, gives: '0' },
    );
    m.run({ call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' });
    expect(m.state.queues[1]).toEqual([]);
    expect(m.freePasids()).toEqual([1, 2, 3]);
  });
});

describe('iommufd-busy: close', () => {
  it('frees the fd number; an IOASID still attached stays live, unblocked, with its handle and the FD reference', () => {
    const m = opened(busy()).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
    );
    expect(m.openFds(1)).toEqual([]);
    const io = m.holding(1)!;
    expect(io).toMatchObject({ handle: 1, blocked: false, users: 2 });
    m.run({ call: 'dma', args: { dev: 1, pasid: 1 }, gives: 'ok:1' }); // still translating: nothing was destroyed
    expect(violated(SMALL, m.state)).toEqual([]);
  });

  it('the last other holder letting go destroys and recycles it in that step', () => {
    const m = opened(busy()).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
      { call: 'detach', args: { proc: 1, dev: 1, pasid: 1 }, gives: '0' },
    );
    expect(m.state.ioasids.filter((x) => x !== null)).toEqual([]);
    expect(m.freePasids()).toEqual([1, 2, 3]);
  });

  it('a new file reusing the fd number cannot reach the old IOASID; the old one stays charged to the closed file', () => {
    const m = opened(busy()).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
      { call: 'open', args: { proc: 1 }, gives: '1' },
    );
    m.refuse('-ENOENT', 'destroy', 1, 1, 1);
    m.run({ call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' }); // a fresh IOASID, PASID 2
    expect(m.holding(2)).toMatchObject({ handle: 1, users: 1 });
    expect(m.holding(1)).toMatchObject({ handle: 1, users: 2 });
  });

  it('the closed file is not "still open": a VM presented it can take a new FD, its KVM map is -EBADF', () => {
    const m = mappedVm(opened(busy())).run({ call: 'close', args: { proc: 1, fd: 1 }, gives: '0' });
    m.refuse('-EBADF', 'kvm_map_pasid', 1, 1, 2, 1);
    m.run({ call: 'open', args: { proc: 1 }, gives: '1' }, { call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0' });
  });

  it('exit releases its own entries first, so every IOASID is destroyed and recycled', () => {
    const m = mappedVm(opened(busy()).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    ));
    m.run({ call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' }, { call: 'exit', args: { proc: 1 }, gives: '0' });
    expect(m.state.ioasids.filter((x) => x !== null)).toEqual([]);
    expect(m.freePasids()).toEqual([1, 2, 3]);
    expect(m.state.queues[1]).toEqual([]);
  });

  it('with two IOASIDs, one free and one held, close recycles the free one at once and keeps the held one', () => {
    const m = opened(busy()).run(
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 2 }, gives: '0' },
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
    );
    expect(m.freePasids()).toEqual([1, 3]);
    expect(m.holding(2)).toMatchObject({ handle: 2, users: 2 });
    m.run({ call: 'exit', args: { proc: 1 }, gives: '0' });
    expect(m.freePasids()).toEqual([1, 2, 3]);
  });

  it('a compound step (vm_destroy) sees an IOASID gone after its last entry: the second KVM entry finds the PASID recycled', () => {
    const m = opened(busy()).run(
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
      { call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0' },
      { call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 1 }, gives: '0' },
    );
    m.run(
      { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 1, ioasid: 1 }, gives: '0' },
      { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 2, ioasid: 2 }, gives: '0' },
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
    );
    expect(m.freePasids()).toEqual([3]);
    m.run({ call: 'vm_destroy', args: { proc: 1, vm: 1 }, gives: '0' });
    expect(m.freePasids()).toEqual([1, 2, 3]);
    for (const inv of INVARIANTS) expect(inv.holds(SMALL, m.state), inv.name).toBe(true);
  });
});

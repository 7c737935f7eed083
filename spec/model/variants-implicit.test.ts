/**
 * DESIGN.md §5, the authorization and accounting variants: implicit-kvm-enqcmd,
 * implicit-mdev-pasid, no-dma-block, uncharge-on-destroy. Each case runs the
 * same calls under the reference too.
 */
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../model/index';
import { DEFAULT, Machine, SMALL, mappedVm, opened } from './harness';

/** Process 1 owns VMs 1 and 3; vpasids 1..2, PASIDs 1..3. */
const THREE_VMS: Scope = { ...SMALL, quota: 3, vms: [{ id: 1, owner: 1 }, { id: 2, owner: 2 }, { id: 3, owner: 1 }] };

describe('implicit-kvm-enqcmd', () => {
  it('alloc maps vpasid = PASID in each live VM of the process (+1 ref each, not explicit)', () => {
    const m = opened(new Machine(THREE_VMS, 'implicit-kvm-enqcmd'));
    const entry = { vpasid: 1, ioasid: 1, pasid: 1, explicit: false };
    expect(m.state.vms[0]).toEqual({ alive: true, presented: 0, enabled: false, entries: [entry] });
    expect(m.state.vms[1]!.entries).toEqual([]);
    expect(m.state.vms[2]!.entries).toEqual([entry]);
    expect(m.live(1, 1, 1)?.users).toBe(3);
    const ref = opened(new Machine(THREE_VMS));
    expect(ref.state.vms.map((v) => v.entries)).toEqual([[], [], []]);
  });

  it('skips destroyed VMs, vpasids out of range, and vpasids already mapped', () => {
    const m = opened(new Machine(THREE_VMS, 'implicit-kvm-enqcmd')).run(
      { call: 'vm_destroy', args: { proc: 1, vm: 3 }, gives: '0' },
      { call: 'kvm_unmap_pasid', args: { proc: 1, vm: 1, vpasid: 1 }, gives: '0' },
      { call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0' },
      { call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 1 }, gives: '0' },
      { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 2, ioasid: 1 }, gives: '0' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' }, // PASID 2: vpasid 2 is taken in VM 1, VM 3 is gone
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '3' }, // PASID 3: out of vpasid range
    );
    expect(m.state.vms[0]!.entries).toEqual([{ vpasid: 2, ioasid: 1, pasid: 1, explicit: true }]);
    expect(m.state.vms[2]!.entries).toEqual([]);
    expect(m.live(1, 1, 2)?.users).toBe(1);
    expect(m.live(1, 1, 3)?.users).toBe(1);
  });

  it('enqcmd ignores the enable bit', () => {
    const calls = (m: Machine) => opened(m).run(
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    calls(new Machine(DEFAULT, 'implicit-kvm-enqcmd')).run(
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
      { call: 'swq_exec', args: { dev: 2 }, gives: 'ok:1' },
    );
    calls(new Machine(DEFAULT)).observe('fault', 'enqcmd', 1, 1, 1);
  });
});

describe('implicit-mdev-pasid', () => {
  it('mdev_attach skips the allowance check; the ghost bit records it was not allowed', () => {
    const m = opened(new Machine(DEFAULT, 'implicit-mdev-pasid')).run({ call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' });
    expect(m.state.tables[1]).toEqual([{ pasid: 1, ioasid: 1, mdev: 1, allowed: false }]);
    expect(m.state.allowed).toEqual([0, 0]);
    opened(new Machine(DEFAULT)).refuse('-EPERM', 'mdev_attach', 1, 1, 1, 1);
  });

  it('allowed for another FD: attaches, not allowed; allowed for this FD: allowed', () => {
    const m = opened(new Machine(SMALL, 'implicit-mdev-pasid')).run(
      { call: 'open', args: { proc: 1 }, gives: '2' },
      { call: 'alloc', args: { proc: 1, fd: 2 }, gives: '1' },
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 2, ioasid: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    expect(m.state.tables[1]).toEqual([
      { pasid: 1, ioasid: 1, mdev: 1, allowed: true },
      { pasid: 2, ioasid: 2, mdev: 1, allowed: false },
    ]);
  });

  it('the later checks still apply: -ENOENT, -EEXIST', () => {
    const m = opened(new Machine(DEFAULT, 'implicit-mdev-pasid'));
    m.refuse('-ENOENT', 'mdev_attach', 1, 1, 1, 2);
    m.run({ call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' }).refuse('-EEXIST', 'mdev_attach', 1, 1, 1, 1);
  });
});

describe('no-dma-block', () => {
  it('destroy leaves blocked = false: DMA still reaches the IOASID\'s owner', () => {
    const calls = (m: Machine) =>
      mappedVm(
        opened(m).run(
          { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
          { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
          { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
        ),
      ).run(
        { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
        { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
      );
    const m = calls(new Machine(DEFAULT, 'no-dma-block'));
    expect(m.holding(1)).toEqual({ file: 1, handle: 0, pasid: 1, blocked: false, users: 3 });
    m.run({ call: 'dma', args: { dev: 1, pasid: 1 }, gives: 'ok:1' }, { call: 'swq_exec', args: { dev: 2 }, gives: 'ok:1' });
    const ref = calls(new Machine(DEFAULT));
    expect(ref.holding(1)?.blocked).toBe(true);
    ref.run({ call: 'dma', args: { dev: 1, pasid: 1 }, gives: 'blocked' }, { call: 'swq_exec', args: { dev: 2 }, gives: 'blocked' });
  });

  it('parks the PASID as the reference does', () => {
    const m = opened(new Machine(DEFAULT, 'no-dma-block')).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    expect(m.freePasids()).toEqual([2]);
    m.refuse('-EDQUOT', 'alloc', 1, 1);
  });
});

describe('uncharge-on-destroy', () => {
  it('-EDQUOT counts live IOASIDs only: a parked PASID stops counting', () => {
    const calls = (m: Machine) => opened(m).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    const m = calls(new Machine(DEFAULT, 'uncharge-on-destroy')).run({ call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' });
    expect(m.live(1, 1, 1)?.pasid).toBe(2);
    expect(m.state.ioasids.filter((io) => io?.file === 1 && io.pasid !== 0)).toHaveLength(2); // charged 2 > quota 1
    m.refuse('-EDQUOT', 'alloc', 1, 1); // one live handle = quota
    calls(new Machine(DEFAULT)).refuse('-EDQUOT', 'alloc', 1, 1);
  });

  it('-ENOSPC still applies once the pool is empty', () => {
    const m = new Machine({ ...DEFAULT, quota: 2 }, 'uncharge-on-destroy').run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
    );
    expect(m.freePasids()).toEqual([]);
    m.refuse('-ENOSPC', 'alloc', 1, 1); // one live handle < quota 2, but PASID 1 is parked and 2 taken
  });
});

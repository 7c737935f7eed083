/** DESIGN.md §3: kvm_set_ioasid_fd, kvm_enable_enqcmd (authorization #2), kvm_map/unmap_pasid, vm_destroy. */
import { describe, expect, it } from 'vitest';
import { Machine, SMALL, mappedVm, opened } from './harness';

const presented = (m: Machine) => opened(m).run({ call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0' });
const enabled = (m: Machine) => presented(m).run({ call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 1 }, gives: '0' });

describe('kvm_set_ioasid_fd', () => {
  it('presents the file to KVM; the table stays disabled', () => {
    const m = presented(new Machine());
    expect(m.state.vms[0]).toEqual({ alive: true, presented: 1, enabled: false, entries: [] });
    expect(m.state.vms[1]).toEqual({ alive: true, presented: 0, enabled: false, entries: [] });
  });

  it('again with the same FD: 0, no change', () => {
    const m = presented(new Machine());
    const out = m.peek('kvm_set_ioasid_fd', [1, 1, 1]);
    expect(out.result).toBe('0');
    expect(out.state).toEqual(m.state);
  });

  it('-EBUSY while another FD still open is presented; replaceable once it is closed', () => {
    const m = presented(new Machine(SMALL)).run({ call: 'open', args: { proc: 1 }, gives: '2' });
    m.refuse('-EBUSY', 'kvm_set_ioasid_fd', 1, 1, 2);
    m.run(
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
      { call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 2 }, gives: '0' },
    );
    expect(m.state.vms[0]!.presented).toBe(m.state.files.findIndex((f) => f?.fd === 2) + 1);
  });

  it('KVM remembers the file, not the number: a new file on the same fd is a different FD', () => {
    const m = presented(new Machine()).run(
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
      { call: 'open', args: { proc: 1 }, gives: '1' },
    );
    const old = m.state.vms[0]!.presented;
    expect(m.state.files[old - 1]).toEqual({ proc: 1, fd: 0 });
    m.run({ call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0' });
    expect(m.state.vms[0]!.presented).not.toBe(old);
    expect(m.state.files[m.state.vms[0]!.presented - 1]).toEqual({ proc: 1, fd: 1 });
  });
});

describe('kvm_enable_enqcmd', () => {
  it('-EINVAL when no FD was ever presented', () => {
    opened(new Machine()).refuse('-EINVAL', 'kvm_enable_enqcmd', 1, 1);
  });

  it('enables the table; idempotent', () => {
    const m = enabled(new Machine());
    expect(m.state.vms[0]).toMatchObject({ enabled: true, presented: 1 });
    const out = m.peek('kvm_enable_enqcmd', [1, 1]);
    expect(out.result).toBe('0');
    expect(out.state).toEqual(m.state);
  });

  it('an FD once presented suffices, even closed since', () => {
    const m = presented(new Machine()).run(
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
      { call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 1 }, gives: '0' },
    );
    expect(m.state.vms[0]!.enabled).toBe(true);
  });
});

describe('kvm_map_pasid', () => {
  it('maps vpasid -> the ioasid\'s PASID of the presented FD (+1 ref, explicit)', () => {
    const m = mappedVm(opened(new Machine()));
    expect(m.state.vms[0]!.entries).toEqual([{ vpasid: 1, ioasid: 1, pasid: 1, explicit: true }]);
    expect(m.holding(1)?.users).toBe(2);
  });

  it('keeps entries sorted by vpasid and may map one IOASID twice', () => {
    const m = enabled(new Machine(SMALL)).run(
      { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 2, ioasid: 1 }, gives: '0' },
      { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 1, ioasid: 1 }, gives: '0' },
    );
    expect(m.state.vms[0]!.entries.map((e) => e.vpasid)).toEqual([1, 2]);
    expect(m.holding(1)?.users).toBe(3);
  });

  it('-EINVAL before -EBADF: table never enabled, presented FD closed', () => {
    presented(new Machine()).run({ call: 'close', args: { proc: 1, fd: 1 }, gives: '0' }).refuse('-EINVAL', 'kvm_map_pasid', 1, 1, 1, 1);
  });

  it('-EINVAL with nothing presented at all', () => {
    opened(new Machine()).refuse('-EINVAL', 'kvm_map_pasid', 1, 1, 1, 1);
  });

  it('-EBADF before -ENOENT: the presented FD has since been closed', () => {
    const m = enabled(new Machine()).run({ call: 'close', args: { proc: 1, fd: 1 }, gives: '0' });
    m.refuse('-EBADF', 'kvm_map_pasid', 1, 1, 1, 1);
    m.refuse('-EBADF', 'kvm_map_pasid', 1, 1, 9, 9);
    m.run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
    ); // fd 1 again, but a new file
    m.refuse('-EBADF', 'kvm_map_pasid', 1, 1, 1, 1);
  });

  it('-ENOENT before -EEXIST: vpasid mapped, handle not live', () => {
    const m = mappedVm(opened(new Machine()));
    m.refuse('-ENOENT', 'kvm_map_pasid', 1, 1, 1, 2);
    m.refuse('-EEXIST', 'kvm_map_pasid', 1, 1, 1, 1);
  });

  it('-ENOENT for a handle of another (non-presented) FD of the process', () => {
    const m = presented(new Machine(SMALL)).run(
      { call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 1 }, gives: '0' },
      { call: 'open', args: { proc: 1 }, gives: '2' },
      { call: 'alloc', args: { proc: 1, fd: 2 }, gives: '1' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    m.refuse('-ENOENT', 'kvm_map_pasid', 1, 1, 1, 1); // handle 1 is live only in fd 2
  });

  it('-EEXIST for a mapped vpasid, whichever handle', () => {
    const m = mappedVm(new Machine(SMALL).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
    ));
    m.refuse('-EEXIST', 'kvm_map_pasid', 1, 1, 1, 2);
  });
});

describe('kvm_unmap_pasid', () => {
  it('removes the entry (-1 ref)', () => {
    const m = mappedVm(opened(new Machine())).run({ call: 'kvm_unmap_pasid', args: { proc: 1, vm: 1, vpasid: 1 }, gives: '0' });
    expect(m.state.vms[0]!.entries).toEqual([]);
    expect(m.holding(1)?.users).toBe(1);
  });

  it('-ENOENT for an unmapped vpasid', () => {
    const m = enabled(new Machine(SMALL)).run({ call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 1, ioasid: 1 }, gives: '0' });
    m.refuse('-ENOENT', 'kvm_unmap_pasid', 1, 1, 2);
  });

  it('releasing the last holder of a destroyed IOASID recycles its PASID', () => {
    const m = mappedVm(opened(new Machine())).run({ call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' });
    expect(m.freePasids()).toEqual([2]);
    m.run({ call: 'kvm_unmap_pasid', args: { proc: 1, vm: 1, vpasid: 1 }, gives: '0' });
    expect(m.freePasids()).toEqual([1, 2]);
  });
});

describe('vm_destroy', () => {
  it('releases the entries, forgets the FD, disables the table; the VM is gone', () => {
    const m = mappedVm(new Machine(SMALL).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
    ));
    m.run(
      { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 2, ioasid: 2 }, gives: '0' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'vm_destroy', args: { proc: 1, vm: 1 }, gives: '0' },
    );
    expect(m.state.vms[0]).toEqual({ alive: false, presented: 0, enabled: false, entries: [] });
    expect(m.holding(1)).toBeUndefined(); // its last holder was vpasid 1
    expect(m.live(1, 1, 2)?.users).toBe(1);
    expect(m.freePasids()).toEqual([1, 3]);
    m.refuse('-EPERM', 'vm_destroy', 1, 1);
  });

  it('works on a VM never used and touches no other VM', () => {
    const m = new Machine().run({ call: 'vm_destroy', args: { proc: 2, vm: 2 }, gives: '0' });
    expect(m.state.vms.map((v) => v.alive)).toEqual([true, false]);
  });
});

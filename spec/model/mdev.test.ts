/** DESIGN.md §3: mdev_allow_pasid (authorization #1), mdev_attach, mdev_detach (drains first). */
import { describe, expect, it } from 'vitest';
import { Machine, SMALL, TINY, TWO_MDEVS, opened } from './harness';

const allowed = (m: Machine) => opened(m).run({ call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' });

describe('mdev_allow_pasid', () => {
  it('allows the mdev PASID use for this file', () => {
    const m = allowed(new Machine());
    expect(m.state.allowed).toEqual([1, 0]);
  });

  it('again with the same FD: 0 and no change', () => {
    const m = allowed(new Machine());
    const out = m.peek('mdev_allow_pasid', [1, 1, 1]);
    expect(out.result).toBe('0');
    expect(out.state).toEqual(m.state);
  });

  it('-EBUSY while allowed for another FD still open; free again once that file is closed', () => {
    const m = allowed(new Machine(SMALL)).run({ call: 'open', args: { proc: 1 }, gives: '2' });
    m.refuse('-EBUSY', 'mdev_allow_pasid', 1, 1, 2);
    m.run(
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 2 }, gives: '0' },
    );
    expect(m.state.allowed[0]).toBe(m.state.files.findIndex((f) => f?.fd === 2) + 1);
  });

  it('a reused fd number is a new file: the old allowance does not carry over, and is replaced', () => {
    const m = allowed(new Machine()).run(
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
    );
    m.refuse('-EPERM', 'mdev_attach', 1, 1, 1, 1); // allowed for the closed file, not this one
    m.run(
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
  });
});

describe('mdev_attach', () => {
  it('maps the PASID in the parent\'s table through the mdev (+1 ref), ghost allowed = true', () => {
    const m = allowed(new Machine()).run({ call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' });
    expect(m.state.tables[1]).toEqual([{ pasid: 1, ioasid: 1, mdev: 1, allowed: true }]);
    expect(m.state.tables[0]).toEqual([]);
    expect(m.holding(1)?.users).toBe(2);
  });

  it('-EPERM when not allowed, before -ENOENT', () => {
    const m = opened(new Machine());
    m.refuse('-EPERM', 'mdev_attach', 1, 1, 1, 1);
    m.refuse('-EPERM', 'mdev_attach', 1, 1, 1, 9);
  });

  it('-EPERM when allowed for another (open) FD of the process', () => {
    const m = allowed(new Machine(SMALL)).run(
      { call: 'open', args: { proc: 1 }, gives: '2' },
      { call: 'alloc', args: { proc: 1, fd: 2 }, gives: '1' },
    );
    m.refuse('-EPERM', 'mdev_attach', 1, 1, 2, 1);
  });

  it('-ENOENT before -EEXIST: a destroyed handle whose parked PASID is still in the parent table', () => {
    const m = allowed(new Machine()).run(
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    m.refuse('-ENOENT', 'mdev_attach', 1, 1, 1, 1);
  });

  it('-EEXIST when the parent has an entry for the PASID through any mdev', () => {
    const m = opened(new Machine(TWO_MDEVS)).run(
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 2, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    m.refuse('-EEXIST', 'mdev_attach', 1, 1, 1, 1);
    m.refuse('-EEXIST', 'mdev_attach', 1, 2, 1, 1);
  });

  it('an entry made through a since-closed file stays and holds its reference', () => {
    const m = allowed(new Machine()).run(
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
    );
    expect(m.state.tables[1]).toEqual([{ pasid: 1, ioasid: 1, mdev: 1, allowed: true }]);
    expect(m.holding(1)).toMatchObject({ handle: 0, blocked: true, users: 1 });
  });
});

describe('mdev_detach', () => {
  it('removes the entry (-1 ref)', () => {
    const m = allowed(new Machine()).run(
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'mdev_detach', args: { proc: 1, mdev: 1, pasid: 1 }, gives: '0' },
    );
    expect(m.state.tables[1]).toEqual([]);
    expect(m.holding(1)?.users).toBe(1);
  });

  it('drains the parent\'s queue of that PASID first, even while the IOASID lives', () => {
    const m = allowed(new Machine(SMALL)).run(
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0' },
      { call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 1 }, gives: '0' },
      { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 1, ioasid: 1 }, gives: '0' },
      { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 2, ioasid: 2 }, gives: '0' },
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' },
      { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 2 }, gives: 'queued' },
    );
    expect(m.state.queues[1]).toEqual([{ issuer: 1, pasid: 1 }, { issuer: 1, pasid: 2 }]);
    m.run({ call: 'mdev_detach', args: { proc: 1, mdev: 1, pasid: 1 }, gives: '0' });
    expect(m.state.queues[1]).toEqual([{ issuer: 1, pasid: 2 }]);
    expect(m.holding(1)?.users).toBe(2); // the FD and the KVM entry
  });

  it('-ENOENT when no entry was made through this mdev (even if another mdev made one)', () => {
    const m = opened(new Machine(TWO_MDEVS)).run(
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    m.refuse('-ENOENT', 'mdev_detach', 1, 2, 1);
    m.refuse('-ENOENT', 'mdev_detach', 1, 1, 2);
  });

  it('tiny: the parent is device 1, a swq, which attach refuses', () => {
    const m = allowed(new Machine(TINY)).run({ call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' });
    expect(m.state.tables[0]).toEqual([{ pasid: 1, ioasid: 1, mdev: 1, allowed: true }]);
    m.refuse('-EPERM', 'attach', 1, 1, 1, 1);
    m.refuse('-EPERM', 'detach', 1, 1, 1);
    m.run({ call: 'mdev_detach', args: { proc: 1, mdev: 1, pasid: 1 }, gives: '0' });
    expect(m.state.tables[0]).toEqual([]);
  });
});

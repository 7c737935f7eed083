/** DESIGN.md §3: open, close, alloc, destroy; lowest-free numbering; parked PASIDs stay charged. */
import { describe, expect, it } from 'vitest';
import { DEFAULT, Machine, ROOMY, SMALL, opened } from './harness';

describe('open', () => {
  it('returns fd 1 and records an open file of the process', () => {
    const m = new Machine().run({ call: 'open', args: { proc: 1 }, gives: '1' });
    expect(m.state.files).toEqual([{ proc: 1, fd: 1 }]);
  });

  it('numbers fds per process', () => {
    const m = new Machine().run({ call: 'open', args: { proc: 1 }, gives: '1' }, { call: 'open', args: { proc: 2 }, gives: '1' });
    expect(m.openFds(1)).toEqual([1]);
    expect(m.openFds(2)).toEqual([1]);
  });

  it('takes the lowest free fd number', () => {
    const m = new Machine(SMALL).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'open', args: { proc: 1 }, gives: '2' },
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
    );
    expect(m.openFds(1)).toEqual([2]);
    m.run({ call: 'open', args: { proc: 1 }, gives: '1' });
    expect(m.openFds(1)).toEqual([1, 2]);
  });

  it('-EMFILE when every fd slot is taken', () => {
    const m = new Machine().run({ call: 'open', args: { proc: 1 }, gives: '1' });
    m.refuse('-EMFILE', 'open', 1);
    new Machine(SMALL).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'open', args: { proc: 1 }, gives: '2' },
    ).refuse('-EMFILE', 'open', 1);
  });

  it('-ESRCH before -EMFILE for an exited process', () => {
    const m = new Machine().run({ call: 'open', args: { proc: 1 }, gives: '1' }, { call: 'exit', args: { proc: 1 }, gives: '0' });
    m.refuse('-ESRCH', 'open', 1);
  });
});

describe('alloc', () => {
  it('returns handle 1 holding the lowest free PASID, charged to the file with the FD reference', () => {
    const m = opened(new Machine());
    expect(m.state.ioasids).toEqual([{ file: 1, handle: 1, pasid: 1, blocked: false, users: 1 }]);
    expect(m.freePasids()).toEqual([2]);
  });

  it('takes the lowest free handle and the lowest free PASID', () => {
    const m = new Machine(SMALL).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' }, // no other holder: PASID 1 recycled, handle 1 freed
    );
    expect(m.freePasids()).toEqual([1, 3]);
    m.run({ call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' });
    expect(m.live(1, 1, 1)?.pasid).toBe(1);
    expect(m.live(1, 1, 2)?.pasid).toBe(2);
  });

  it('handles are per file, PASIDs are global', () => {
    const m = new Machine(DEFAULT);
    opened(m, 1);
    opened(m, 2);
    expect(m.live(2, 1, 1)?.pasid).toBe(2);
    expect(m.freePasids()).toEqual([]);
  });

  it('-EDQUOT when the FD has quota charged', () => {
    opened(new Machine()).refuse('-EDQUOT', 'alloc', 1, 1);
  });

  it('-ENOSPC when no PASID is free', () => {
    const m = new Machine({ ...DEFAULT, quota: 2 }).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
    );
    m.run({ call: 'open', args: { proc: 2 }, gives: '1' }).refuse('-ENOSPC', 'alloc', 2, 1);
  });

  it('-EDQUOT before -ENOSPC', () => {
    const m = opened(opened(new Machine(), 1), 2); // PASIDs 1 and 2 both taken, both FDs at quota
    expect(m.freePasids()).toEqual([]);
    m.refuse('-EDQUOT', 'alloc', 1, 1);
  });

  it('-EBADF for an fd that is not open, -ESRCH before it', () => {
    const m = new Machine(SMALL).run({ call: 'open', args: { proc: 1 }, gives: '1' });
    m.refuse('-EBADF', 'alloc', 1, 2);
    m.refuse('-EBADF', 'alloc', 2, 1);
    m.run({ call: 'exit', args: { proc: 1 }, gives: '0' }).refuse('-ESRCH', 'alloc', 1, 2);
  });

  it('a parked PASID stays charged until the last holder lets go', () => {
    const m = opened(new Machine(SMALL)).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    m.refuse('-EDQUOT', 'alloc', 1, 1); // parked PASID 1 + live PASID 2 = quota 2
    m.run({ call: 'detach', args: { proc: 1, dev: 1, pasid: 1 }, gives: '0' });
    m.refuse('-EDQUOT', 'alloc', 1, 1); // the mdev entry still holds it
    expect(m.freePasids()).toEqual([3]);
    m.run({ call: 'mdev_detach', args: { proc: 1, mdev: 1, pasid: 1 }, gives: '0' });
    expect(m.freePasids()).toEqual([1, 3]);
    m.run({ call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' });
    expect(m.live(1, 1, 1)?.pasid).toBe(1);
  });
});

describe('destroy', () => {
  it('with no other holder: the ioasid is gone, its PASID recycled and its handle freed', () => {
    const m = opened(new Machine()).run({ call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' });
    expect(m.state.ioasids.filter((io) => io !== null)).toEqual([]);
    expect(m.freePasids()).toEqual([1, 2]);
    m.run({ call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' });
  });

  it('with a table entry: blocks DMA, parks the PASID, drops the FD reference, frees the handle', () => {
    const m = opened(new Machine()).run({ call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' });
    expect(m.holding(1)).toEqual({ file: 1, handle: 1, pasid: 1, blocked: false, users: 2 });
    m.run({ call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' });
    expect(m.holding(1)).toEqual({ file: 1, handle: 0, pasid: 1, blocked: true, users: 1 });
    expect(m.freePasids()).toEqual([2]);
    m.refuse('-ENOENT', 'destroy', 1, 1, 1); // the handle is no longer live
  });

  it('-ENOENT for a handle never allocated or out of range; -EBADF before it', () => {
    const m = new Machine(ROOMY).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
    );
    m.refuse('-ENOENT', 'destroy', 1, 1, 2);
    m.refuse('-ENOENT', 'destroy', 1, 1, 4);
    m.refuse('-EBADF', 'destroy', 1, 2, 9);
    m.refuse('-ESRCH', 'destroy', 3, 2, 9);
  });

  it('a handle of another file is -ENOENT', () => {
    const m = new Machine(SMALL).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'open', args: { proc: 1 }, gives: '2' },
      { call: 'alloc', args: { proc: 1, fd: 2 }, gives: '1' },
    );
    m.refuse('-ENOENT', 'destroy', 1, 1, 1);
  });
});

describe('close', () => {
  it('destroys the FD\'s IOASIDs and frees the fd number', () => {
    const m = new Machine(SMALL).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 2 }, gives: '0' },
    );
    m.run({ call: 'close', args: { proc: 1, fd: 1 }, gives: '0' });
    expect(m.openFds(1)).toEqual([]);
    expect(m.state.ioasids.filter((io) => io !== null)).toEqual([{ file: 1, handle: 0, pasid: 2, blocked: true, users: 1 }]);
    expect(m.state.files[0]).toEqual({ proc: 1, fd: 0 }); // the closed file lives on while its parked ioasid does
    expect(m.freePasids()).toEqual([1, 3]);
    m.run({ call: 'open', args: { proc: 1 }, gives: '1' });
    m.refuse('-ENOENT', 'destroy', 1, 1, 2); // a new file: the old handles are not its own
  });

  it('destroys in handle order (seen in the notifier-cleanup FIFO)', () => {
    const m = new Machine(ROOMY, 'notifier-cleanup').run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' }, { call: 'open', args: { proc: 2 }, gives: '1' }, { call: 'alloc', args: { proc: 2, fd: 1 }, gives: '1' }, // process 2 takes PASID 1
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' }, // handle 1 now holds PASID 3, handle 2 PASID 2
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 2 }, gives: '0' },
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
    );
    expect(m.state.notifications).toEqual([
      { holder: 'pdev', id: 1, key: 3 },
      { holder: 'pdev', id: 1, key: 2 },
    ]);
  });

  it('-EBADF for an fd not open or out of range', () => {
    const m = new Machine(SMALL).run({ call: 'open', args: { proc: 1 }, gives: '1' });
    m.refuse('-EBADF', 'close', 1, 2);
    m.refuse('-EBADF', 'close', 1, 3);
    m.run({ call: 'close', args: { proc: 1, fd: 1 }, gives: '0' }).refuse('-EBADF', 'close', 1, 1);
  });
});

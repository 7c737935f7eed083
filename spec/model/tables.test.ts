/** DESIGN.md §3: attach and detach, a pdev's own PASID table. */
import { describe, expect, it } from 'vitest';
import { DEFAULT, Machine, SMALL, opened } from './harness';

describe('attach', () => {
  it('maps the ioasid\'s PASID in the pdev\'s table and takes a reference', () => {
    const m = opened(new Machine()).run({ call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' });
    expect(m.state.tables[0]).toEqual([{ pasid: 1, ioasid: 1, mdev: 0, allowed: true }]);
    expect(m.state.tables[1]).toEqual([]);
    expect(m.holding(1)?.users).toBe(2);
  });

  it('keeps the table sorted by PASID', () => {
    const m = new Machine(SMALL).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
    );
    m.run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 2 }, gives: '0' },
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    expect(m.state.tables[0]!.map((e) => e.pasid)).toEqual([1, 2]);
  });

  it('-EEXIST when the pdev already has an entry for the PASID', () => {
    opened(new Machine()).run({ call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' }).refuse('-EEXIST', 'attach', 1, 1, 1, 1);
  });

  it('-ENOENT before -EEXIST: a destroyed handle whose parked PASID is still in the table', () => {
    const m = opened(new Machine()).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    m.refuse('-ENOENT', 'attach', 1, 1, 1, 1);
  });

  it('-ENOENT for a handle never allocated', () => {
    new Machine(SMALL).run(
      { call: 'open', args: { proc: 1 }, gives: '1' },
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '1' },
    ).refuse('-ENOENT', 'attach', 1, 1, 1, 2);
  });

  it('-EPERM for another process\'s pdev and for a swq device', () => {
    const m = opened(opened(new Machine(DEFAULT), 1), 2);
    m.refuse('-EPERM', 'attach', 2, 1, 1, 1);
    m.refuse('-EPERM', 'attach', 1, 2, 1, 1);
  });
});

describe('detach', () => {
  it('removes the entry and drops its reference', () => {
    const m = opened(new Machine()).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'detach', args: { proc: 1, dev: 1, pasid: 1 }, gives: '0' },
    );
    expect(m.state.tables[0]).toEqual([]);
    expect(m.holding(1)).toEqual({ file: 1, handle: 1, pasid: 1, blocked: false, users: 1 });
    expect(m.freePasids()).toEqual([2]); // the FD still holds it
  });

  it('releasing the last holder of a parked PASID recycles it', () => {
    const m = opened(new Machine()).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0' },
    );
    expect(m.freePasids()).toEqual([2]);
    m.run({ call: 'detach', args: { proc: 1, dev: 1, pasid: 1 }, gives: '0' });
    expect(m.state.ioasids.filter((io) => io !== null)).toEqual([]);
    expect(m.freePasids()).toEqual([1, 2]);
  });

  it('-ENOENT when the pdev has no entry for the PASID', () => {
    const m = opened(new Machine());
    m.refuse('-ENOENT', 'detach', 1, 1, 1); // allocated but not attached
    m.refuse('-ENOENT', 'detach', 1, 1, 2);
    m.run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'detach', args: { proc: 1, dev: 1, pasid: 1 }, gives: '0' },
    ).refuse('-ENOENT', 'detach', 1, 1, 1);
  });

  it('works after the FD is closed: the entry outlives the file', () => {
    const m = opened(new Machine()).run(
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'close', args: { proc: 1, fd: 1 }, gives: '0' },
    );
    expect(m.state.tables[0]).toHaveLength(1);
    expect(m.holding(1)).toMatchObject({ handle: 0, blocked: true, users: 1 });
    m.run({ call: 'detach', args: { proc: 1, dev: 1, pasid: 1 }, gives: '0' });
    expect(m.freePasids()).toEqual([1, 2]);
    expect(m.state.files.filter((f) => f !== null)).toEqual([]); // nothing refers to the closed file any more
  });
});

/*
 * The public surface other engineers code against, and the boundary that
 * keeps the kernel an independent implementation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as kernel from '../../src/kernel';
import { errnoName, IoasidKernel } from '../../src/kernel';
import { boot, DEFAULT, LARGE } from './harness';

const SRC = join(import.meta.dirname, '../../src/kernel');

describe('src/kernel/index.ts', () => {
  it('exports exactly the agreed runtime names', () => {
    expect(Object.keys(kernel).sort()).toEqual([
      'DEFAULT_PARAMS', 'EBADF', 'EBUSY', 'EDQUOT', 'EEXIST', 'EINVAL', 'EMFILE', 'ENOENT', 'ENOSPC', 'EPERM', 'ESRCH', 'IoasidKernel', 'errnoName',
    ]);
  });

  it('uses Linux errno numbers', () => {
    const { EPERM, ENOENT, ESRCH, EBADF, EBUSY, EEXIST, EINVAL, EMFILE, ENOSPC, EDQUOT } = kernel;
    expect([EPERM, ENOENT, ESRCH, EBADF, EBUSY, EEXIST, EINVAL, EMFILE, ENOSPC, EDQUOT]).toEqual([1, 2, 3, 9, 16, 17, 22, 24, 28, 122]);
  });

  it('errnoName names negated errnos and prints anything else as a number', () => {
    expect([-1, -2, -3, -9, -16, -17, -22, -24, -28, -122].map(errnoName)).toEqual([
      '-EPERM', '-ENOENT', '-ESRCH', '-EBADF', '-EBUSY', '-EEXIST', '-EINVAL', '-EMFILE', '-ENOSPC', '-EDQUOT',
    ]);
    expect([0, 1, 2, 9, -999].map(errnoName)).toEqual(['0', '1', '2', '9', '-999']);
  });
});

describe('independence', () => {
  it('src/kernel imports nothing but its own files', () => {
    const files = readdirSync(SRC).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(join(SRC, file), 'utf8');
      const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
      for (const spec of specifiers) {
        expect(`${file}: ${spec}`).toMatch(/: \.\/[a-z]+$/);
        expect(files, `${file} imports ${spec}`).toContain(`${spec.slice(2)}.ts`);
      }
    }
  });
});

describe('IoasidKernel', () => {
  it('refuses a structurally impossible topology: a kernel bug, not an errno', () => {
    expect(() => new IoasidKernel({ ...DEFAULT, mdevs: [{ id: 1, parent: 1, owner: 1, vm: 1 }] })).toThrow(/parent is not a swq/);
    expect(() => new IoasidKernel({ ...DEFAULT, vms: [{ id: 1, owner: 1 }, { id: 1, owner: 2 }] })).toThrow(/duplicate vm/);
    expect(() => new IoasidKernel({ ...DEFAULT, devices: [{ id: 1.5, kind: 'swq' }], mdevs: [] })).toThrow(/device id/);
    expect(() => new IoasidKernel({ ...DEFAULT, quota: -1 })).toThrow(/size/);
    expect(() => new IoasidKernel(LARGE)).not.toThrow();
  });

  it('debugfs returns a fresh copy each time: writing to it changes nothing', () => {
    const k = boot(DEFAULT, 'open 1; alloc 1 1; attach 1 1 1 1');
    const first = k.debugfs();
    const second = k.debugfs();
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(second.ioasids).not.toBe(first.ioasids);
    const scribble = first as unknown as { ioasids: Array<{ users: number }>; freePasids: number[]; pdevs: Array<{ entries: unknown[] }> };
    for (const i of scribble.ioasids) i.users = 99;
    scribble.freePasids.push(1);
    for (const d of scribble.pdevs) d.entries.length = 0;
    expect(k.debugfs()).toEqual(second);
    expect(k.dma(1, 1)).toEqual({ kind: 'ok', asid: 1 });
  });

  it('debugfs is deterministic for a given history', () => {
    const history = 'open 1; alloc 1 1; open 2; alloc 2 1; attach 1 1 1 1; close 1 1; open 1; mdev_allow_pasid 1 1 1';
    expect(boot(DEFAULT, history).debugfs()).toEqual(boot(DEFAULT, history).debugfs());
    expect(JSON.stringify(boot(DEFAULT, history).debugfs())).toBe(JSON.stringify(boot(DEFAULT, history).debugfs()));
  });

  it('debugfs lists are sorted by key, whatever the order things happened in', () => {
    const k = boot(LARGE, 'open 1; open 1; alloc 1 2; alloc 1 1; attach 1 1 1 1; attach 1 1 2 1; open 2; open 2; close 1 1');
    const s = k.debugfs();
    expect(s.pdevs[0]?.entries).toEqual([{ pasid: 1, ioasid: 1 }, { pasid: 2, ioasid: 2 }]);
    expect(s.procs.map((p) => p.fds.map((f) => f.fd))).toEqual([[2], [1, 2]]);
    expect(s.files.map((f) => f.id)).toEqual([1, 2, 3, 4]);
  });

  it('DMA outcomes are fresh objects', () => {
    const k = boot(DEFAULT, 'open 1; alloc 1 1; attach 1 1 1 1');
    const out = k.dma(1, 1) as { kind: string; asid: number };
    out.asid = 2;
    expect(k.dma(1, 1)).toEqual({ kind: 'ok', asid: 1 });
  });
});

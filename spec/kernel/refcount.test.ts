/*
 * Random call sequences (fast-check) against the kernel's own bookkeeping:
 * after every call each IOASID's users equals its holders, free PASIDs have no
 * holder, files live exactly while held, and a failed ioctl changed nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IoasidKernel, type KernelTopology } from '../../src/kernel';
import { violations } from './holders';
import { commands, prefixes } from './arbitrary';
import { boot, call, DEFAULT, LARGE, parseScript, type StepName } from './harness';

function runChecked(topology: KernelTopology, cmds: ReadonlyArray<readonly [StepName, readonly number[]]>): void {
  const k = new IoasidKernel(topology);
  for (const [name, args] of cmds) {
    const before = JSON.stringify(k.debugfs());
    const result = call(k, name, args);
    const after = k.debugfs();
    const where = `${name} ${args.join(' ')} = ${result}`;
    if (result.startsWith('-') || name === 'dma') expect(JSON.stringify(after), `${where} changed state`).toBe(before);
    const bad = violations(after, topology);
    if (bad.length > 0) expect(bad, where).toEqual([]);
  }
}

describe.each([
  ['default', DEFAULT],
  ['large', LARGE],
])('refcounts on %s', (_name, topology) => {
  it('every IOASID\'s users equals its holders after random calls', () => {
    fc.assert(
      fc.property(prefixes, commands(topology), (prefix, cmds) => runChecked(topology, [...parseScript(prefix), ...cmds])),
      { numRuns: 200 },
    );
  });
});

describe('the self-check itself', () => {
  const k = boot(DEFAULT, 'open 1; alloc 1 1; attach 1 1 1 1; mdev_allow_pasid 1 1 1; mdev_attach 1 1 1 1');

  it('passes on a sound state with holders of every kind', () => {
    const s = k.debugfs();
    expect(s.ioasids).toEqual([{ id: 1, file: 1, handle: 1, pasid: 1, destroyed: false, blocked: false, users: 3 }]);
    expect(violations(s, DEFAULT)).toEqual([]);
  });

  it('catches a refcount off by one, a free PASID still held, a charge mismatch', () => {
    const s = k.debugfs();
    const [ioasid] = s.ioasids;
    const [file] = s.files;
    if (ioasid === undefined || file === undefined) throw new Error('setup');
    expect(violations({ ...s, ioasids: [{ ...ioasid, users: 2 }] }, DEFAULT)).toContain('ioasid 1: users 2, holders 3');
    expect(violations({ ...s, freePasids: [1, 2] }, DEFAULT)).toContain('pasid 1: free but still used by a table or a queued descriptor');
    expect(violations({ ...s, files: [{ ...file, charged: 0 }] }, DEFAULT)).toContain('file 1: charged 0, IOASIDs 1');
  });
});

/*
 * SVA (DESIGN.md §10) in the kernel alone: the mm's PASID, taken at the first
 * bind and kept for the mm's life; mm_count taken by each bind and dropped by
 * each unbind; exit tearing the address space down (exit_mm) before the
 * device files are released (exit_files); the PASID freed at the mm's last
 * drop, after the drain. And the 2022 bug behind sva_free_at_mmput.
 */
import { describe, expect, it } from 'vitest';
import type { KernelTopology } from '../../src/kernel';
import { boot, DEFAULT, script, table } from './harness';

/** The `sva` preset: process 1 uses SVA only; process 2 has a pdev, an mdev of swq 2 and a VM. */
const SVA: KernelTopology = {
  procs: 2, fdsPerProc: 1, quota: 1, pasids: 2, vpasids: 1, swqDepth: 1, sva: true,
  devices: [{ id: 1, kind: 'pdev', owner: 2 }, { id: 2, kind: 'swq' }, { id: 3, kind: 'swq' }],
  mdevs: [{ id: 1, parent: 2, owner: 2, vm: 1 }],
  vms: [{ id: 1, owner: 2 }],
};
const BUG = { sva_free_at_mmput: true };

table('sva_bind, sva_unbind', [
  { name: 'the mm takes the lowest free PASID once, and keeps it on every device', topology: SVA, steps: 'sva_bind 1 2 = 1; sva_bind 1 3 = 1; sva_bind 2 3 = 2' },
  { name: 'errors in order: -ESRCH, -EPERM (not a swq), -EEXIST', topology: SVA, setup: 'sva_bind 1 2',
    steps: 'sva_bind 0 2 = -ESRCH; sva_bind 3 2 = -ESRCH; sva_bind 1 1 = -EPERM; sva_bind 1 4 = -EPERM; sva_bind 1 0 = -EPERM; sva_bind 1 2 = -EEXIST' },
  { name: '-ENOSPC when the mm has no PASID and none is free', topology: SVA, setup: 'open 2; alloc 2 1; sva_bind 2 3', steps: 'sva_bind 1 2 = -ENOSPC; sva_bind 2 2 = 2' },
  { name: 'unbind: -ESRCH, -EPERM, -ENOENT', topology: SVA, setup: 'sva_bind 1 2',
    steps: 'sva_unbind 3 2 = -ESRCH; sva_unbind 1 1 = -EPERM; sva_unbind 1 3 = -ENOENT; sva_unbind 2 2 = -ENOENT; sva_unbind 1 2 = 0; sva_unbind 1 2 = -ENOENT' },
  { name: 'the PASID outlives an unbind while the process lives', topology: SVA, setup: 'sva_bind 1 2; sva_unbind 1 2', steps: 'sva_bind 2 2 = 2; sva_bind 1 3 = 1' },
  { name: 'without SVA support nothing binds, submits or is released', topology: DEFAULT,
    steps: 'sva_bind 1 2 = -EPERM; sva_unbind 1 2 = -EPERM; sva_submit 1 2 = fault; exit 1 = 0; exit_files 1 = idle' },
]);

table('sva_submit and the device', [
  { name: 'fault unless bound, then queued, retry when full; runs in the process', topology: SVA,
    steps: 'sva_submit 1 2 = fault; sva_bind 1 2 = 1; sva_submit 1 3 = fault; sva_submit 1 1 = fault; sva_submit 0 2 = fault; sva_submit 1 2 = queued; sva_submit 1 2 = retry; swq_exec 2 = ok:1; swq_exec 2 = idle' },
  { name: 'unbind drains the device of the mm\'s work', topology: SVA, setup: 'sva_bind 1 2; sva_submit 1 2', steps: 'sva_unbind 1 2 = 0; swq_exec 2 = idle' },
  { name: 'one PASID table: an mdev entry and an SVA entry never share a slot', topology: SVA,
    setup: 'sva_bind 1 2; open 2; alloc 2 1; mdev_allow_pasid 2 1 1', steps: 'mdev_attach 2 1 1 1 = 0; sva_submit 1 2 = queued; swq_exec 2 = ok:1; mdev_detach 2 1 1 = -ENOENT; sva_unbind 1 2 = 0; mdev_detach 2 1 2 = 0' },
]);

table('exit, exit_mm, exit_files', [
  { name: 'exit keeps the bonds: queued work faults in the torn-down address space', topology: SVA, setup: 'sva_bind 1 2; sva_submit 1 2',
    steps: 'exit 1 = 0; swq_exec 2 = fault; sva_bind 1 2 = -ESRCH; sva_submit 1 2 = fault' },
  { name: 'exit_files releases the bonds of an exited process, once', topology: SVA, setup: 'sva_bind 1 2; sva_bind 1 3',
    steps: 'exit_files 1 = idle; exit 1 = 0; exit_files 0 = idle; exit_files 3 = idle; exit_files 2 = idle; exit_files 1 = 0; exit_files 1 = idle' },
  { name: 'the fix: queued work is drained before the PASID is reused', topology: SVA, setup: 'sva_bind 1 2; sva_submit 1 2',
    steps: 'exit 1 = 0; sva_bind 2 2 = 2; exit_files 1 = 0; swq_exec 2 = idle; sva_unbind 2 2 = 0; sva_bind 2 3 = 2' },
  { name: 'the fix: a process bound nowhere frees its PASID at exit', topology: SVA, setup: 'sva_bind 1 2; sva_unbind 1 2',
    steps: 'exit 1 = 0; sva_bind 2 2 = 1' },
]);

table('sva_free_at_mmput: the 2022 use-after-free', [
  { name: "process 1's queued work runs in process 2's address space", topology: SVA, params: BUG, setup: 'sva_bind 1 2; sva_submit 1 2',
    steps: 'exit 1 = 0; sva_bind 2 2 = -EBUSY; exit_files 1 = 0; sva_bind 2 2 = 1; swq_exec 2 = ok:2' },
  { name: 'the freed PASID is handed out while a device still has it programmed', topology: SVA, params: BUG, setup: 'sva_bind 1 2; exit 1',
    steps: 'open 2 = 1; alloc 2 1 = 1; mdev_allow_pasid 2 1 1 = 0; mdev_attach 2 1 1 1 = -EEXIST; sva_bind 2 3 = 2; exit_files 1 = 0; mdev_attach 2 1 1 1 = 0' },
  { name: 'a process bound nowhere is as with the fix', topology: SVA, params: BUG, setup: 'sva_bind 1 3; sva_unbind 1 3', steps: 'exit 1 = 0; sva_bind 2 2 = 1; exit_files 1 = idle' },
]);

describe('the mm in debugfs', () => {
  const mm = (k: ReturnType<typeof boot>, proc: number) => k.debugfs().sva!.mms[proc - 1];

  it('is shown only on topologies with SVA', () => {
    expect(boot(DEFAULT).debugfs().sva).toBeUndefined();
    expect(boot(SVA).debugfs().sva).toEqual({
      mms: [{ proc: 1, pasid: null, users: 1, addressSpaceUsers: 1 }, { proc: 2, pasid: null, users: 1, addressSpaceUsers: 1 }],
      entries: [],
      bonds: [],
    });
  });

  it('two binds of one mm on two devices: one PASID, mm_count 1 + 2, entries and bonds on both', () => {
    const k = boot(SVA, 'sva_bind 1 2; sva_bind 1 3');
    const s = k.debugfs();
    expect(s.sva).toEqual({
      mms: [{ proc: 1, pasid: 1, users: 3, addressSpaceUsers: 1 }, { proc: 2, pasid: null, users: 1, addressSpaceUsers: 1 }],
      entries: [{ dev: 2, pasid: 1, proc: 1 }, { dev: 3, pasid: 1, proc: 1 }],
      bonds: [{ proc: 1, dev: 2, pasid: 1 }, { proc: 1, dev: 3, pasid: 1 }],
    });
    expect(s.freePasids).toEqual([2]);
    expect(s.swqs.map((d) => d.entries)).toEqual([[], []]); // SVA entries are not mdev entries
    script(k, 'sva_unbind 1 3');
    expect(mm(k, 1)).toEqual({ proc: 1, pasid: 1, users: 2, addressSpaceUsers: 1 });
    expect(k.debugfs().freePasids).toEqual([2]);
  });

  it('exit with binds and queued work: exit_mm drops mm_users, the bonds hold the mm and its PASID until exit_files', () => {
    const k = boot(SVA, 'sva_bind 1 2; sva_bind 1 3; sva_submit 1 2; sva_submit 1 3');
    script(k, 'exit 1');
    expect(mm(k, 1)).toEqual({ proc: 1, pasid: 1, users: 2, addressSpaceUsers: 0 });
    expect(k.debugfs().freePasids).toEqual([2]);
    expect(k.debugfs().swqs.map((d) => d.queue)).toEqual([[{ issuer: 1, pasid: 1 }], [{ issuer: 1, pasid: 1 }]]);
    script(k, 'exit_files 1');
    const s = k.debugfs();
    expect(s.sva).toEqual({ mms: [{ proc: 1, pasid: null, users: 0, addressSpaceUsers: 0 }, mm(k, 2)], entries: [], bonds: [] });
    expect(s.freePasids).toEqual([1, 2]);
    expect(s.swqs.map((d) => d.queue)).toEqual([[], []]);
  });

  it('with sva_free_at_mmput, exit_mm frees the PASID while the entries and the queued work keep it', () => {
    const k = boot(SVA, 'sva_bind 1 2; sva_submit 1 2', BUG);
    script(k, 'exit 1');
    const s = k.debugfs();
    expect(s.freePasids).toEqual([1, 2]);
    expect(s.sva!.mms[0]).toEqual({ proc: 1, pasid: null, users: 1, addressSpaceUsers: 0 });
    expect(s.sva!.entries).toEqual([{ dev: 2, pasid: 1, proc: 1 }]);
    expect(s.swqs[0]!.queue).toEqual([{ issuer: 1, pasid: 1 }]);
    script(k, 'exit_files 1');
    expect(k.debugfs().swqs[0]!.queue).toEqual([{ issuer: 1, pasid: 1 }]); // the unbind drained nothing
    expect(k.debugfs().sva!.mms[0]).toEqual({ proc: 1, pasid: null, users: 0, addressSpaceUsers: 0 });
  });

  it('a bind refused with -EBUSY leaves the mm without a PASID and the pool as it was', () => {
    const k = boot(SVA, 'sva_bind 1 2; exit 1', BUG);
    const before = k.debugfs();
    expect(script(k, 'sva_bind 2 2')).toEqual(['-EBUSY']);
    expect(k.debugfs()).toEqual(before);
  });
});

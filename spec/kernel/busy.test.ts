/**
 * The destroy_busy module parameter (src/kernel/params.ts): iommufd's
 * IOMMU_DESTROY -EBUSY, and close that keeps in-use IOASIDs alive until their
 * last other user lets go. Directed multi-object cases beside the lockstep
 * runs of spec/mbt.
 */
import { describe, expect, it } from 'vitest';
import { EBADF, EBUSY, ENOENT, IoasidKernel, type KernelTopology } from '../../src/kernel/index';

/** default's topology with room for two IOASIDs per file and three PASIDs. */
const PRESET_TOPOLOGY: KernelTopology = {
  procs: 2, fdsPerProc: 1, quota: 2, pasids: 3, vpasids: 1, swqDepth: 1,
  devices: [{ id: 1, kind: 'pdev', owner: 1 }, { id: 2, kind: 'swq' }],
  mdevs: [{ id: 1, parent: 2, owner: 1, vm: 1 }, { id: 2, parent: 2, owner: 2, vm: 2 }],
  vms: [{ id: 1, owner: 1 }, { id: 2, owner: 2 }],
};

const boot = (destroy_busy: boolean) => new IoasidKernel(PRESET_TOPOLOGY, { destroy_busy });

describe('destroy_busy', () => {
  it('IOMMU_DESTROY of an attached IOASID fails -EBUSY and changes nothing; the default parks it', () => {
    for (const busy of [true, false]) {
      const k = boot(busy);
      expect(k.open(1)).toBe(1);
      expect(k.alloc(1, 1)).toBe(1);
      expect(k.attach(1, 1, 1, 1)).toBe(0);
      const before = k.debugfs();
      expect(k.destroy(1, 1, 1)).toBe(busy ? -EBUSY : 0);
      if (busy) expect(k.debugfs()).toEqual(before);
      else expect(k.debugfs().ioasids[0]).toMatchObject({ destroyed: true, blocked: true });
    }
  });

  it('errors of the common checks and -ENOENT come before -EBUSY', () => {
    const k = boot(true);
    k.open(1);
    k.alloc(1, 1);
    k.attach(1, 1, 1, 1);
    expect(k.destroy(1, 2, 1)).toBe(-EBADF);
    expect(k.destroy(1, 1, 2)).toBe(-ENOENT);
  });

  it('close keeps the attached IOASID live and translating; the detach that lets go last recycles its PASID', () => {
    const k = boot(true);
    k.open(1);
    k.alloc(1, 1);
    k.alloc(1, 1); // quota 2 in this topology: handle 2, PASID 2, unattached
    k.attach(1, 1, 1, 1);
    expect(k.close(1, 1)).toBe(0);
    const s = k.debugfs();
    expect(s.ioasids.map((x) => ({ pasid: x.pasid, handle: x.handle, destroyed: x.destroyed, users: x.users }))).toEqual([
      { pasid: 1, handle: 1, destroyed: false, users: 2 },
    ]);
    expect(k.dma(1, 1)).toEqual({ kind: 'ok', asid: 1 });
    expect(k.detach(1, 1, 1)).toBe(0);
    expect(k.debugfs().ioasids).toEqual([]);
    expect(k.debugfs().freePasids).toEqual([1, 2, 3]);
  });

  it('exit with entries on a pdev, an mdev and a VM releases everything', () => {
    const k = boot(true);
    k.open(1);
    k.alloc(1, 1);
    k.alloc(1, 1);
    k.attach(1, 1, 1, 1);
    k.mdevAllowPasid(1, 1, 1);
    k.mdevAttach(1, 1, 1, 2);
    k.kvmSetIoasidFd(1, 1, 1);
    k.kvmEnableEnqcmd(1, 1);
    k.kvmMapPasid(1, 1, 1, 2);
    expect(k.enqcmd(1, 1, 1)).toBe('queued');
    expect(k.exit(1)).toBe(0);
    const s = k.debugfs();
    expect(s.ioasids).toEqual([]);
    expect(s.freePasids).toEqual([1, 2, 3]);
  });
});

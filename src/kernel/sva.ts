/*
 * Shared virtual addressing: a process binds its own mm to a swq device, and
 * the device tags the process's work with the mm's PASID, which comes from the
 * same global PASID space as the IOASIDs'. As drivers/iommu/iommu-sva.c:
 * iommu_sva_bind_device() gives the mm a PASID at its first bind (and the mm
 * keeps it for life), attaches the mm at that PASID in the device's one PASID
 * table (iommu_attach_device_pasid(): -EBUSY when the slot is taken) and
 * grabs the mm_struct (mmgrab in iommu_sva_domain_alloc()); unbind undoes it.
 *
 * A bond is what the device driver holds for an open file of the device
 * (idxd's ctx->sva): the process's files own its bonds, so exit_files()
 * releases them, after exit_mm() tore the address space down. Before the
 * unbind the driver drains the device of work tagged with the mm's PASID
 * (idxd_cdev_release() -> idxd_device_drain_pasid()).
 */
import { EBUSY, EEXIST, ENOENT } from './errno';
import type { SvaBond, Swq } from './types';
import { IOMMU_PASID_INVALID, mm_valid_pasid, mmdrop, mmgrab, type MmCore, type MmStruct } from './mm';
import { pasid_alloc, pasid_free } from './pasid';
import { swq_queue_drain, swq_queue_full, swq_queue_push } from './queue';
import { xa_erase, xa_for_each, xa_insert, xa_load, xa_size, type Xarray } from './xarray';
import { WARN_ON } from './object';

export type { SvaBond } from './types';

/** A process's bonds, by device id: one per device (a second bind is -EEXIST). */
export type SvaBonds = Xarray<SvaBond>;

/** The bond of `bonds` on `swq`, if any. */
export function sva_bond_find(bonds: SvaBonds, swq: Swq): SvaBond | undefined {
  return xa_load(bonds, swq.id);
}

/** The mm's PASID as a result (>= 1), or -EEXIST, -ENOSPC, -EBUSY; a failed bind changes nothing. */
export function iommu_sva_bind_device(core: MmCore, swq: Swq, mm: MmStruct, bonds: SvaBonds): number {
  if (sva_bond_find(bonds, swq) !== undefined) return -EEXIST;
  // Allocate mm->pasid if necessary (iommu_alloc_mm_data()).
  const fresh = !mm_valid_pasid(mm);
  const pasid = fresh ? pasid_alloc(core.pasids) : mm.pasid;
  if (pasid < 0) return pasid;
  const bond: SvaBond = { dev: swq, mm, pasid };
  if (xa_insert(swq.table, pasid, { kind: 'sva', bond }) < 0) {
    // The slot routes elsewhere (an mdev entry, another mm). The mm takes no
    // PASID from a bind that failed (upstream keeps it; see DESIGN.md §10).
    if (fresh) pasid_free(core.pasids, pasid);
    return -EBUSY;
  }
  if (fresh) mm.pasid = pasid; // the mm keeps it for life: only __mmdrop() frees it
  mmgrab(mm); // +1 mm_count: the bond holds the mm_struct, not its address space
  xa_insert(bonds, swq.id, bond);
  return pasid;
}

/** file->release() of the device: drain, detach, let go of the mm. */
export function iommu_sva_unbind_device(core: MmCore, bonds: SvaBonds, bond: SvaBond): void {
  const { dev, mm } = bond;
  WARN_ON(xa_load(dev.table, bond.pasid)?.kind !== 'sva', `bond of proc ${mm.owner} missing from device ${dev.id}`);
  // The drain is of the PASID the mm holds now (iommu_sva_get_pasid()): after
  // the 2022 __mmput() drop that is none, and the queued work stays.
  if (mm_valid_pasid(mm)) swq_queue_drain(dev.queue, mm.pasid);
  xa_erase(dev.table, bond.pasid);
  xa_erase(bonds, dev.id);
  mmdrop(core, mm); // -1 mm_count: the bond let go of the mm; the last one frees its PASID
}

/** exit_files(): every bond of an exited process goes, in device order. False if it had none. */
export function sva_release_all(core: MmCore, bonds: SvaBonds): boolean {
  if (xa_size(bonds) === 0) return false;
  for (const [, bond] of xa_for_each(bonds)) iommu_sva_unbind_device(core, bonds, bond);
  return true;
}

/**
 * The process runs ENQCMD on `swq`'s portal (mapped from its open file of the
 * device, so only a bound process has one): the CPU writes the mm's PASID
 * (the IA32_PASID MSR) into the descriptor, which holds no reference.
 */
export function sva_enqcmd(swq: Swq, bonds: SvaBonds, issuer: number): 'queued' | 'retry' | 'fault' {
  const bond = sva_bond_find(bonds, swq);
  if (bond === undefined) return 'fault';
  WARN_ON(bond.mm.pasid === IOMMU_PASID_INVALID || bond.mm.pasid !== bond.pasid, `live proc ${issuer} bound at ${bond.pasid} with mm PASID ${bond.mm.pasid}`);
  if (swq_queue_full(swq.queue)) return 'retry';
  swq_queue_push(swq.queue, { issuer, pasid: bond.mm.pasid });
  return 'queued';
}

/*
 * Devices and their PASID tables. "The driver just needs to hold the
 * datastructure in its memory. Like an xarray, the driver can have an xarray
 * inside its struct device."
 *
 * A pdev is assigned whole to one process, which programs it: it may emit any
 * PASID, and the IOMMU translates through the pdev's own table. A swq device
 * (the IDXD parent) is the host's: its table is filled through the mdevs cut
 * from it, and its queue holds the descriptors guests submitted with ENQCMD,
 * translated only when the device runs them.
 */
import { EEXIST, ENOENT } from './errno';
import { ioasid_get, ioasid_put, type Ioasid, type IoasidCore } from './ioasid';
import { mm_address_space_alive } from './mm';
import type { Swq, SwqEntry } from './types';
import { swq_queue_pop, type SwqQueue } from './queue';
import { xa_erase, xa_for_each, xa_init, xa_insert, xa_load, type Xarray } from './xarray';

/** Where a DMA landed: `asid` is the process owning the IOASID reached. */
export type DmaOutcome = { kind: 'ok'; asid: number } | { kind: 'blocked' } | { kind: 'fault' };

export interface Pdev {
  readonly id: number;
  readonly owner: number;
  /** pasid -> ioasid; each entry holds a reference. */
  readonly table: Xarray<Ioasid>;
}

export type { Swq, SwqEntry, SwqIoasidEntry, SwqSvaEntry } from './types';

export function pdev_init(id: number, owner: number): Pdev {
  return { id, owner, table: xa_init<Ioasid>() };
}

export function swq_init(id: number, queue: SwqQueue, sva: boolean): Swq {
  return { id, table: xa_init<SwqEntry>(), queue, sva };
}

/** The IOMMU's walk for one table entry: a destroyed IOASID is blocked, not gone. */
function translate(ioasid: Ioasid | undefined): DmaOutcome {
  if (ioasid === undefined) return { kind: 'fault' };
  if (ioasid.blocked) return { kind: 'blocked' };
  return { kind: 'ok', asid: ioasid.file.proc };
}

/** A swq's walk: an SVA entry reaches its process's address space, or faults once exit_mmap emptied it. */
function swq_translate(entry: SwqEntry | undefined): DmaOutcome {
  if (entry?.kind !== 'sva') return translate(entry?.ioasid);
  const mm = entry.bond.mm;
  return mm_address_space_alive(mm) ? { kind: 'ok', asid: mm.owner } : { kind: 'fault' };
}

export function pdev_attach(pdev: Pdev, ioasid: Ioasid): number {
  if (xa_insert(pdev.table, ioasid.pasid, ioasid) < 0) return -EEXIST;
  ioasid_get(ioasid); // +1 users: the pdev table entry holds the ioasid
  return 0;
}

/** `pasid` is 0 for garbage or out of range, which no table holds. */
export function pdev_detach(core: IoasidCore, pdev: Pdev, pasid: number): number {
  const ioasid = xa_erase(pdev.table, pasid);
  if (ioasid === undefined) return -ENOENT;
  ioasid_put(core, ioasid); // -1 users: the pdev table entry let go of the ioasid
  return 0;
}

/** The owner's process exits: every entry goes, in PASID order. */
export function pdev_release(core: IoasidCore, pdev: Pdev): void {
  for (const [pasid] of xa_for_each(pdev.table)) pdev_detach(core, pdev, pasid);
}

export function pdev_dma(pdev: Pdev, pasid: number): DmaOutcome {
  return translate(xa_load(pdev.table, pasid));
}

/**
 * The device runs its oldest descriptor. The PASID is looked up now, not at
 * submission: whatever the parent's table says at this moment is where it lands.
 */
export function swq_exec(swq: Swq): DmaOutcome | { kind: 'idle' } {
  const desc = swq_queue_pop(swq.queue);
  if (desc === undefined) return { kind: 'idle' };
  return swq_translate(xa_load(swq.table, desc.pasid));
}

/*
 * The global hardware PASID space 1..max; PASID 0 is reserved (RID_PASID, DMA
 * without a PASID). Lowest free first. The in-use bitmap is the allocator's
 * own bookkeeping, not derived from the IOASIDs, so debugfs shows what the
 * allocator believes and a leak or a double allocation is visible.
 */
import { ENOSPC } from './errno';
import { WARN_ON } from './object';

export interface PasidAllocator {
  readonly max: number;
  /** in_use[pasid]; index 0 stays true: the reserved PASID is never handed out. */
  readonly in_use: boolean[];
}

export function pasid_allocator_init(max: number): PasidAllocator {
  return { max, in_use: Array.from({ length: max + 1 }, (_, pasid) => pasid === 0) };
}

/** The lowest free PASID, now in use, or -ENOSPC. */
export function pasid_alloc(pa: PasidAllocator): number {
  for (let pasid = 1; pasid <= pa.max; pasid++) {
    if (!pa.in_use[pasid]) {
      pa.in_use[pasid] = true;
      return pasid;
    }
  }
  return -ENOSPC;
}

/** Only a recycle at zero users calls this (an IOASID's, an mm's), or a bind undoing its own allocation. */
export function pasid_free(pa: PasidAllocator, pasid: number): void {
  WARN_ON(pasid < 1 || pasid > pa.max || pa.in_use[pasid] !== true, `free of PASID ${pasid} not in use`);
  pa.in_use[pasid] = false;
}

export function pasid_free_list(pa: PasidAllocator): number[] {
  const free: number[] = [];
  for (let pasid = 1; pasid <= pa.max; pasid++) if (!pa.in_use[pasid]) free.push(pasid);
  return free;
}

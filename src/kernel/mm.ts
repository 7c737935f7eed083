/*
 * A process's mm_struct, as far as SVA sees it: two reference counts and the
 * PASID it keeps for life (Linux 5.18+, mm->pasid; since 6.8 mm->iommu_mm).
 *
 *   mm_users  (mmget/mmput): users of the address space. The process holds
 *             the one reference here; exit_mm() drops it, and __mmput() tears
 *             the address space down (exit_mmap): a device still bound then
 *             walks empty page tables and faults.
 *   mm_count  (mmgrab/mmdrop): users of the mm_struct itself. All mm_users
 *             together count as one; each SVA binding grabs one more
 *             (iommu_sva_domain_alloc() does mmgrab(mm)). The drop to zero is
 *             __mmdrop(), which frees the PASID (mm_pasid_drop()).
 *
 * Why the PASID belongs to mm_count and not to mm_users is the 2022 bug (the
 * sva_free_at_mmput parameter): the devices release their bindings at
 * file->release() time, in exit_files(), after exit_mm(); until then the
 * PASID is still programmed in them and tags work in their queues.
 */
import { WARN_ON } from './object';
import { pasid_free, type PasidAllocator } from './pasid';
import { swq_queue_drain, type SwqQueue } from './queue';

/** mm->pasid of an mm that has none (IOMMU_PASID_INVALID). */
export const IOMMU_PASID_INVALID = -1;

export interface MmStruct {
  /** The process whose address space this is. */
  readonly owner: number;
  mm_users: number;
  mm_count: number;
  /** The PASID taken at the first bind and kept for the mm's life, or IOMMU_PASID_INVALID. */
  pasid: number;
}

/** What tearing an mm down needs from the IOASID core: the allocator and every queue to drain. */
export interface MmCore {
  readonly pasids: PasidAllocator;
  readonly queues: readonly SwqQueue[];
  /** the sva_free_at_mmput module parameter (params.ts) */
  readonly sva_free_at_mmput: boolean;
}

/** A new process's mm: its one address-space user, counted once in mm_count. */
export function mm_alloc(owner: number): MmStruct {
  return { owner, mm_users: 1, mm_count: 1, pasid: IOMMU_PASID_INVALID };
}

export function mm_valid_pasid(mm: MmStruct): boolean {
  return mm.pasid !== IOMMU_PASID_INVALID;
}

/** Whether a device walking this mm's page tables finds an address space (exit_mmap not run yet). */
export function mm_address_space_alive(mm: MmStruct): boolean {
  return mm.mm_users > 0;
}

export function mmgrab(mm: MmStruct): void {
  WARN_ON(mm.mm_count <= 0, `mmgrab of freed mm of proc ${mm.owner}`);
  mm.mm_count++;
}

export function mmdrop(core: MmCore, mm: MmStruct): void {
  WARN_ON(mm.mm_count <= 0, `mmdrop of freed mm of proc ${mm.owner}`);
  if (--mm.mm_count === 0) __mmdrop(core, mm);
}

/** The mm_struct itself is freed: the fix frees the PASID here, once nothing can still use it. */
function __mmdrop(core: MmCore, mm: MmStruct): void {
  WARN_ON(mm.mm_users !== 0, `__mmdrop of mm of proc ${mm.owner} with ${mm.mm_users} users`);
  // Every binding has let go, each after draining its device; what is left
  // tagged with the PASID anywhere must not reach the PASID's next owner.
  if (mm_valid_pasid(mm)) for (const q of core.queues) swq_queue_drain(q, mm.pasid);
  mm_pasid_drop(core, mm);
}

/** exit_mm(): the process lets go of its address space. */
export function mmput(core: MmCore, mm: MmStruct): void {
  WARN_ON(mm.mm_users <= 0, `mmput of torn-down mm of proc ${mm.owner}`);
  if (--mm.mm_users === 0) __mmput(core, mm);
}

/** The address space is torn down (exit_mmap); the mm_struct lives on while bindings hold it. */
function __mmput(core: MmCore, mm: MmStruct): void {
  // The 2022 bug: the PASID went with the address space, undrained, while the
  // bound devices still had it programmed; exit_files() had not run yet.
  if (core.sva_free_at_mmput) mm_pasid_drop(core, mm);
  mmdrop(core, mm); // -1 mm_count: the last mm_users reference let go of the mm
}

/** Back to the allocator; from now on the mm has no PASID to drain or to unbind. */
function mm_pasid_drop(core: MmCore, mm: MmStruct): void {
  if (!mm_valid_pasid(mm)) return;
  pasid_free(core.pasids, mm.pasid);
  mm.pasid = IOMMU_PASID_INVALID;
}

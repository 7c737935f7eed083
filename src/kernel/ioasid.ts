/*
 * IOASID objects: "The ioasid should be a reference counted object."
 *
 * An IOASID holds one hardware PASID from birth until recycle. Its users are
 * its file's handle table while live (not destroyed), every pdev or swq-parent
 * PASID-table entry pointing at it and every KVM ENQCMD-table entry pointing at
 * it. Queued descriptors hold none: they are raw PASIDs in hardware.
 *
 * Lifecycle: live -> destroyed (DMA blocked, PASID parked, still charged to
 * its file) -> recycled at zero users (PASID drained from every swq queue,
 * uncharged, freed). Destroy and close only drop the file's reference, so a
 * PASID is never reused while anything can still emit it.
 */
import { EBUSY, EDQUOT } from './errno';
import { file_charge, file_quota_full, file_uncharge } from './file';
import { obj_alloc, obj_get, obj_put, WARN_ON, type ObjectTable } from './object';
import { pasid_alloc, pasid_free, type PasidAllocator } from './pasid';
import { swq_queue_drain, type SwqQueue } from './queue';
import type { Ioasid, IoasidFile } from './types';
import { xa_erase, xa_find_free, xa_insert, xa_load } from './xarray';

export type { Ioasid };

/** The state the IOASID core shares with everything that holds an IOASID. */
export interface IoasidCore {
  readonly pasids: PasidAllocator;
  readonly files: ObjectTable<IoasidFile>;
  readonly ioasids: ObjectTable<Ioasid>;
  /** Every swq's descriptor queue: a PASID is drained from all before recycle. */
  readonly queues: readonly SwqQueue[];
  /** the destroy_busy module parameter (params.ts) */
  readonly destroy_busy: boolean;
  /** the sva_free_at_mmput module parameter (params.ts); mm.ts reads it */
  readonly sva_free_at_mmput: boolean;
}

/** A new IOASID in `file`: its handle, or -EDQUOT, -ENOSPC. */
export function ioasid_alloc(core: IoasidCore, file: IoasidFile): number {
  if (file_quota_full(file)) return -EDQUOT;
  const pasid = pasid_alloc(core.pasids);
  if (pasid < 0) return pasid;
  // Handles never outnumber charges, so a quota with room has a free handle.
  const handle = xa_find_free(file.handles, 1, file.quota);
  WARN_ON(handle === 0, `file ${file.id} has quota but no free handle`);
  // +1 users: the file's handle table holds the new ioasid
  const ioasid = obj_alloc(core.ioasids, (id) => ({ id, users: 1, file, handle, pasid, destroyed: false, blocked: false }));
  xa_insert(file.handles, handle, ioasid);
  file_charge(file);
  return handle;
}

/** The live IOASID behind `handle` (0 for garbage) in `file`, if any. */
export function ioasid_find(file: IoasidFile, handle: number): Ioasid | undefined {
  return xa_load(file.handles, handle);
}

export function ioasid_get(ioasid: Ioasid): void {
  obj_get(ioasid);
}

export function ioasid_put(core: IoasidCore, ioasid: Ioasid): void {
  if (obj_put(core.ioasids, ioasid)) {
    ioasid_recycle(core, ioasid);
    return;
  }
  // destroy_busy: an IOASID whose file was closed while it was in use is
  // destroyed when only its handle table still holds it.
  if (core.destroy_busy && ioasid.users === 1 && !ioasid.destroyed && ioasid.file.fd === null) ioasid_destroy(core, ioasid);
}

/** IOMMU_DESTROY: 0, or -EBUSY when destroy_busy is set and anything but the handle table holds it. */
export function ioasid_destroy_user(core: IoasidCore, ioasid: Ioasid): number {
  if (core.destroy_busy && ioasid.users > 1) return -EBUSY;
  ioasid_destroy(core, ioasid);
  return 0;
}

/**
 * "When the FD is closed, or the ioasid is destroyed it just blocks DMA and
 * parks the PASID until *all* places release it."
 */
export function ioasid_destroy(core: IoasidCore, ioasid: Ioasid): void {
  const handle = ioasid.handle;
  WARN_ON(ioasid.destroyed || handle === null, `destroy of destroyed ioasid ${ioasid.id}`);
  // Block before letting go, so no entry translates to a destroyed IOASID.
  ioasid.blocked = true;
  ioasid.destroyed = true;
  if (handle !== null) xa_erase(ioasid.file.handles, handle);
  ioasid.handle = null;
  ioasid_put(core, ioasid); // -1 users: the file's handle table lets go of the ioasid
}

/** "Upon a zero refcount the PASID is recycled for future use." */
function ioasid_recycle(core: IoasidCore, ioasid: Ioasid): void {
  // A live IOASID is held by its handle table, so only a destroyed one reaches zero.
  WARN_ON(!ioasid.destroyed, `live ioasid ${ioasid.id} reached zero users`);
  // Descriptors still queued carry this PASID raw; the next owner must not see them.
  for (const q of core.queues) swq_queue_drain(q, ioasid.pasid);
  file_uncharge(core.files, ioasid.file);
  pasid_free(core.pasids, ioasid.pasid);
}

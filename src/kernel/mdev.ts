/*
 * An mdev: a slice of a swq device, given by its owner to one of its VMs.
 * Authorization #1: "The mdev needs to be told it is allowed to use PASID,
 * this tells the IOMMU driver to connect the pci device under the mdev". The
 * allowance names a file; entries made through the mdev go into the parent's
 * table and stay valid after that file closes, holding their references.
 */
import { EBUSY, EEXIST, ENOENT, EPERM } from './errno';
import { file_get, file_put, type IoasidFile } from './file';
import { ioasid_find, ioasid_get, ioasid_put, type IoasidCore } from './ioasid';
import { swq_queue_drain } from './queue';
import { xa_erase, xa_for_each, xa_insert, xa_load } from './xarray';
import type { Swq } from './device';

export interface Mdev {
  readonly id: number;
  readonly parent: Swq;
  readonly owner: number;
  /** The VM whose guest submits through this mdev's portal. */
  readonly vm: number;
  /** The file PASID use is allowed for; may be closed since. Holds a file reference. */
  allowed: IoasidFile | null;
}

export function mdev_init(id: number, parent: Swq, owner: number, vm: number): Mdev {
  return { id, parent, owner, vm, allowed: null };
}

export function mdev_allow_pasid(core: IoasidCore, mdev: Mdev, file: IoasidFile): number {
  const old = mdev.allowed;
  if (old === file) return 0;
  // A closed file can no longer attach anything, so a new file may take over.
  if (old !== null && old.fd !== null) return -EBUSY;
  file_get(file); // +1 users: the mdev remembers the file it was allowed for
  mdev.allowed = file;
  if (old !== null) file_put(core.files, old); // -1 users: the mdev forgets the closed file
  return 0;
}

/** `handle` is 0 for garbage or out of range. */
export function mdev_attach(mdev: Mdev, file: IoasidFile, handle: number): number {
  if (mdev.allowed !== file) return -EPERM;
  const ioasid = ioasid_find(file, handle);
  if (ioasid === undefined) return -ENOENT;
  // One parent table for all its mdevs and SVA bindings: a PASID routes to one place only.
  if (xa_insert(mdev.parent.table, ioasid.pasid, { kind: 'ioasid', ioasid, mdev: mdev.id }) < 0) return -EEXIST;
  ioasid_get(ioasid); // +1 users: the parent's table entry holds the ioasid
  return 0;
}

/** `pasid` is 0 for garbage or out of range. */
export function mdev_detach(core: IoasidCore, mdev: Mdev, pasid: number): number {
  const entry = xa_load(mdev.parent.table, pasid);
  if (entry?.kind !== 'ioasid' || entry.mdev !== mdev.id) return -ENOENT;
  // Work already queued under this PASID must not outlive the route it was sent on.
  swq_queue_drain(mdev.parent.queue, pasid);
  xa_erase(mdev.parent.table, pasid);
  ioasid_put(core, entry.ioasid); // -1 users: the parent's table entry let go of the ioasid
  return 0;
}

/** The owner's process exits: entries made through the mdev go, then its allowance. */
export function mdev_release(core: IoasidCore, mdev: Mdev): void {
  for (const [pasid, entry] of xa_for_each(mdev.parent.table)) {
    if (entry.kind === 'ioasid' && entry.mdev === mdev.id) mdev_detach(core, mdev, pasid);
  }
  const old = mdev.allowed;
  mdev.allowed = null;
  if (old !== null) file_put(core.files, old); // -1 users: the mdev's allowance is cleared
}

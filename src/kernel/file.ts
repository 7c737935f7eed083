/*
 * An open /dev/ioasid: one file is one ioasid_set, with a quota of PASIDs that
 * may be charged to it at once (live + parked) and a handle table 1..quota.
 *
 * A file is an object, not an fd number. Its users are: the fd table slot
 * while open, every IOASID charged to it (until recycled), every mdev allowed
 * PASID use for it and every VM it was presented to. So a closed file lives on
 * while any of them remains, its parked IOASIDs still charged to it, and a new
 * file that reuses the fd number is a different file.
 */
import type { Ioasid, IoasidFile } from './types';
import { obj_alloc, obj_get, obj_put, WARN_ON, type ObjectTable } from './object';
import { xa_init, xa_size } from './xarray';

export type { IoasidFile };

export function file_alloc(files: ObjectTable<IoasidFile>, proc: number, fd: number, quota: number): IoasidFile {
  // +1 users: the fd table slot holds the new file
  return obj_alloc(files, (id) => ({ id, users: 1, proc, fd, quota, charged: 0, handles: xa_init<Ioasid>() }));
}

export function file_get(file: IoasidFile): void {
  obj_get(file);
}

export function file_put(files: ObjectTable<IoasidFile>, file: IoasidFile): void {
  if (!obj_put(files, file)) return;
  // Nothing to free: every IOASID pins its file, so none can be left behind.
  WARN_ON(file.fd !== null || file.charged !== 0 || xa_size(file.handles) !== 0, `file ${file.id} released in use`);
}

export function file_quota_full(file: IoasidFile): boolean {
  return file.charged >= file.quota;
}

/** A new IOASID takes one unit of the quota and pins the file until it is recycled. */
export function file_charge(file: IoasidFile): void {
  WARN_ON(file_quota_full(file), `file ${file.id} charged over quota`);
  file.charged++;
  file_get(file); // +1 users: the charged IOASID pins its file until recycled
}

export function file_uncharge(files: ObjectTable<IoasidFile>, file: IoasidFile): void {
  WARN_ON(file.charged <= 0, `file ${file.id} uncharged below zero`);
  file.charged--;
  file_put(files, file); // -1 users: the recycled IOASID lets go of its file
}

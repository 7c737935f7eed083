/*
 * A VM and its ENQCMD PASID translation table: the CPU rewrites the guest's
 * vPASID into a host PASID in every descriptor ENQCMD sends. Authorization #2:
 * "KVM only adds to the table when userspace presents a /dev/ioasid FD", and
 * the table is "*left disabled* by KVM - even if someone else is using PASID in
 * the same process" until userspace enables it. No other subsystem fills it.
 */
import { EBADF, EBUSY, EEXIST, EINVAL, ENOENT } from './errno';
import { file_get, file_put, type IoasidFile } from './file';
import { ioasid_find, ioasid_get, ioasid_put, type Ioasid, type IoasidCore } from './ioasid';
import { swq_queue_full, swq_queue_push } from './queue';
import { xa_erase, xa_for_each, xa_init, xa_insert, xa_load, type Xarray } from './xarray';
import type { Mdev } from './mdev';

export interface KvmEntry {
  /** Holds a reference, so the PASID stays parked while the entry exists. */
  readonly ioasid: Ioasid;
  /** What the CPU writes into descriptors. */
  readonly pasid: number;
}

export interface Kvm {
  readonly id: number;
  readonly owner: number;
  /** False once destroyed: a VM is gone for good. */
  alive: boolean;
  /** The file presented by userspace; may be closed since. Holds a file reference. */
  file: IoasidFile | null;
  enqcmd_enabled: boolean;
  /** vpasid -> entry. */
  readonly table: Xarray<KvmEntry>;
}

export function kvm_init(id: number, owner: number): Kvm {
  return { id, owner, alive: true, file: null, enqcmd_enabled: false, table: xa_init<KvmEntry>() };
}

export function kvm_set_ioasid_fd(core: IoasidCore, kvm: Kvm, file: IoasidFile): number {
  const old = kvm.file;
  if (old === file) return 0;
  // A closed file can map nothing more, so a new one may take its place.
  if (old !== null && old.fd !== null) return -EBUSY;
  file_get(file); // +1 users: KVM remembers the file, not its number
  kvm.file = file;
  if (old !== null) file_put(core.files, old); // -1 users: KVM forgets the closed file
  return 0;
}

export function kvm_enable_enqcmd(kvm: Kvm): number {
  if (kvm.file === null) return -EINVAL;
  kvm.enqcmd_enabled = true;
  return 0;
}

/** `vpasid` and `handle` are 0 for garbage or out of range. */
export function kvm_map_pasid(kvm: Kvm, vpasid: number, handle: number): number {
  const file = kvm.file;
  if (!kvm.enqcmd_enabled || file === null) return -EINVAL;
  if (file.fd === null) return -EBADF;
  if (vpasid === 0) return -ENOENT;
  // Only the presented file's IOASIDs: another file of the same process is not authorized.
  const ioasid = ioasid_find(file, handle);
  if (ioasid === undefined) return -ENOENT;
  if (xa_insert(kvm.table, vpasid, { ioasid, pasid: ioasid.pasid }) < 0) return -EEXIST;
  ioasid_get(ioasid); // +1 users: the ENQCMD table entry holds the ioasid
  return 0;
}

/** `vpasid` is 0 for garbage or out of range. */
export function kvm_unmap_pasid(core: IoasidCore, kvm: Kvm, vpasid: number): number {
  const entry = xa_erase(kvm.table, vpasid);
  if (entry === undefined) return -ENOENT;
  ioasid_put(core, entry.ioasid); // -1 users: the ENQCMD table entry let go of the ioasid
  return 0;
}

export function kvm_destroy(core: IoasidCore, kvm: Kvm): void {
  for (const [vpasid] of xa_for_each(kvm.table)) kvm_unmap_pasid(core, kvm, vpasid);
  const old = kvm.file;
  kvm.file = null;
  if (old !== null) file_put(core.files, old); // -1 users: KVM forgets its file
  kvm.enqcmd_enabled = false;
  kvm.alive = false;
}

/**
 * The guest runs ENQCMD on `mdev`'s portal. The descriptor carries the host
 * PASID from the table, and no reference: the device resolves it when it runs.
 */
export function kvm_enqcmd(kvm: Kvm, mdev: Mdev, vpasid: number): 'queued' | 'retry' | 'fault' {
  if (!kvm.alive || mdev.vm !== kvm.id || !kvm.enqcmd_enabled) return 'fault';
  const entry = xa_load(kvm.table, vpasid);
  if (entry === undefined) return 'fault';
  const queue = mdev.parent.queue;
  if (swq_queue_full(queue)) return 'retry';
  swq_queue_push(queue, { issuer: kvm.owner, pasid: entry.pasid });
  return 'queued';
}

/*
 * A process (a VMM such as qemu): its fd table of /dev/ioasid files, its mm
 * and the SVA bonds its open device files hold, and the teardown it gets at
 * exit. Exit releases through the same paths the ioctls use, so a crashed VMM
 * and a tidy one leave the same state.
 */
import { EMFILE } from './errno';
import { file_alloc, file_put, type IoasidFile } from './file';
import { ioasid_destroy, type IoasidCore } from './ioasid';
import { kvm_destroy, type Kvm } from './kvm';
import { mdev_release, type Mdev } from './mdev';
import { pdev_release, type Pdev } from './device';
import { xa_erase, xa_find_free, xa_for_each, xa_init, xa_insert, xa_load, type Xarray } from './xarray';
import { WARN_ON } from './object';
import { mm_alloc, mmput, type MmStruct } from './mm';
import { sva_release_all, type SvaBond, type SvaBonds } from './sva';

export interface Proc {
  readonly id: number;
  alive: boolean;
  /** fd -> file; each slot holds a file reference. */
  readonly fds: Xarray<IoasidFile>;
  /** Its address space; the process holds its one mm_users reference until exit_mm(). */
  readonly mm: MmStruct;
  /** device id -> the bond its open file of that swq holds; released by unbind or exit_files(). */
  readonly sva_bonds: SvaBonds;
}

/** What a process owns in the static topology, each list in id order. */
export interface ProcOwned {
  readonly vms: readonly Kvm[];
  readonly pdevs: readonly Pdev[];
  readonly mdevs: readonly Mdev[];
}

export function proc_init(id: number): Proc {
  return { id, alive: true, fds: xa_init<IoasidFile>(), mm: mm_alloc(id), sva_bonds: xa_init<SvaBond>() };
}

/** A new file at the lowest free fd: its number, or -EMFILE. */
export function proc_open(core: IoasidCore, proc: Proc, fds_per_proc: number, quota: number): number {
  const fd = xa_find_free(proc.fds, 1, fds_per_proc);
  if (fd === 0) return -EMFILE;
  xa_insert(proc.fds, fd, file_alloc(core.files, proc.id, fd, quota));
  return fd;
}

/** The file's IOASIDs are destroyed in handle order; the file itself lives while referenced. */
export function proc_close(core: IoasidCore, proc: Proc, file: IoasidFile): void {
  WARN_ON(file.fd === null || xa_load(proc.fds, file.fd) !== file, `close of file ${file.id} not open in proc ${proc.id}`);
  if (core.destroy_busy) {
    // The fd number goes first; IOASIDs still in use stay live with their
    // handles, and ioasid_put() destroys each when its last other user lets go.
    if (file.fd !== null) xa_erase(proc.fds, file.fd);
    file.fd = null;
    for (const [, ioasid] of xa_for_each(file.handles)) if (ioasid.users === 1) ioasid_destroy(core, ioasid);
  } else {
    for (const [, ioasid] of xa_for_each(file.handles)) ioasid_destroy(core, ioasid);
    if (file.fd !== null) xa_erase(proc.fds, file.fd);
    file.fd = null;
  }
  file_put(core.files, file); // -1 users: the fd table slot lets go of the file
}

/**
 * In this order: destroy its live VMs, detach its pdevs' entries, detach the
 * entries made through its mdevs and clear their allowances, close its fds;
 * then exit_mm(). The SVA bonds stay: do_exit() runs exit_mm() before
 * exit_files(), and other CPUs run in between (proc_exit_files()).
 */
export function proc_exit(core: IoasidCore, proc: Proc, owned: ProcOwned): void {
  for (const kvm of owned.vms) if (kvm.alive) kvm_destroy(core, kvm);
  for (const pdev of owned.pdevs) pdev_release(core, pdev);
  for (const mdev of owned.mdevs) mdev_release(core, mdev);
  for (const [, file] of xa_for_each(proc.fds)) proc_close(core, proc, file);
  proc.alive = false;
  mmput(core, proc.mm); // -1 mm_users: exit_mm(); the address space is torn down
}

/** exit_files() of an exited process: the device files release their bonds. False if there were none. */
export function proc_exit_files(core: IoasidCore, proc: Proc): boolean {
  WARN_ON(proc.alive, `exit_files of live proc ${proc.id}`);
  return sva_release_all(core, proc.sva_bonds);
}

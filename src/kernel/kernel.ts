/*
 * The syscall surface: /dev/ioasid, VFIO-mdev and KVM ioctls from userspace,
 * plus the hardware and guest events. Each ioctl runs the common checks
 * (-ESRCH, -EPERM, -EBADF, in that order), then hands the objects to the
 * action's own code, which checks its errors in DESIGN.md order before it
 * changes anything: a failed call changes nothing.
 */
import { kernel_boot, type KernelState, type KernelTopology } from './boot';
import { debugfs_snapshot, type KernelSnapshot } from './debugfs';
import { pdev_attach, pdev_detach, pdev_dma, swq_exec, type DmaOutcome } from './device';
import { EBADF, ENOENT, EPERM, ESRCH } from './errno';
import { ioasid_alloc, ioasid_destroy_user, ioasid_find } from './ioasid';
import type { KernelParams } from './params';
import { kvm_destroy, kvm_enable_enqcmd, kvm_enqcmd, kvm_map_pasid, kvm_set_ioasid_fd, kvm_unmap_pasid } from './kvm';
import { fdget, owned_lookup, proc_lookup, sva_swq_lookup, vm_lookup } from './lookup';
import { mdev_allow_pasid, mdev_attach, mdev_detach } from './mdev';
import { proc_close, proc_exit, proc_exit_files, proc_open } from './process';
import { iommu_sva_bind_device, iommu_sva_unbind_device, sva_bond_find, sva_enqcmd } from './sva';
import { user_id, user_index } from './uapi';
import { xa_for_each, xa_load, type Xarray } from './xarray';

/**
 * The reference design of DESIGN.md as kernel code. Every ioctl argument is
 * untrusted: anything that is not a plain integer number in range (strings,
 * bigints, NaN, 1.5, -1, 2**53, undefined, objects) is treated as an
 * out-of-range value of that argument. Ioctls return a result >= 0 or a
 * negative errno and never throw; a throw is a kernel bug (a WARN_ON).
 */
export class IoasidKernel {
  private readonly s: KernelState;

  constructor(topology: KernelTopology, params?: Partial<KernelParams>) {
    this.s = kernel_boot(topology, params);
  }

  private handle(arg: unknown): number { return user_index(arg, this.s.topology.quota); }
  private pasid(arg: unknown): number { return user_index(arg, this.s.topology.pasids); }
  private vpasid(arg: unknown): number { return user_index(arg, this.s.topology.vpasids); }

  open(proc: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    return proc_open(this.s.core, p, this.s.topology.fdsPerProc, this.s.topology.quota);
  }

  close(proc: unknown, fd: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const file = fdget(this.s, p, fd);
    if (file === undefined) return -EBADF;
    proc_close(this.s.core, p, file);
    return 0;
  }

  alloc(proc: unknown, fd: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const file = fdget(this.s, p, fd);
    if (file === undefined) return -EBADF;
    return ioasid_alloc(this.s.core, file);
  }

  destroy(proc: unknown, fd: unknown, ioasid: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const file = fdget(this.s, p, fd);
    if (file === undefined) return -EBADF;
    const obj = ioasid_find(file, this.handle(ioasid));
    if (obj === undefined) return -ENOENT;
    return ioasid_destroy_user(this.s.core, obj);
  }

  attach(proc: unknown, dev: unknown, fd: unknown, ioasid: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const pdev = owned_lookup(this.s.pdevs, p, dev);
    if (pdev === undefined) return -EPERM;
    const file = fdget(this.s, p, fd);
    if (file === undefined) return -EBADF;
    const obj = ioasid_find(file, this.handle(ioasid));
    if (obj === undefined) return -ENOENT;
    return pdev_attach(pdev, obj);
  }

  detach(proc: unknown, dev: unknown, pasid: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const pdev = owned_lookup(this.s.pdevs, p, dev);
    if (pdev === undefined) return -EPERM;
    return pdev_detach(this.s.core, pdev, this.pasid(pasid));
  }

  mdevAllowPasid(proc: unknown, mdev: unknown, fd: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const m = owned_lookup(this.s.mdevs, p, mdev);
    if (m === undefined) return -EPERM;
    const file = fdget(this.s, p, fd);
    if (file === undefined) return -EBADF;
    return mdev_allow_pasid(this.s.core, m, file);
  }

  mdevAttach(proc: unknown, mdev: unknown, fd: unknown, ioasid: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const m = owned_lookup(this.s.mdevs, p, mdev);
    if (m === undefined) return -EPERM;
    const file = fdget(this.s, p, fd);
    if (file === undefined) return -EBADF;
    return mdev_attach(m, file, this.handle(ioasid));
  }

  mdevDetach(proc: unknown, mdev: unknown, pasid: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const m = owned_lookup(this.s.mdevs, p, mdev);
    if (m === undefined) return -EPERM;
    return mdev_detach(this.s.core, m, this.pasid(pasid));
  }

  kvmSetIoasidFd(proc: unknown, vm: unknown, fd: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const kvm = vm_lookup(this.s, p, vm);
    if (kvm === undefined) return -EPERM;
    const file = fdget(this.s, p, fd);
    if (file === undefined) return -EBADF;
    return kvm_set_ioasid_fd(this.s.core, kvm, file);
  }

  kvmEnableEnqcmd(proc: unknown, vm: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const kvm = vm_lookup(this.s, p, vm);
    if (kvm === undefined) return -EPERM;
    return kvm_enable_enqcmd(kvm);
  }

  kvmMapPasid(proc: unknown, vm: unknown, vpasid: unknown, ioasid: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const kvm = vm_lookup(this.s, p, vm);
    if (kvm === undefined) return -EPERM;
    return kvm_map_pasid(kvm, this.vpasid(vpasid), this.handle(ioasid));
  }

  kvmUnmapPasid(proc: unknown, vm: unknown, vpasid: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const kvm = vm_lookup(this.s, p, vm);
    if (kvm === undefined) return -EPERM;
    return kvm_unmap_pasid(this.s.core, kvm, this.vpasid(vpasid));
  }

  vmDestroy(proc: unknown, vm: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const kvm = vm_lookup(this.s, p, vm);
    if (kvm === undefined) return -EPERM;
    kvm_destroy(this.s.core, kvm);
    return 0;
  }

  exit(proc: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const mine = <T extends { readonly owner: number }>(table: Xarray<T>): T[] =>
      xa_for_each(table).map(([, obj]) => obj).filter((obj) => obj.owner === p.id);
    proc_exit(this.s.core, p, { vms: mine(this.s.vms), pdevs: mine(this.s.pdevs), mdevs: mine(this.s.mdevs) });
    return 0;
  }

  // ---- SVA (DESIGN.md §10): a process binds its own mm to a swq device ----

  /** The mm's PASID (decimal, >= 1) once dev's table maps it to the process; any live process may bind any swq. */
  svaBind(proc: unknown, dev: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const swq = sva_swq_lookup(this.s, dev);
    if (swq === undefined) return -EPERM;
    return iommu_sva_bind_device(this.s.core, swq, p.mm, p.sva_bonds);
  }

  svaUnbind(proc: unknown, dev: unknown): number {
    const p = proc_lookup(this.s, proc);
    if (p === undefined) return -ESRCH;
    const swq = sva_swq_lookup(this.s, dev);
    if (swq === undefined) return -EPERM;
    const bond = sva_bond_find(p.sva_bonds, swq);
    if (bond === undefined) return -ENOENT;
    iommu_sva_unbind_device(this.s.core, p.sva_bonds, bond);
    return 0;
  }

  /** The process's own ENQCMD on dev's portal: no errno, the CPU just faults. */
  svaSubmit(proc: unknown, dev: unknown): 'queued' | 'retry' | 'fault' {
    const p = proc_lookup(this.s, proc);
    const swq = sva_swq_lookup(this.s, dev);
    if (p === undefined || swq === undefined) return 'fault';
    return sva_enqcmd(swq, p.sva_bonds, p.id);
  }

  /** A kernel event: do_exit() of an exited process reaches exit_files(). `idle` if there is nothing to release. */
  exitFiles(proc: unknown): 0 | 'idle' {
    const p = xa_load(this.s.procs, user_index(proc, this.s.topology.procs));
    if (p === undefined || p.alive) return 'idle';
    return proc_exit_files(this.s.core, p) ? 0 : 'idle';
  }

  /** A pdev's DMA: its untrusted owner programs it, so any PASID may come out. */
  dma(dev: unknown, pasid: unknown): DmaOutcome {
    const pdev = xa_load(this.s.pdevs, user_id(dev));
    if (pdev === undefined) return { kind: 'fault' };
    return pdev_dma(pdev, this.pasid(pasid));
  }

  /** The guest of `vm` runs ENQCMD on `mdev`'s portal. */
  enqcmd(vm: unknown, mdev: unknown, vpasid: unknown): 'queued' | 'retry' | 'fault' {
    const kvm = xa_load(this.s.vms, user_id(vm));
    const m = xa_load(this.s.mdevs, user_id(mdev));
    if (kvm === undefined || m === undefined) return 'fault';
    return kvm_enqcmd(kvm, m, this.vpasid(vpasid));
  }

  /** The swq device runs its oldest descriptor. */
  swqExec(dev: unknown): DmaOutcome | { kind: 'idle' } {
    const swq = xa_load(this.s.swqs, user_id(dev));
    if (swq === undefined) return { kind: 'idle' };
    return swq_exec(swq);
  }

  /** A fresh plain-data copy of the whole state; see KernelSnapshot. */
  debugfs(): KernelSnapshot {
    return debugfs_snapshot(this.s);
  }
}

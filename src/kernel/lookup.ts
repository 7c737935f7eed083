/*
 * The common checks every ioctl runs before its own, in this order: the
 * calling process (-ESRCH), the device, mdev or VM it names (-EPERM), the fd
 * it names (-EBADF). Each returns the object, or undefined for the caller to
 * turn into that errno; none changes anything.
 */
import type { KernelState } from './boot';
import type { IoasidFile } from './file';
import type { Swq } from './device';
import type { Kvm } from './kvm';
import type { Proc } from './process';
import { user_id, user_index } from './uapi';
import { xa_load, type Xarray } from './xarray';

/** A process in range that has not exited. */
export function proc_lookup(s: KernelState, arg: unknown): Proc | undefined {
  const proc = xa_load(s.procs, user_index(arg, s.topology.procs));
  return proc?.alive === true ? proc : undefined;
}

/** A device, mdev or VM of this kind, owned by `proc`: a swq has no owner, so it never matches. */
export function owned_lookup<T extends { readonly owner: number }>(table: Xarray<T>, proc: Proc, arg: unknown): T | undefined {
  const obj = xa_load(table, user_id(arg));
  return obj?.owner === proc.id ? obj : undefined;
}

/** An owned VM not yet destroyed: a destroyed VM is gone for good. */
export function vm_lookup(s: KernelState, proc: Proc, arg: unknown): Kvm | undefined {
  const kvm = owned_lookup(s.vms, proc, arg);
  return kvm?.alive === true ? kvm : undefined;
}

/** The file open at fd `arg` in `proc`. */
export function fdget(s: KernelState, proc: Proc, arg: unknown): IoasidFile | undefined {
  return xa_load(proc.fds, user_index(arg, s.topology.fdsPerProc));
}

/** A swq device that supports SVA: any live process may bind it (it has no owner). */
export function sva_swq_lookup(s: KernelState, arg: unknown): Swq | undefined {
  const swq = xa_load(s.swqs, user_id(arg));
  return swq?.sva === true ? swq : undefined;
}

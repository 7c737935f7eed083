/*
 * The kernel's public surface. The toolkit codes against these names only;
 * src/kernel imports nothing from outside itself (least of all model/), so
 * conformance testing compares two independent implementations.
 */
export type { KernelTopology } from './boot';
export { DEFAULT_PARAMS, type KernelParams } from './params';
export { EPERM, ENOENT, ESRCH, EBADF, EBUSY, EEXIST, EINVAL, EMFILE, ENOSPC, EDQUOT, errnoName } from './errno';
export type { DmaOutcome } from './device';
export { IoasidKernel } from './kernel';
export type {
  KernelSnapshot,
  ProcSnapshot,
  FileSnapshot,
  IoasidSnapshot,
  PdevSnapshot,
  SwqSnapshot,
  MdevSnapshot,
  VmSnapshot,
  MmSnapshot,
  SvaSnapshot,
} from './debugfs';

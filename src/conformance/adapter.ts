/**
 * Runs a model Action on an IoasidKernel and reads the outcome back as the
 * DESIGN.md §3 result string ('1', '0', '-EBADF', 'ok:2', 'blocked', 'fault',
 * 'queued', 'retry', 'idle'), §10's SVA calls included. The kernel has no
 * notifier FIFO: `deliver` is 'idle' there, untouched.
 */
import { errnoName, type DmaOutcome, type IoasidKernel } from '../kernel/index';
import type { ActionOf, AnyActionType, Result, AnyAction } from '../../model/index';

type Call<T extends AnyActionType> = (k: IoasidKernel, a: ActionOf<T>) => number | DmaOutcome | { kind: 'idle' } | string;

const dmaResult = (o: DmaOutcome | { kind: 'idle' }): Result => (o.kind === 'ok' ? `ok:${o.asid}` : o.kind);

const CALLS: { readonly [T in AnyActionType]: Call<T> } = {
  open: (k, a) => k.open(a.proc),
  close: (k, a) => k.close(a.proc, a.fd),
  alloc: (k, a) => k.alloc(a.proc, a.fd),
  destroy: (k, a) => k.destroy(a.proc, a.fd, a.ioasid),
  attach: (k, a) => k.attach(a.proc, a.dev, a.fd, a.ioasid),
  detach: (k, a) => k.detach(a.proc, a.dev, a.pasid),
  mdev_allow_pasid: (k, a) => k.mdevAllowPasid(a.proc, a.mdev, a.fd),
  mdev_attach: (k, a) => k.mdevAttach(a.proc, a.mdev, a.fd, a.ioasid),
  mdev_detach: (k, a) => k.mdevDetach(a.proc, a.mdev, a.pasid),
  kvm_set_ioasid_fd: (k, a) => k.kvmSetIoasidFd(a.proc, a.vm, a.fd),
  kvm_enable_enqcmd: (k, a) => k.kvmEnableEnqcmd(a.proc, a.vm),
  kvm_map_pasid: (k, a) => k.kvmMapPasid(a.proc, a.vm, a.vpasid, a.ioasid),
  kvm_unmap_pasid: (k, a) => k.kvmUnmapPasid(a.proc, a.vm, a.vpasid),
  vm_destroy: (k, a) => k.vmDestroy(a.proc, a.vm),
  exit: (k, a) => k.exit(a.proc),
  dma: (k, a) => k.dma(a.dev, a.pasid),
  enqcmd: (k, a) => k.enqcmd(a.vm, a.mdev, a.vpasid),
  swq_exec: (k, a) => k.swqExec(a.dev),
  deliver: () => 'idle',
  // §10: the mm's PASID (src/kernel/sva.ts, mm.ts)
  sva_bind: (k, a) => k.svaBind(a.proc, a.dev),
  sva_unbind: (k, a) => k.svaUnbind(a.proc, a.dev),
  sva_submit: (k, a) => k.svaSubmit(a.proc, a.dev),
  exit_files: (k, a) => k.exitFiles(a.proc),
};

/** The kernel's result for `action`, as a trace writes it. Throws only if the kernel does (a WARN_ON). */
export function runOnKernel(k: IoasidKernel, action: AnyAction): Result {
  const out = (CALLS[action.type] as Call<AnyActionType>)(k, action as never);
  if (typeof out === 'number') return errnoName(out);
  if (typeof out === 'string') return out;
  return dmaResult(out);
}

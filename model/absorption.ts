/**
 * Which calls undo others: a static relation over the candidate calls, for
 * the explorer's second reduction (src/explore/sleep.ts, `absorbedAfter`).
 * `absorbs(u, v)` claims: in every state p where both change the state, u
 * still changes p.v, and p.v.u encodes as p.u does. Whatever v did, u throws
 * it away with everything else it throws away:
 *
 *  - exit(P) undoes every §3 call of P: it destroys P's VMs, releases P's
 *    table entries, clears P's allowances and closes P's files, and nothing of
 *    another process refers to P's objects (model/independence.ts). Of what
 *    P's calls write only the PASID pool and the queues outlive P: a PASID
 *    alloc took comes back at exit, and a descriptor enqcmd queued on P's VM
 *    (its entry holds P's IOASID) is drained when that IOASID's PASID is
 *    recycled at exit. That holds only while the pool is *clean*, no queued
 *    descriptor carrying a free PASID: else the recycling at exit also drains
 *    the PASID's stale descriptors, which p.u keeps. alloc and enqcmd need a
 *    clean pool, and so does mdev_attach (exit's mdev_detach drains the
 *    parent's queue of the entry's PASID).
 *  - vm_destroy(V) undoes the calls that only write V: kvm_set_ioasid_fd,
 *    kvm_enable_enqcmd, kvm_map_pasid (an entry of an IOASID of an open
 *    file: releasing it destroys nothing), kvm_unmap_pasid (vm_destroy would
 *    have released that entry too).
 *  - close(F) undoes destroy on F (close destroys F's live IOASIDs, that one
 *    among them), and alloc on F with a clean pool and without implicit kvm
 *    (the IOASID alloc made, holderless, goes at close with its PASID).
 *
 * The pool is clean under a design that recycles a PASID only at zero
 * references, drains on recycling, and does not free the mm's PASID at
 * mmput: recycling at destroy leaves KVM entries whose raw PASID is free
 * (enqcmd queues it), no-drain leaves the descriptors of a recycled PASID,
 * mmput frees a PASID undrained (§10).
 *
 * spec/explore/independence.test.ts checks every related pair against the
 * step function in every state within a BFS depth, for designs covering every
 * value of every rule; it caught the first, wider, versions (mdev_attach and
 * alloc under no-drain; alloc under recycle-on-destroy, notifier-cleanup and
 * implicit kvm).
 */
import type { AnyAction } from './actions';
import { type Rules, drainsOnRecycle, implicitKvm, recyclesAtDestroy, svaFreeAtMmput } from './rules';
import type { Scope } from './scope';

/** No queued descriptor ever carries a free PASID (see above). */
const cleanPool = (r: Rules): boolean => !recyclesAtDestroy(r) && drainsOnRecycle(r) && !svaFreeAtMmput(r);

/** The §3 calls of a process that its exit undoes whatever the pool (alloc and mdev_attach: only a clean one). */
const EXIT_UNDOES: ReadonlySet<string> = new Set([
  'open',
  'close',
  'destroy',
  'attach',
  'detach',
  'mdev_allow_pasid',
  'mdev_detach',
  'kvm_set_ioasid_fd',
  'kvm_enable_enqcmd',
  'kvm_map_pasid',
  'kvm_unmap_pasid',
  'vm_destroy',
]);

const VM_DESTROY_UNDOES: ReadonlySet<string> = new Set(['kvm_set_ioasid_fd', 'kvm_enable_enqcmd', 'kvm_map_pasid', 'kvm_unmap_pasid']);

/** Whether `u` undoes `v` in every state of `scope` under `rules` where both change the state (see above). */
export function absorbs(scope: Scope, rules: Rules, u: AnyAction, v: AnyAction): boolean {
  switch (u.type) {
    case 'exit':
      if (v.type === 'enqcmd') return cleanPool(rules) && scope.vms[v.vm - 1]?.owner === u.proc;
      if (!('proc' in v) || v.proc !== u.proc) return false;
      return EXIT_UNDOES.has(v.type) || ((v.type === 'alloc' || v.type === 'mdev_attach') && cleanPool(rules));
    case 'vm_destroy':
      return VM_DESTROY_UNDOES.has(v.type) && 'vm' in v && v.vm === u.vm && 'proc' in v && v.proc === u.proc;
    case 'close':
      if (v.type === 'destroy') return v.proc === u.proc && v.fd === u.fd;
      return v.type === 'alloc' && v.proc === u.proc && v.fd === u.fd && cleanPool(rules) && !implicitKvm(rules);
    default:
      return false;
  }
}

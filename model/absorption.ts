/**
 * Which calls undo others, for the explorer's second reduction
 * (src/explore/sleep.ts, `absorbedAfter`): a static relation, and below it
 * the pairs that undo in some states only. `absorbs(u, v)` claims: in every
 * state p where both change the state, u still changes p.v, and p.v.u
 * encodes as p.u does. Whatever v did, u throws it away with everything else
 * it throws away:
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
 * value of every rule. Planted without the clean-pool condition the relation
 * fails it under no-drain, recycle-on-destroy, notifier-cleanup and
 * sva-free-at-mmput; with close undoing alloc under implicit kvm, under
 * implicit-kvm-enqcmd.
 */
import type { AnyAction } from './actions';
import { enqcmdQueues, heldByProc, mdevEntryOf } from './independence';
import { type Rules, drainsOnRecycle, implicitKvm, recyclesAtDestroy, svaFreeAtMmput } from './rules';
import type { Scope } from './scope';
import { type State, liveIoasid, openFile } from './state';

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

/**
 * Undoing in some states only: enqcmd v queues a descriptor with PASID X,
 * and a call u that drains X from that queue throws it away again, so that
 * p.v.u encodes as p.u (v changed only the queue, and u does not read it).
 * `drainsEnqcmd(scope, rules, s, u, v)` says, in a state s that v reached
 * (or its parent: v changes nothing this reads), that u, if it succeeds,
 * drains X from the queue of v's swq:
 *  - mdev_detach of an entry on that swq for X (it drains its PASID there
 *    whatever the design);
 *  - exit of a process with such an entry (it detaches its mdevs), or, where
 *    recycling drains, with an IOASID holding X (exit frees every one);
 *  - close of a file with a live IOASID holding X, and destroy of it, where
 *    recycling drains and either destroy recycles or nothing else holds it.
 * The candidate pairs are drainCandidate's.
 */
export function drainCandidate(u: AnyAction, v: AnyAction): boolean {
  return v.type === 'enqcmd' && (u.type === 'mdev_detach' || u.type === 'exit' || u.type === 'close' || u.type === 'destroy');
}

export function drainsEnqcmd(scope: Scope, rules: Rules, s: State, u: AnyAction, v: AnyAction): boolean {
  const d = enqcmdQueues(scope, s, v);
  if (!d) return false;
  const recycles = (id: number): boolean => {
    const io = s.ioasids[id - 1];
    return !!io && io.pasid === d.pasid && drainsOnRecycle(rules) && (recyclesAtDestroy(rules) || io.users === 1);
  };
  switch (u.type) {
    case 'mdev_detach':
      return u.pasid === d.pasid && scope.mdevs[u.mdev - 1]?.parent === d.swq && s.tables[d.swq - 1]!.some((t) => t.pasid === d.pasid && t.mdev === u.mdev);
    case 'exit':
      return mdevEntryOf(scope, s, d.swq, d.pasid, u.proc) || (drainsOnRecycle(rules) && heldByProc(s, d.pasid, u.proc));
    case 'close':
    case 'destroy': {
      const file = u.proc >= 1 && u.proc <= scope.procs ? openFile(s, u.proc, u.fd) : 0;
      if (!file) return false;
      if (u.type === 'destroy') return recycles(liveIoasid(s, file, u.ioasid));
      for (let h = 1; h <= scope.quota; h++) if (recycles(liveIoasid(s, file, h))) return true;
      return false;
    }
    default:
      return false;
  }
}

/**
 * alloc outside a clean pool: exit of its process, and close of its file
 * without implicit kvm, undo alloc v in a state where no queued descriptor
 * carries the PASID of a live IOASID of v's file (so none carries the one v
 * took, and the recycling of it at exit or close drains nothing). The
 * candidate pairs are allocCandidate's; in a clean pool `absorbs` has them.
 */
export function allocCandidate(rules: Rules, u: AnyAction, v: AnyAction): boolean {
  if (v.type !== 'alloc') return false;
  if (u.type === 'exit') return u.proc === v.proc;
  return u.type === 'close' && u.proc === v.proc && u.fd === v.fd && !implicitKvm(rules);
}

export function allocUndone(scope: Scope, s: State, v: AnyAction): boolean {
  if (v.type !== 'alloc' || v.proc < 1 || v.proc > scope.procs) return false;
  const file = openFile(s, v.proc, v.fd);
  if (!file) return false;
  for (const io of s.ioasids) {
    if (!io || io.file !== file || io.handle === 0) continue;
    for (const q of s.queues) if (q.some((d) => d.pasid === io.pasid)) return false;
  }
  return true;
}

/**
 * Back to the parent: swq_exec of a swq whose queue holds only the
 * descriptor that enqcmd or sva_submit v just queued there takes it off
 * again, so p.v.u is p (swq_exec changes nothing but the queue: the result of
 * the DMA is not state). `returnsToParent(scope, s, u, v)` says that of a
 * state s that v reached; the candidate pairs are returnCandidate's.
 */
export function returnCandidate(u: AnyAction, v: AnyAction): boolean {
  return u.type === 'swq_exec' && (v.type === 'enqcmd' || v.type === 'sva_submit');
}

export function returnsToParent(scope: Scope, s: State, u: AnyAction, v: AnyAction): boolean {
  if (u.type !== 'swq_exec') return false;
  const dev = v.type === 'enqcmd' ? scope.mdevs[v.mdev - 1]?.parent : v.type === 'sva_submit' ? v.dev : undefined;
  return dev !== undefined && dev === u.dev && s.queues[dev - 1]?.length === 1;
}

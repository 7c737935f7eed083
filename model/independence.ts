/**
 * Which calls commute: a static independence relation over the candidate
 * calls, for the explorer's partial-order reduction (src/explore/explorer.ts).
 *
 * A call is *private* when its guards read, and its effect writes, only its
 * caller's own objects: the caller's liveness, files and IOASIDs, its own
 * pdevs' tables, its own mdevs' allowances and its own VMs. Such a call takes
 * no PASID and frees none (it only gets references), drains no queue, touches
 * no swq table and queues no notification:
 *
 *   open, attach (a pdev is its owner's alone), mdev_allow_pasid,
 *   kvm_set_ioasid_fd, kvm_enable_enqcmd, kvm_map_pasid.
 *
 * No userspace call of another process reads or writes those objects: every
 * call names its own process's fds, devices, mdevs and VMs (the common checks,
 * §3), a pdev's table holds only its owner's IOASIDs, an mdev's parent is a swq
 * (validateScope), and what is shared (the PASID pool, swq tables and queues,
 * mms) is not private. Slot numbers (a new file's, say) may differ with the
 * order, which the canonical encoding forgets. So for a private call `a` of
 * process i and any userspace call `b` of a process j != i, in every state
 * where both change the state: each still changes it after the other, in the
 * same way, and both orders end in states that encode alike.
 *
 * Events (dma, enqcmd, swq_exec, deliver, sva_submit, exit_files) are never
 * independent of anything here. The relation is checked against the step
 * function, pair by pair in every reachable state, by
 * spec/explore/independence.test.ts.
 */
import type { AnyAction, AnyActionType } from './actions';
import type { Scope } from './scope';

/**
 * What a call may do to what processes share: take a PASID from the pool,
 * free PASIDs into it (draining the queues of them), read or write the swq
 * devices' PASID tables (table entries, SVA entries), append to a swq queue.
 * Private calls do none of it. Freeing commutes with freeing (a set union; a
 * drain is a filter), so taking conflicts with taking and freeing, a swq table
 * access with another, an append with a drain or another append.
 */
interface Shared {
  readonly takes?: true;
  readonly frees?: true;
  readonly swq?: true;
  readonly appends?: true;
}

const SHARED: { readonly [T in AnyActionType]?: Shared } = {
  open: {},
  attach: {},
  mdev_allow_pasid: {},
  kvm_set_ioasid_fd: {},
  kvm_enable_enqcmd: {},
  kvm_map_pasid: {},
  alloc: { takes: true },
  close: { frees: true },
  destroy: { frees: true },
  detach: { frees: true },
  kvm_unmap_pasid: { frees: true },
  vm_destroy: { frees: true },
  mdev_attach: { swq: true },
  mdev_detach: { frees: true, swq: true },
  exit: { frees: true, swq: true },
  sva_bind: { takes: true, swq: true },
  sva_unbind: { frees: true, swq: true },
  enqcmd: { appends: true },
  sva_submit: { appends: true, swq: true },
};

const conflict = (x: Shared, y: Shared): boolean =>
  (!!x.takes && (!!y.takes || !!y.frees)) || (!!y.takes && !!x.frees) || (!!x.swq && !!y.swq) || (!!x.appends && (!!y.appends || !!y.frees)) || (!!y.appends && !!x.frees);

/** The process a call acts for: its caller, or for enqcmd the VM's owner. */
function actor(scope: Scope, a: AnyAction): number {
  if (a.type === 'enqcmd') return scope.vms[a.vm - 1]?.owner ?? 0;
  return 'proc' in a ? a.proc : 0;
}

/**
 * The one object of its own process a private call reads and writes beyond
 * its files and IOASIDs (which private calls only read, but for references
 * taken, and those add up in either order); open takes a free fd, which no
 * other private call that succeeds names.
 */
function ownObject(a: AnyAction): string | undefined {
  switch (a.type) {
    case 'open':
      return 'open';
    case 'attach':
      return `pdev ${a.dev}`;
    case 'mdev_allow_pasid':
      return `mdev ${a.mdev}`;
    case 'kvm_set_ioasid_fd':
    case 'kvm_enable_enqcmd':
    case 'kvm_map_pasid':
      return `vm ${a.vm}`;
    default:
      return undefined;
  }
}

/** Whether `x` and `y` commute in every state of `scope` where both change the state (see above). */
export function independent(scope: Scope, x: AnyAction, y: AnyAction): boolean {
  const sx = SHARED[x.type];
  const sy = SHARED[y.type];
  const px = actor(scope, x);
  const py = actor(scope, y);
  if (!sx || !sy || px === 0 || py === 0) return false;
  if (px !== py) return !conflict(sx, sy);
  // One process: two private calls on different objects of it.
  const ox = ownObject(x);
  const oy = ownObject(y);
  return ox !== undefined && oy !== undefined && ox !== oy;
}

/**
 * Which calls commute: a static independence relation over the candidate
 * calls, for the explorer's partial-order reduction (src/explore/sleep.ts).
 * `independent(x, y)` claims: in every state where both change the state,
 * each still changes it after the other, and both orders end in states that
 * encode alike (slot numbers may differ, which the canonical encoding
 * forgets); and where one of them does not change the state, it does not
 * after the other either.
 *
 * Calls of different processes. Every userspace call names its own
 * process's fds, devices, mdevs and VMs (the common checks, §3); a pdev's
 * table holds only its owner's IOASIDs and an mdev's parent is a swq
 * (validateScope); nothing of one process refers to another's objects. So
 * two calls of different processes can only meet in what is shared: the PASID
 * pool, the swq tables and queues (SHARED below says who does what to them).
 * A *private* call touches none of it:
 *
 *   open, attach, mdev_allow_pasid, kvm_set_ioasid_fd, kvm_enable_enqcmd,
 *   kvm_map_pasid
 *
 * (enqcmd counts as its VM owner's.)
 *
 * Calls of one process: two private calls on different objects, a private
 * call and a call that leaves its object be (commutesInProcess), enqcmd and
 * a call that writes neither its VM nor a queue (the same), two calls that
 * only let go of different things (letsGo).
 *
 * Events: deliver commutes with the private calls that read no entry
 * (BLIND_TO_DELIVER); dma, swq_exec and exit_files with nothing.
 *
 * These are arguments, and the relation is wider than any one of them is
 * easy to check by eye: spec/explore/independence.test.ts checks every
 * related pair against the step function in every state within a BFS depth,
 * for designs covering every value of every rule, and whole explorations with
 * and without the reduction against each other.
 */
import type { AnyAction, AnyActionType } from './actions';
import { type Rules, busyOnDestroy, implicitKvm, recyclesAtDestroy } from './rules';
import type { Scope } from './scope';
import { vmMdev } from './guards';
import type { State } from './state';

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
  /** adds an entry to a swq table after looking for its PASID there (-EEXIST, -EBUSY) */
  readonly swqAdds?: true;
  /** removes the caller's own entries (its mdev's, its mm's) from a swq table */
  readonly swqRemoves?: true;
  /** reads a swq table to submit (sva_submit) */
  readonly swqReads?: true;
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
  mdev_attach: { swqAdds: true },
  mdev_detach: { frees: true, swqRemoves: true },
  exit: { frees: true, swqRemoves: true },
  sva_bind: { takes: true, swqAdds: true },
  sva_unbind: { frees: true, swqRemoves: true },
  enqcmd: { appends: true },
  sva_submit: { appends: true, swqReads: true },
};

/** One way round: what `x` does that `y` cannot be reordered with. */
const clash = (x: Shared, y: Shared): boolean =>
  (!!x.takes && (!!y.takes || !!y.frees)) ||
  (!!x.swqAdds && (!!y.swqAdds || !!y.swqRemoves || !!y.swqReads)) ||
  (!!x.swqRemoves && !!y.swqReads) ||
  (!!x.appends && (!!y.appends || !!y.frees));
const conflict = (x: Shared, y: Shared): boolean => clash(x, y) || clash(y, x);

/** The process a call acts for: its caller, or for enqcmd the VM's owner; 0 for the other events. */
export function actor(scope: Scope, a: AnyAction): number {
  if (a.type === 'enqcmd') return scope.vms[a.vm - 1]?.owner ?? 0;
  return 'proc' in a ? a.proc : 0;
}

/**
 * The one object of its own process a private call reads and writes beyond
 * its files and IOASIDs (which private calls only read, but for references
 * taken, and those add up in either order). Not open: see commutesInProcess.
 */
function ownObject(a: AnyAction): string | undefined {
  switch (a.type) {
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

/**
 * notifier-cleanup's `deliver` releases the entry the oldest notification
 * names (and so may destroy, recycle, drain, notify) and touches nothing
 * else: it commutes with the private calls that read no entry and queue no
 * notification, of any process. (It is the one event related to anything.)
 */
const BLIND_TO_DELIVER: ReadonlySet<string> = new Set(['open', 'mdev_allow_pasid', 'kvm_set_ioasid_fd', 'kvm_enable_enqcmd']);

/**
 * Calls of one process that a call `p` commutes with beyond the above: they
 * neither read nor write the one object `p` writes (an mdev's allowance, a
 * VM's presented file or enable bit, a pdev's table, a VM's entries), nor
 * close the file `p` names, nor destroy the IOASID it takes a reference to
 * (references taken and dropped add up in either order; the FD's own keeps
 * the IOASID of an open file alive). open takes a free fd: it commutes only
 * with calls that name no fd, as a call that does may fail before it and not
 * after. enqcmd, its VM owner's, commutes with the calls that write neither
 * its VM nor a queue.
 */
function commutesInProcess(rules: Rules, p: AnyAction, q: AnyAction): boolean {
  const t = q.type;
  const releases = t === 'detach' || t === 'mdev_detach' || t === 'kvm_unmap_pasid' || t === 'vm_destroy';
  switch (p.type) {
    case 'open':
      // not with a call that names an fd: the fd open makes may be the one it names
      return releases || t === 'kvm_enable_enqcmd' || t === 'kvm_map_pasid';
    case 'mdev_allow_pasid':
      return releases || t === 'alloc' || t === 'destroy' || (t === 'mdev_attach' && q.mdev !== p.mdev);
    case 'kvm_set_ioasid_fd':
      return (releases && !(t === 'vm_destroy' && q.vm === p.vm)) || t === 'alloc' || t === 'destroy' || t === 'mdev_attach';
    case 'kvm_enable_enqcmd':
      return (releases && !(t === 'vm_destroy' && q.vm === p.vm)) || t === 'alloc' || t === 'destroy' || t === 'close' || t === 'mdev_attach';
    case 'attach':
      return releases && !(t === 'detach' && q.dev === p.dev);
    case 'kvm_map_pasid':
      return releases && !((t === 'kvm_unmap_pasid' || t === 'vm_destroy') && q.vm === p.vm);
    case 'mdev_attach':
      return t === 'detach' || t === 'kvm_unmap_pasid' || t === 'vm_destroy';
    case 'enqcmd':
      // It reads its VM (alive, enable bit, entries) and its swq's queue, which
      // these leave be; alloc writes every VM of the process under implicit kvm.
      return (
        t === 'open' ||
        (t === 'alloc' && !implicitKvm(rules)) ||
        t === 'attach' ||
        t === 'mdev_allow_pasid' ||
        t === 'mdev_attach' ||
        t === 'kvm_set_ioasid_fd' ||
        ((t === 'kvm_enable_enqcmd' || t === 'kvm_map_pasid') && q.vm !== p.vm)
      );
    default:
      return false;
  }
}

/**
 * Calls of one process that only let go: each drops references (table and
 * KVM entries, the FD's own for close) and so may destroy, recycle, drain and
 * notify; and dropping commutes (an IOASID goes when its last reference does,
 * whichever that is; a notification queued for a holder that let go first is
 * never queued, one queued before it lets go is discarded). Two of them
 * commute when they let go of different things. destroy lets go of its file's
 * IOASID as close does of all of them, but not under iommufd-busy: there
 * whether it succeeds (-EBUSY) depends on the references the others drop.
 */
function letsGo(rules: Rules, a: AnyAction): string | undefined {
  switch (a.type) {
    case 'close':
      return `file ${a.fd}`;
    case 'destroy':
      return busyOnDestroy(rules) ? undefined : `file ${a.fd}`;
    case 'detach':
      return `pdev ${a.dev} ${a.pasid}`;
    case 'mdev_detach':
      return `mdev ${a.mdev} ${a.pasid}`;
    case 'kvm_unmap_pasid':
    case 'vm_destroy':
      return `vm ${a.vm}`;
    default:
      return undefined;
  }
}

/** Whether `x` and `y` commute in every state of `scope` under `rules` where both change the state (see above). */
export function independent(scope: Scope, rules: Rules, x: AnyAction, y: AnyAction): boolean {
  if (x.type === 'deliver' || y.type === 'deliver') return x.type !== y.type && BLIND_TO_DELIVER.has(x.type === 'deliver' ? y.type : x.type);
  const sx = SHARED[x.type];
  const sy = SHARED[y.type];
  const px = actor(scope, x);
  const py = actor(scope, y);
  if (!sx || !sy || px === 0 || py === 0) return false;
  if (px !== py) return !conflict(sx, sy);
  if (conflict(sx, sy)) return false;
  // One process: two private calls on different objects of it, or a private call and one that leaves its object be.
  const ox = ownObject(x);
  const oy = ownObject(y);
  const gx = letsGo(rules, x);
  const gy = letsGo(rules, y);
  return (ox !== undefined && oy !== undefined && ox !== oy) || commutesInProcess(rules, x, y) || commutesInProcess(rules, y, x) || (gx !== undefined && gy !== undefined && gx !== gy);
}

/**
 * Pairs that commute in some states only: a call u of process q that frees,
 * and enqcmd v in a state where q's frees cannot drain the PASID v's
 * descriptor carries (enqcmdPasidSafeFrom). Freeing drains the freed PASIDs'
 * work from the queues, and mdev_detach an entry's PASID from its parent's
 * queue: a descriptor v queues is drained in one order and not in the other
 * only if u drains its PASID. What q's calls drain is among the PASIDs q's
 * IOASIDs and q's mm hold and those q's mdev entries carry (nothing of q
 * refers to another process's objects, model/independence.ts above). Of v's
 * own process, those that can touch v's entry or its IOASID are left out
 * (exit, mdev_detach, unmapping or destroying v's VM, and close and destroy
 * where destroy recycles the PASID): the others cannot free the IOASID v's
 * entry holds. Neither call changes whether the other succeeds: u reads no
 * queue, and its drains only make room. One way round only: u may sleep in
 * a state v reached, not v in a state u reached (v that failed on a full
 * queue may succeed once u drained it).
 */
export function independentIfSafe(scope: Scope, rules: Rules, u: AnyAction, v: AnyAction): boolean {
  if (v.type !== 'enqcmd' || !SHARED[u.type]?.frees) return false;
  const p = actor(scope, v);
  const q = actor(scope, u);
  // a call of a process out of the scope's range fails, and relating it would gain nothing
  if (p === 0 || q < 1 || q > scope.procs) return false;
  if (q !== p) return true;
  switch (u.type) {
    case 'detach':
    case 'sva_unbind':
      return true;
    case 'kvm_unmap_pasid':
    case 'vm_destroy':
      return u.vm !== v.vm;
    case 'close':
    case 'destroy':
      return !recyclesAtDestroy(rules);
    default:
      return false;
  }
}

/** What enqcmd `v` would queue in `s`: its entry's PASID, the entry's IOASID, and the swq it queues on; undefined where it faults. */
export function enqcmdQueues(scope: Scope, s: State, v: AnyAction): { readonly pasid: number; readonly ioasid: number; readonly swq: number } | undefined {
  if (v.type !== 'enqcmd') return undefined;
  const m = vmMdev(scope, v.vm, v.mdev);
  const e = m && s.vms[v.vm - 1]!.entries.find((x) => x.vpasid === v.vpasid);
  return e ? { pasid: e.pasid, ioasid: e.ioasid, swq: m.parent } : undefined;
}

/** Whether an IOASID of process `q` other than `except` holds `pasid` in `s`. */
export const heldByProc = (s: State, pasid: number, q: number, except = 0): boolean =>
  s.ioasids.some((io, i) => io !== null && io.pasid === pasid && i + 1 !== except && s.files[io.file - 1]!.proc === q);

/** Whether an entry made through an mdev of process `q` carries `pasid` in swq `swq`'s table. */
export const mdevEntryOf = (scope: Scope, s: State, swq: number, pasid: number, q: number): boolean =>
  s.tables[swq - 1]!.some((t) => t.pasid === pasid && t.mdev !== 0 && scope.mdevs[t.mdev - 1]!.owner === q);

/**
 * Whether in `s` no call of process `q` that independentIfSafe relates to
 * enqcmd `v` can drain the PASID v would queue: no IOASID of q holds it (but
 * v's entry's own, which v's entry keeps from being freed), q's mm does not,
 * and for another process than v's, no entry of q's mdevs in the table of
 * v's swq carries it. False where v has no entry to queue by. enqcmd changes
 * none of what this reads.
 */
export function enqcmdPasidSafeFrom(scope: Scope, s: State, v: AnyAction, q: number): boolean {
  const d = enqcmdQueues(scope, s, v);
  if (!d || heldByProc(s, d.pasid, q, d.ioasid) || s.mms?.[q - 1]!.pasid === d.pasid) return false;
  return q === actor(scope, v) || !mdevEntryOf(scope, s, d.swq, d.pasid, q);
}

/**
 * The transition function: step(scope, rules, state, action) -> {state, result}.
 * The design is data (model/rules.ts): every difference between designs is a
 * question asked of `rules`, never of a design's name.
 *
 * Each handler checks its guards in DESIGN.md §3 order on the (immutable) input
 * and returns the first errno, with the very same state object; only when the
 * call succeeds does it build a Draft and apply the change. A call that
 * changes nothing (an error, a no-op, an observation such as `dma`) returns
 * the input state itself, which the explorer uses to skip it.
 */
import { inRange, isPdev, isSwq, notOwnMdev, notOwnPdev, notOwnVm, vmMdev } from './guards';
import type { ActionOf, AnyAction, AnyActionType, Result } from './actions';
import type { Scope } from './scope';
import { type Rules, busyOnDestroy, implicitKvm, implicitMdev, notifies, quotaCountsLiveOnly } from './rules';
import {
  type State,
  charged,
  liveCount,
  liveIoasid,
  mkDescriptor,
  mkFile,
  mkIoasid,
  mkKvmEntry,
  mkTableEntry,
  openFile,
  ownerOf,
  svaBound,
  svaEntry,
  vmExcept,
} from './state';
import {
  Draft,
  addKvmEntry,
  addTableEntry,
  closeFile,
  destroyIoasid,
  destroyVm,
  exitProc,
  freeSlot,
  releaseKvmEntry,
  releaseTableEntry,
  svaBind,
  svaUnbind,
} from './draft';

export interface Outcome {
  readonly state: State;
  readonly result: Result;
}

interface Ctx {
  readonly scope: Scope;
  readonly rules: Rules;
  readonly s: State;
}

type Handler<T extends AnyActionType> = (c: Ctx, a: ActionOf<T>) => Outcome;

const fail = (c: Ctx, errno: Result): Outcome => ({ state: c.s, result: errno });
const done = (d: Draft, result: Result): Outcome => ({ state: d.freeze(), result });
const draft = (c: Ctx): Draft => new Draft(c.scope, c.rules, c.s);

// Common checks (§3): -ESRCH, then -EPERM for device/mdev/VM arguments, then -EBADF.
const badProc = (c: Ctx, proc: number): boolean => !inRange(proc, c.scope.procs) || !c.s.alive[proc - 1];
const badPdev = (c: Ctx, proc: number, dev: number): boolean => notOwnPdev(c.scope, proc, dev);
const badMdev = (c: Ctx, proc: number, mdev: number): boolean => notOwnMdev(c.scope, proc, mdev);
const badVm = (c: Ctx, proc: number, vm: number): boolean => notOwnVm(c.scope, proc, vm) || !c.s.vms[vm - 1]!.alive;
/** The file open as `fd` in `proc`, or 0 (-EBADF). */
const fileOf = (c: Ctx, proc: number, fd: number): number => (inRange(fd, c.scope.fdsPerProc) ? openFile(c.s, proc, fd) : 0);
/** The live ioasid of `file` with handle `h`, or 0 (-ENOENT). */
const ioasidOf = (c: Ctx, file: number, h: number): number => (inRange(h, c.scope.quota) ? liveIoasid(c.s, file, h) : 0);
const isOpen = (c: Ctx, file: number): boolean => c.s.files[file - 1]!.fd !== 0;

/** Whether `dev` is a swq device of the scope (sva_bind, sva_unbind, sva_submit). */
const swqOf = (c: Ctx, dev: number): boolean => isSwq(c.scope, dev);

/**
 * What a DMA through a table entry reaches: the IOASID owner's memory, or a
 * TLP error; through an SVA entry (§10), its process's address space while it
 * is alive, a fault once exit_mm tore it down.
 */
function translate(c: Ctx, dev: number, pasid: number): Result {
  const e = c.s.tables[dev - 1]!.find((x) => x.pasid === pasid);
  if (!e) {
    const sva = c.s.sva ? svaEntry(c.s, dev, pasid) : undefined;
    return sva && c.s.alive[sva.proc - 1] ? `ok:${sva.proc}` : 'fault';
  }
  return c.s.ioasids[e.ioasid - 1]!.blocked ? 'blocked' : `ok:${ownerOf(c.s, e.ioasid)}`;
}

const HANDLERS: { readonly [T in AnyActionType]: Handler<T> } = {
  open(c, { proc }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    let fd = 1;
    while (fd <= c.scope.fdsPerProc && openFile(c.s, proc, fd) !== 0) fd++;
    if (fd > c.scope.fdsPerProc) return fail(c, '-EMFILE');
    const d = draft(c);
    d.files[freeSlot(d.files) - 1] = mkFile(proc, fd);
    return done(d, String(fd));
  },

  close(c, { proc, fd }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    const file = fileOf(c, proc, fd);
    if (!file) return fail(c, '-EBADF');
    const d = draft(c);
    closeFile(d, file);
    return done(d, '0');
  },

  alloc(c, { proc, fd }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    const file = fileOf(c, proc, fd);
    if (!file) return fail(c, '-EBADF');
    const used = quotaCountsLiveOnly(c.rules) ? liveCount(c.s, file) : charged(c.s, file);
    if (used >= c.scope.quota) return fail(c, '-EDQUOT');
    let pasid = 1;
    while (pasid <= c.scope.pasids && (c.s.free & (1 << pasid)) === 0) pasid++;
    if (pasid > c.scope.pasids) return fail(c, '-ENOSPC');
    let handle = 1;
    while (liveIoasid(c.s, file, handle) !== 0) handle++;
    const d = draft(c);
    const id = freeSlot(d.ioasids);
    d.free &= ~(1 << pasid); // charged to the file from now on
    d.ioasids[id - 1] = mkIoasid(file, handle, pasid, false, 1); // users = 1: the FD's own reference
    if (implicitKvm(c.rules)) {
      // The flaw: every VM of the process is silently given vpasid = PASID.
      for (const vm of c.scope.vms) {
        const v = d.vms[vm.id - 1]!;
        if (vm.owner !== proc || !v.alive || pasid > c.scope.vpasids) continue;
        if (v.entries.some((e) => e.vpasid === pasid)) continue;
        addKvmEntry(d, vm.id, mkKvmEntry(pasid, id, pasid, false));
      }
    }
    return done(d, String(handle));
  },

  destroy(c, { proc, fd, ioasid }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    const file = fileOf(c, proc, fd);
    if (!file) return fail(c, '-EBADF');
    const id = ioasidOf(c, file, ioasid);
    if (!id) return fail(c, '-ENOENT');
    // iommufd (§9): an object anything else still uses cannot be destroyed.
    if (busyOnDestroy(c.rules) && c.s.ioasids[id - 1]!.users > 1) return fail(c, '-EBUSY');
    const d = draft(c);
    destroyIoasid(d, id);
    return done(d, '0');
  },

  attach(c, { proc, dev, fd, ioasid }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (badPdev(c, proc, dev)) return fail(c, '-EPERM');
    const file = fileOf(c, proc, fd);
    if (!file) return fail(c, '-EBADF');
    const id = ioasidOf(c, file, ioasid);
    if (!id) return fail(c, '-ENOENT');
    const pasid = c.s.ioasids[id - 1]!.pasid;
    if (c.s.tables[dev - 1]!.some((e) => e.pasid === pasid)) return fail(c, '-EEXIST');
    const d = draft(c);
    addTableEntry(d, dev, mkTableEntry(pasid, id, 0, true));
    return done(d, '0');
  },

  detach(c, { proc, dev, pasid }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (badPdev(c, proc, dev)) return fail(c, '-EPERM');
    if (!inRange(pasid, c.scope.pasids) || !c.s.tables[dev - 1]!.some((e) => e.pasid === pasid)) return fail(c, '-ENOENT');
    const d = draft(c);
    releaseTableEntry(d, dev, pasid, false);
    return done(d, '0');
  },

  mdev_allow_pasid(c, { proc, mdev, fd }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (badMdev(c, proc, mdev)) return fail(c, '-EPERM');
    const file = fileOf(c, proc, fd);
    if (!file) return fail(c, '-EBADF');
    const cur = c.s.allowed[mdev - 1]!;
    if (cur === file) return { state: c.s, result: '0' };
    if (cur !== 0 && isOpen(c, cur)) return fail(c, '-EBUSY');
    const d = draft(c);
    d.setAllowed(mdev, file); // authorization #1
    return done(d, '0');
  },

  mdev_attach(c, { proc, mdev, fd, ioasid }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (badMdev(c, proc, mdev)) return fail(c, '-EPERM');
    const file = fileOf(c, proc, fd);
    if (!file) return fail(c, '-EBADF');
    const allowed = c.s.allowed[mdev - 1] === file;
    if (!allowed && !implicitMdev(c.rules)) return fail(c, '-EPERM');
    const id = ioasidOf(c, file, ioasid);
    if (!id) return fail(c, '-ENOENT');
    const parent = c.scope.mdevs[mdev - 1]!.parent;
    const pasid = c.s.ioasids[id - 1]!.pasid;
    // One PASID table per parent (§10): an SVA entry for the PASID counts too.
    if (c.s.tables[parent - 1]!.some((e) => e.pasid === pasid) || svaEntry(c.s, parent, pasid)) return fail(c, '-EEXIST');
    const d = draft(c);
    addTableEntry(d, parent, mkTableEntry(pasid, id, mdev, allowed));
    return done(d, '0');
  },

  mdev_detach(c, { proc, mdev, pasid }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (badMdev(c, proc, mdev)) return fail(c, '-EPERM');
    const parent = c.scope.mdevs[mdev - 1]!.parent;
    if (!inRange(pasid, c.scope.pasids) || !c.s.tables[parent - 1]!.some((e) => e.pasid === pasid && e.mdev === mdev)) {
      return fail(c, '-ENOENT');
    }
    const d = draft(c);
    releaseTableEntry(d, parent, pasid, true);
    return done(d, '0');
  },

  kvm_set_ioasid_fd(c, { proc, vm, fd }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (badVm(c, proc, vm)) return fail(c, '-EPERM');
    const file = fileOf(c, proc, fd);
    if (!file) return fail(c, '-EBADF');
    const cur = c.s.vms[vm - 1]!.presented;
    if (cur === file) return { state: c.s, result: '0' };
    if (cur !== 0 && isOpen(c, cur)) return fail(c, '-EBUSY');
    const d = draft(c);
    d.setVm(vm, vmExcept(d.vms[vm - 1]!, { presented: file }));
    return done(d, '0');
  },

  kvm_enable_enqcmd(c, { proc, vm }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (badVm(c, proc, vm)) return fail(c, '-EPERM');
    const v = c.s.vms[vm - 1]!;
    if (v.presented === 0) return fail(c, '-EINVAL');
    if (v.enabled) return { state: c.s, result: '0' };
    const d = draft(c);
    d.setVm(vm, vmExcept(v, { enabled: true })); // authorization #2
    return done(d, '0');
  },

  kvm_map_pasid(c, { proc, vm, vpasid, ioasid }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (badVm(c, proc, vm)) return fail(c, '-EPERM');
    const v = c.s.vms[vm - 1]!;
    if (!v.enabled) return fail(c, '-EINVAL');
    if (!isOpen(c, v.presented)) return fail(c, '-EBADF');
    const id = inRange(vpasid, c.scope.vpasids) ? ioasidOf(c, v.presented, ioasid) : 0;
    if (!id) return fail(c, '-ENOENT');
    if (v.entries.some((e) => e.vpasid === vpasid)) return fail(c, '-EEXIST');
    const d = draft(c);
    addKvmEntry(d, vm, mkKvmEntry(vpasid, id, c.s.ioasids[id - 1]!.pasid, true));
    return done(d, '0');
  },

  kvm_unmap_pasid(c, { proc, vm, vpasid }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (badVm(c, proc, vm)) return fail(c, '-EPERM');
    if (!c.s.vms[vm - 1]!.entries.some((e) => e.vpasid === vpasid)) return fail(c, '-ENOENT');
    const d = draft(c);
    releaseKvmEntry(d, vm, vpasid);
    return done(d, '0');
  },

  vm_destroy(c, { proc, vm }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (badVm(c, proc, vm)) return fail(c, '-EPERM');
    const d = draft(c);
    destroyVm(d, vm);
    return done(d, '0');
  },

  exit(c, { proc }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    const d = draft(c);
    exitProc(d, proc);
    return done(d, '0');
  },

  dma(c, { dev, pasid }) {
    if (!isPdev(c.scope, dev)) return { state: c.s, result: 'fault' };
    return { state: c.s, result: translate(c, dev, pasid) };
  },

  enqcmd(c, { vm, mdev, vpasid }) {
    const m = vmMdev(c.scope, vm, mdev);
    if (!m) return { state: c.s, result: 'fault' };
    const v = c.s.vms[vm - 1]!;
    if (!v.alive || (!v.enabled && !implicitKvm(c.rules))) return { state: c.s, result: 'fault' };
    const e = v.entries.find((x) => x.vpasid === vpasid);
    if (!e) return { state: c.s, result: 'fault' };
    const q = c.s.queues[m.parent - 1]!;
    if (q.length >= c.scope.swqDepth) return { state: c.s, result: 'retry' };
    const d = draft(c);
    d.setQueue(m.parent, [...q, mkDescriptor(c.scope.vms[vm - 1]!.owner, e.pasid)]);
    return done(d, 'queued');
  },

  swq_exec(c, { dev }) {
    if (!isSwq(c.scope, dev) || c.s.queues[dev - 1]!.length === 0) return { state: c.s, result: 'idle' };
    const [head, ...rest] = c.s.queues[dev - 1]!;
    const result = translate(c, dev, head!.pasid);
    const d = draft(c);
    d.setQueue(dev, rest);
    return done(d, result);
  },

  deliver(c) {
    const [n, ...rest] = c.s.notifications;
    if (!notifies(c.rules) || !n) return { state: c.s, result: 'idle' };
    const d = draft(c);
    d.notifications = rest;
    // The holder releases its entry as its own call would.
    if (n.holder === 'kvm') releaseKvmEntry(d, n.id, n.key);
    else releaseTableEntry(d, n.id, n.key, n.holder === 'parent');
    return done(d, '0');
  },

  // ---- §10, SVA: only at scopes with `sva`; elsewhere no device can bind. ----

  sva_bind(c, { proc, dev }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (!c.s.mms || !swqOf(c, dev)) return fail(c, '-EPERM'); // any live process may bind any swq
    if (svaBound(c.s, proc, dev)) return fail(c, '-EEXIST');
    let pasid = c.s.mms[proc - 1]!.pasid;
    if (pasid === 0) {
      pasid = 1;
      while (pasid <= c.scope.pasids && (c.s.free & (1 << pasid)) === 0) pasid++;
      if (pasid > c.scope.pasids) return fail(c, '-ENOSPC');
    }
    // dev's one PASID table already routes that PASID elsewhere: the mm then takes none.
    if (c.s.tables[dev - 1]!.some((e) => e.pasid === pasid) || svaEntry(c.s, dev, pasid)) return fail(c, '-EBUSY');
    const d = draft(c);
    svaBind(d, proc, dev, pasid);
    return done(d, String(pasid));
  },

  sva_unbind(c, { proc, dev }) {
    if (badProc(c, proc)) return fail(c, '-ESRCH');
    if (!c.s.mms || !swqOf(c, dev)) return fail(c, '-EPERM');
    if (!svaBound(c.s, proc, dev)) return fail(c, '-ENOENT');
    const d = draft(c);
    svaUnbind(d, proc, dev);
    return done(d, '0');
  },

  sva_submit(c, { proc, dev }) {
    if (badProc(c, proc) || !c.s.mms || !swqOf(c, dev)) return { state: c.s, result: 'fault' };
    const e = svaBound(c.s, proc, dev);
    if (!e) return { state: c.s, result: 'fault' };
    const q = c.s.queues[dev - 1]!;
    if (q.length >= c.scope.swqDepth) return { state: c.s, result: 'retry' };
    const d = draft(c);
    d.setQueue(dev, [...q, mkDescriptor(proc, e.pasid)]);
    return done(d, 'queued');
  },

  exit_files(c, { proc }) {
    // A kernel event (do_exit's exit_files after exit_mm): no common checks.
    if (!c.s.sva || !inRange(proc, c.scope.procs) || c.s.alive[proc - 1]) return { state: c.s, result: 'idle' };
    const bound = c.scope.devices.filter((dv) => svaBound(c.s, proc, dv.id)).map((dv) => dv.id);
    if (bound.length === 0) return { state: c.s, result: 'idle' };
    const d = draft(c);
    for (const dev of bound) svaUnbind(d, proc, dev); // in device order, each as sva_unbind
    return done(d, '0');
  },
};

const handlerOf = (action: AnyAction): Handler<AnyActionType> => HANDLERS[action.type] as Handler<AnyActionType>;

/** ▶ One step of the model. Never throws for any action; never changes `state`. */
export function step(scope: Scope, rules: Rules, state: State, action: AnyAction): Outcome {
  return handlerOf(action)({ scope, rules, s: state }, action as never);
}

/**
 * `step` with the scope, the rules and the action fixed: the handler is looked
 * up once. The explorers call each candidate action in every state they
 * expand, millions of times a run.
 */
export function stepOf(scope: Scope, rules: Rules, action: AnyAction): (state: State) => Outcome {
  const handler = handlerOf(action);
  return (state) => handler({ scope, rules, s: state }, action as never);
}

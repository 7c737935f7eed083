/**
 * ▶ The transition relation: `symStep(enc, state, action)` is model/step.ts
 * over a symbolic state, for one concrete action (its arguments are plain
 * numbers, the state is Z3 terms). Guards are checked in the model's order;
 * a guard that the arguments alone decide (out of range, not owned, wrong
 * kind) is decided here in TypeScript and returns the input state object
 * itself, exactly as step() does, so callers can skip such actions.
 *
 * The successor agrees with step() on every state that step() accepts
 * without throwing (the property test in spec/proofs checks this on
 * reachable states).
 */
import { busyOnDestroy, implicitKvm, implicitMdev, notifies, quotaCountsLiveOnly } from '../model/rules';
import { inRange, isPdev, isSwq, notOwnMdev, notOwnPdev, notOwnVm, vmMdev } from '../model/guards';
import type { ActionOf, AnyAction, AnyActionType, Result } from '../model/index';
import * as L from './lookup';
import type { Layout } from './layout';
import { type Res, type ResultCase, ResultCodes } from './results';
import { SymDraft } from './symdraft';
import { type SymState, flatten, unflatten } from './symstate';
import type { B, Leaf, N, Smt } from './z3';

export interface SymOutcome {
  readonly state: SymState;
  readonly result: Res;
  /** the call succeeds but the layout had no free slot for a new object */
  readonly overflow: B;
  /** no guard caught the call: it goes through and changes the state (false: it returns the input state) */
  readonly changes: B;
}

/** What the symbolic step needs: the context, the layout and the result codes. */
export interface Encoding {
  readonly sm: Smt;
  readonly lay: Layout;
  readonly codes: ResultCodes;
  /**
   * Leave out freeze (the garbage collection of closed files every successful
   * step ends with): the caller applies it once to whichever action's state it
   * selects (see transition.ts). On a state freeze has already been applied to,
   * as every state a run reaches is, freeze changes nothing, so this is exact.
   */
  readonly deferFreeze: boolean;
}

export function encoding(sm: Smt, lay: Layout, deferFreeze = false): Encoding {
  return { sm, lay, codes: new ResultCodes(lay.scope), deferFreeze };
}

/** Leaf-wise ite of two states. */
export function mergeStates(enc: Encoding, c: B, a: SymState, b: SymState): SymState {
  const { sm } = enc;
  if (a === b || sm.isT(c)) return a;
  if (sm.isF(c)) return b;
  const la = flatten<B, N>(a);
  const lb = flatten<B, N>(b);
  return unflatten<B, N>(enc.lay, la.map((x, i): Leaf => sm.ite(c, x, lb[i]!)), sm.int(0));
}

/** One call in progress: its failed guards so far, in order. */
class Call {
  private readonly cases: ResultCase[] = [];
  constructor(
    readonly enc: Encoding,
    readonly s: SymState,
  ) {}

  get sm(): Smt {
    return this.enc.sm;
  }

  /** If `when` holds (and no earlier guard did), the call returns `result` and changes nothing. */
  guard(when: B, result: Result): void {
    if (!this.sm.isF(when)) this.cases.push({ when, code: this.enc.codes.code(result) });
  }

  /** Whatever no earlier guard caught returns `result` and changes nothing. */
  fail(result: Result): SymOutcome {
    return this.observe(this.enc.codes.always(this.sm, result));
  }

  /** No state change; the result is `result` unless a guard caught the call. */
  observe(result: Res): SymOutcome {
    return { state: this.s, result: [...this.cases, ...result], overflow: this.sm.F, changes: this.sm.F };
  }

  draft(): SymDraft {
    return new SymDraft(this.sm, this.enc.lay, this.s);
  }

  /** The call succeeds unless a guard caught it: the draft's state, then `success`. */
  done(d: SymDraft, success: Res | Result): SymOutcome {
    const sm = this.sm;
    const ok = sm.not(sm.or(...this.cases.map((c) => c.when)));
    const next = this.enc.deferFreeze ? d.snapshot() : d.freeze();
    const result = typeof success === 'string' ? this.enc.codes.always(sm, success) : success;
    return {
      state: mergeStates(this.enc, ok, next, this.s),
      result: [...this.cases, ...result],
      overflow: sm.and(ok, d.overflow),
      changes: ok,
    };
  }
}

type Handler<T extends AnyActionType> = (c: Call, a: ActionOf<T>) => SymOutcome;


/** Common check 1: -ESRCH. Returns false when the proc argument alone decides it. */
function checkProc(c: Call, proc: number): boolean {
  if (!inRange(proc, c.enc.lay.scope.procs)) return false;
  c.guard(c.sm.not(c.s.alive[proc - 1]!), '-ESRCH');
  return true;
}

const badPdev = (c: Call, proc: number, dev: number): boolean => notOwnPdev(c.enc.lay.scope, proc, dev);
const badMdev = (c: Call, proc: number, mdev: number): boolean => notOwnMdev(c.enc.lay.scope, proc, mdev);

/** Common check 2 for a VM: static ownership, then -EPERM if it is destroyed. Returns false if static. */
function checkVm(c: Call, proc: number, vm: number): boolean {
  const { scope } = c.enc.lay;
  if (notOwnVm(scope, proc, vm)) return false;
  c.guard(c.sm.not(c.s.vms[vm - 1]!.alive), '-EPERM');
  return true;
}

/** Common check 3: the file open as `fd`, guarded by -EBADF; undefined if fd is out of range. */
function checkFd(c: Call, proc: number, fd: number): N | undefined {
  if (!inRange(fd, c.enc.lay.scope.fdsPerProc)) return undefined;
  const file = L.openFile(c.sm, c.s, proc, fd);
  c.guard(c.sm.eq(file, 0), '-EBADF');
  return file;
}

/** The live ioasid `h` of `file`, guarded by -ENOENT; undefined if h is out of range. */
function checkIoasid(c: Call, file: N, h: number): N | undefined {
  if (!inRange(h, c.enc.lay.scope.quota)) return undefined;
  const id = L.liveIoasid(c.sm, c.s, file, h);
  c.guard(c.sm.eq(id, 0), '-ENOENT');
  return id;
}

/**
 * What a DMA through device dev's table with `pasid` reaches (step.ts
 * translate); §10: with no table entry, an SVA entry's process while it is
 * alive.
 */
function translate(c: Call, dev: number, pasid: N): Res {
  const { sm, codes } = c.enc;
  const e = L.entryAt(sm, c.s, dev, pasid);
  const sva: Res = c.s.sva[dev - 1]!.flatMap((v, i) =>
    c.s.alive.map((alive, k) => ({ when: sm.and(sm.eq(pasid, i + 1), sm.not(e.used), v.used, sm.eq(v.proc, k + 1), alive), code: codes.code(`ok:${k + 1}`) })),
  );
  return [
    ...sva,
    { when: sm.not(e.used), code: codes.code('fault') },
    { when: L.ioBlocked(sm, c.s, e.ioasid), code: codes.code('blocked') },
    ...codes.ok(sm, L.ownerOf(sm, c.s, e.ioasid)),
  ];
}

const HANDLERS: { readonly [T in AnyActionType]: Handler<T> } = {
  open(c, { proc }) {
    const { sm, s } = c;
    const { scope } = c.enc.lay;
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    const taken: B[] = [];
    for (let fd = 1; fd <= scope.fdsPerProc; fd++) taken.push(sm.ne(L.openFile(sm, s, proc, fd), 0));
    c.guard(sm.and(...taken), '-EMFILE');
    const fd = sm.firstOf(taken.map((t) => sm.not(t)));
    const d = c.draft();
    const slot = d.newSlot(d.files.map((f) => f.used), sm.T);
    d.files = d.files.map((f, i) => ({
      used: sm.or(f.used, slot[i]!),
      proc: sm.ite(slot[i]!, sm.int(proc), f.proc),
      fd: sm.ite(slot[i]!, fd, f.fd),
    }));
    return c.done(d, c.enc.codes.number(sm, fd, scope.fdsPerProc));
  },

  close(c, { proc, fd }) {
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    const file = checkFd(c, proc, fd);
    if (!file) return c.fail('-EBADF');
    const d = c.draft();
    d.closeFile(file, c.sm.T);
    return c.done(d, '0');
  },

  alloc(c, { proc, fd }) {
    const { sm, s } = c;
    const { scope, rules } = c.enc.lay;
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    const file = checkFd(c, proc, fd);
    if (!file) return c.fail('-EBADF');
    const used = quotaCountsLiveOnly(rules) ? L.liveCount(sm, s, file) : L.charged(sm, s, file);
    c.guard(sm.ge(used, scope.quota), '-EDQUOT');
    c.guard(sm.and(...s.free.map((f) => sm.not(f))), '-ENOSPC');
    const pasid = sm.firstOf(s.free);
    let handle = sm.int(scope.quota + 1);
    for (let h = scope.quota; h >= 1; h--) handle = sm.ite(sm.eq(L.liveIoasid(sm, s, file, h), 0), sm.int(h), handle);
    const d = c.draft();
    const slot = d.newSlot(d.ioasids.map((io) => io.used), sm.T);
    const id = sm.firstOf(slot);
    d.free = d.free.map((f, i) => sm.and(f, sm.ne(pasid, i + 1))); // charged to the file from now on
    // users = 1: the FD's own reference
    d.ioasids = d.ioasids.map((io, j) => {
      const fresh = { used: sm.T, file, handle, pasid, blocked: sm.F, users: sm.int(1) };
      const k = slot[j]!;
      return {
        used: sm.or(io.used, k),
        file: sm.ite(k, fresh.file, io.file),
        handle: sm.ite(k, fresh.handle, io.handle),
        pasid: sm.ite(k, fresh.pasid, io.pasid),
        blocked: sm.and(sm.not(k), io.blocked),
        users: sm.ite(k, fresh.users, io.users),
      };
    });
    if (implicitKvm(rules)) {
      // The flaw: every VM of the process is silently given vpasid = PASID.
      for (const vm of scope.vms) {
        if (vm.owner !== proc) continue;
        const v = d.vms[vm.id - 1]!;
        for (let vp = 1; vp <= scope.vpasids; vp++) {
          const g = sm.and(v.alive, sm.eq(pasid, vp), sm.not(v.entries[vp - 1]!.used));
          d.addKvmEntry(vm.id, vp, id, pasid, sm.F, g);
        }
      }
    }
    return c.done(d, c.enc.codes.number(sm, handle, scope.quota + 1));
  },

  destroy(c, { proc, fd, ioasid }) {
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    const file = checkFd(c, proc, fd);
    if (!file) return c.fail('-EBADF');
    const id = checkIoasid(c, file, ioasid);
    if (!id) return c.fail('-ENOENT');
    // iommufd (§9): an object anything else still uses cannot be destroyed.
    if (busyOnDestroy(c.enc.lay.rules)) c.guard(c.sm.gt(L.ioUsers(c.sm, c.s, id), 1), '-EBUSY');
    const d = c.draft();
    d.destroy(id, c.sm.T);
    return c.done(d, '0');
  },

  attach(c, { proc, dev, fd, ioasid }) {
    const { sm, s } = c;
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (badPdev(c, proc, dev)) return c.fail('-EPERM');
    const file = checkFd(c, proc, fd);
    if (!file) return c.fail('-EBADF');
    const id = checkIoasid(c, file, ioasid);
    if (!id) return c.fail('-ENOENT');
    const pasid = L.ioPasid(sm, s, id);
    c.guard(L.entryAt(sm, s, dev, pasid).used, '-EEXIST');
    const d = c.draft();
    d.addTableEntry(dev, pasid, id, sm.int(0), sm.T, sm.T);
    return c.done(d, '0');
  },

  detach(c, { proc, dev, pasid }) {
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (badPdev(c, proc, dev)) return c.fail('-EPERM');
    if (!inRange(pasid, c.enc.lay.scope.pasids)) return c.fail('-ENOENT');
    c.guard(c.sm.not(c.s.tables[dev - 1]![pasid - 1]!.used), '-ENOENT');
    const d = c.draft();
    d.releaseTableEntry(dev, pasid, false, c.sm.T);
    return c.done(d, '0');
  },

  mdev_allow_pasid(c, { proc, mdev, fd }) {
    const { sm, s } = c;
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (badMdev(c, proc, mdev)) return c.fail('-EPERM');
    const file = checkFd(c, proc, fd);
    if (!file) return c.fail('-EBADF');
    const cur = s.allowed[mdev - 1]!;
    c.guard(sm.eq(cur, file), '0'); // again with the same FD: no change
    c.guard(sm.and(sm.ne(cur, 0), L.fileOpen(sm, s, cur)), '-EBUSY');
    const d = c.draft();
    d.allowed[mdev - 1] = file; // authorization #1
    return c.done(d, '0');
  },

  mdev_attach(c, { proc, mdev, fd, ioasid }) {
    const { sm, s } = c;
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (badMdev(c, proc, mdev)) return c.fail('-EPERM');
    const file = checkFd(c, proc, fd);
    if (!file) return c.fail('-EBADF');
    const allowed = sm.eq(s.allowed[mdev - 1]!, file);
    if (!implicitMdev(c.enc.lay.rules)) c.guard(sm.not(allowed), '-EPERM');
    const id = checkIoasid(c, file, ioasid);
    if (!id) return c.fail('-ENOENT');
    const parent = c.enc.lay.scope.mdevs[mdev - 1]!.parent;
    const pasid = L.ioPasid(sm, s, id);
    // One PASID table per parent (§10): an SVA entry for the PASID counts too.
    c.guard(sm.or(L.entryAt(sm, s, parent, pasid).used, L.svaAt(sm, s, parent, pasid).used), '-EEXIST');
    const d = c.draft();
    d.addTableEntry(parent, pasid, id, sm.int(mdev), allowed, sm.T);
    return c.done(d, '0');
  },

  mdev_detach(c, { proc, mdev, pasid }) {
    const { sm, s } = c;
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (badMdev(c, proc, mdev)) return c.fail('-EPERM');
    if (!inRange(pasid, c.enc.lay.scope.pasids)) return c.fail('-ENOENT');
    const parent = c.enc.lay.scope.mdevs[mdev - 1]!.parent;
    const e = s.tables[parent - 1]![pasid - 1]!;
    c.guard(sm.not(sm.and(e.used, sm.eq(e.mdev, mdev))), '-ENOENT');
    const d = c.draft();
    d.releaseTableEntry(parent, pasid, true, sm.T);
    return c.done(d, '0');
  },

  kvm_set_ioasid_fd(c, { proc, vm, fd }) {
    const { sm, s } = c;
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (!checkVm(c, proc, vm)) return c.fail('-EPERM');
    const file = checkFd(c, proc, fd);
    if (!file) return c.fail('-EBADF');
    const cur = s.vms[vm - 1]!.presented;
    c.guard(sm.eq(cur, file), '0'); // again with the same FD: no change
    c.guard(sm.and(sm.ne(cur, 0), L.fileOpen(sm, s, cur)), '-EBUSY');
    const d = c.draft();
    d.vms[vm - 1] = { ...d.vms[vm - 1]!, presented: file };
    return c.done(d, '0');
  },

  kvm_enable_enqcmd(c, { proc, vm }) {
    const { sm, s } = c;
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (!checkVm(c, proc, vm)) return c.fail('-EPERM');
    const v = s.vms[vm - 1]!;
    c.guard(sm.eq(v.presented, 0), '-EINVAL');
    c.guard(v.enabled, '0'); // idempotent
    const d = c.draft();
    d.vms[vm - 1] = { ...v, enabled: sm.T }; // authorization #2
    return c.done(d, '0');
  },

  kvm_map_pasid(c, { proc, vm, vpasid, ioasid }) {
    const { sm, s } = c;
    const { scope } = c.enc.lay;
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (!checkVm(c, proc, vm)) return c.fail('-EPERM');
    const v = s.vms[vm - 1]!;
    c.guard(sm.not(v.enabled), '-EINVAL');
    c.guard(sm.not(L.fileOpen(sm, s, v.presented)), '-EBADF');
    if (!inRange(vpasid, scope.vpasids)) return c.fail('-ENOENT');
    const id = checkIoasid(c, v.presented, ioasid);
    if (!id) return c.fail('-ENOENT');
    c.guard(v.entries[vpasid - 1]!.used, '-EEXIST');
    const d = c.draft();
    d.addKvmEntry(vm, vpasid, id, L.ioPasid(sm, s, id), sm.T, sm.T);
    return c.done(d, '0');
  },

  kvm_unmap_pasid(c, { proc, vm, vpasid }) {
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (!checkVm(c, proc, vm)) return c.fail('-EPERM');
    if (!inRange(vpasid, c.enc.lay.scope.vpasids)) return c.fail('-ENOENT');
    c.guard(c.sm.not(c.s.vms[vm - 1]!.entries[vpasid - 1]!.used), '-ENOENT');
    const d = c.draft();
    d.releaseKvmEntry(vm, vpasid, c.sm.T);
    return c.done(d, '0');
  },

  vm_destroy(c, { proc, vm }) {
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (!checkVm(c, proc, vm)) return c.fail('-EPERM');
    const d = c.draft();
    d.destroyVm(vm, c.sm.T);
    return c.done(d, '0');
  },

  exit(c, { proc }) {
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    const d = c.draft();
    d.exitProc(proc, c.sm.T);
    return c.done(d, '0');
  },

  dma(c, { dev, pasid }) {
    const { scope } = c.enc.lay;
    if (!isPdev(scope, dev) || !inRange(pasid, scope.pasids)) return c.fail('fault');
    return c.observe(translate(c, dev, c.sm.int(pasid)));
  },

  enqcmd(c, { vm, mdev, vpasid }) {
    const { sm, s } = c;
    const { scope, rules } = c.enc.lay;
    const m = vmMdev(scope, vm, mdev);
    if (!m) return c.fail('fault');
    const v = s.vms[vm - 1]!;
    c.guard(sm.or(sm.not(v.alive), implicitKvm(rules) ? sm.F : sm.not(v.enabled)), 'fault');
    if (!inRange(vpasid, scope.vpasids)) return c.fail('fault');
    const e = v.entries[vpasid - 1]!;
    c.guard(sm.not(e.used), 'fault');
    const q = s.queues[m.parent - 1]!;
    c.guard(sm.ge(q.len, scope.swqDepth), 'retry');
    const d = c.draft();
    const issuer = sm.int(scope.vms[vm - 1]!.owner);
    d.queues[m.parent - 1] = {
      len: sm.add(q.len, 1),
      slots: q.slots.map((x, k) => {
        const here = sm.eq(q.len, k);
        return { issuer: sm.ite(here, issuer, x.issuer), pasid: sm.ite(here, e.pasid, x.pasid) };
      }),
    };
    return c.done(d, 'queued');
  },

  swq_exec(c, { dev }) {
    const { sm, s } = c;
    const { scope } = c.enc.lay;
    if (!isSwq(scope, dev)) return c.fail('idle');
    const q = s.queues[dev - 1]!;
    c.guard(sm.le(q.len, 0), 'idle');
    const result = translate(c, dev, q.slots[0]!.pasid);
    const d = c.draft();
    d.queues[dev - 1] = {
      len: sm.add(q.len, -1),
      slots: q.slots.map((_, k) => q.slots[k + 1] ?? d.zeroDesc),
    };
    return c.done(d, result);
  },

  deliver(c) {
    const { sm, s } = c;
    const { lay } = c.enc;
    if (!notifies(lay.rules)) return c.fail('idle');
    c.guard(sm.not(sm.or(...s.notes.map((n) => n.pend))), 'idle');
    const d = c.draft();
    const head = s.notes.map((n) => sm.and(n.pend, sm.eq(n.rank, 0)));
    d.notes = s.notes.map((n, k) => ({
      pend: sm.and(n.pend, sm.not(head[k]!)),
      rank: sm.ite(head[k]!, sm.int(0), sm.ite(n.pend, sm.add(n.rank, -1), n.rank)),
    }));
    // The holder releases its entry as its own call would.
    lay.noteKeys.forEach((key, k) => {
      if (key.holder === 'kvm') d.releaseKvmEntry(key.id, key.key, head[k]!);
      else d.releaseTableEntry(key.id, key.key, key.holder === 'parent', head[k]!);
    });
    return c.done(d, '0');
  },

  // ---- §10, SVA: only at scopes with `sva` (no device can bind elsewhere) ----

  sva_bind(c, { proc, dev }) {
    const { sm, s } = c;
    const { scope, sva } = c.enc.lay;
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (!sva || !isSwq(scope, dev)) return c.fail('-EPERM'); // any live process may bind any swq
    c.guard(sm.or(...L.svaBoundSlots(sm, s, proc, dev)), '-EEXIST');
    const own = s.mms[proc - 1]!.pasid;
    const none = sm.eq(own, 0);
    c.guard(sm.and(none, ...s.free.map((f) => sm.not(f))), '-ENOSPC');
    const pasid = sm.ite(none, sm.firstOf(s.free), own);
    // dev's one PASID table already routes that PASID elsewhere: the mm then takes none.
    c.guard(sm.or(L.entryAt(sm, s, dev, pasid).used, L.svaAt(sm, s, dev, pasid).used), '-EBUSY');
    const d = c.draft();
    d.svaBind(proc, dev, pasid, sm.T);
    return c.done(d, c.enc.codes.number(sm, pasid, scope.pasids));
  },

  sva_unbind(c, { proc, dev }) {
    const { sm, s } = c;
    const { scope, sva } = c.enc.lay;
    if (!checkProc(c, proc)) return c.fail('-ESRCH');
    if (!sva || !isSwq(scope, dev)) return c.fail('-EPERM');
    c.guard(sm.not(sm.or(...L.svaBoundSlots(sm, s, proc, dev))), '-ENOENT');
    const d = c.draft();
    d.svaUnbind(proc, dev, sm.T);
    return c.done(d, '0');
  },

  sva_submit(c, { proc, dev }) {
    const { sm, s } = c;
    const { scope, sva } = c.enc.lay;
    // The process's own ENQCMD: every failure is a fault, none an errno.
    if (!inRange(proc, scope.procs) || !sva || !isSwq(scope, dev)) return c.fail('fault');
    c.guard(sm.not(s.alive[proc - 1]!), 'fault');
    const mine = L.svaBoundSlots(sm, s, proc, dev);
    c.guard(sm.not(sm.or(...mine)), 'fault');
    const q = s.queues[dev - 1]!;
    c.guard(sm.ge(q.len, scope.swqDepth), 'retry');
    const pasid = sm.firstOf(mine); // the slot's index is the entry's PASID
    const d = c.draft();
    d.queues[dev - 1] = {
      len: sm.add(q.len, 1),
      slots: q.slots.map((x, k) => {
        const here = sm.eq(q.len, k);
        return { issuer: sm.ite(here, sm.int(proc), x.issuer), pasid: sm.ite(here, pasid, x.pasid) };
      }),
    };
    return c.done(d, 'queued');
  },

  exit_files(c, { proc }) {
    const { sm, s } = c;
    const { scope, sva } = c.enc.lay;
    // A kernel event (do_exit's exit_files after exit_mm): no common checks.
    if (!sva || !inRange(proc, scope.procs)) return c.fail('idle');
    c.guard(s.alive[proc - 1]!, 'idle');
    const bound = scope.devices.map((dv) => sm.or(...L.svaBoundSlots(sm, s, proc, dv.id)));
    c.guard(sm.not(sm.or(...bound)), 'idle');
    const d = c.draft();
    scope.devices.forEach((dv, i) => d.svaUnbind(proc, dv.id, bound[i]!)); // in device order, each as sva_unbind
    return c.done(d, '0');
  },
};

/** ▶ One symbolic step. Returns `state` itself when the arguments alone make the call fail. */
export function symStep(enc: Encoding, state: SymState, action: AnyAction): SymOutcome {
  const handler = HANDLERS[action.type] as Handler<AnyActionType>;
  return handler(new Call(enc, state), action as never);
}

/**
 * A private working copy of a State used by `step` once an action's guards
 * have passed. It copies the top-level arrays only; nested records and arrays
 * are replaced, never written, so the input state is never changed.
 *
 * The lifecycle operations below are the seed's vocabulary: get/put a
 * reference, destroy (block + park), recycle at zero (drain, uncharge, free),
 * and the releases each holder does.
 */
import type { Scope } from './scope';
import { type Rules, blocksOnDestroy, busyOnDestroy, drainsOnRecycle, notifies, recyclesAtDestroy, svaFreeAtMmput } from './rules';
import {
  type Descriptor,
  type FileObj,
  type IoasidObj,
  type KvmEntry,
  type MmObj,
  type Notification,
  type State,
  type SvaEntry,
  type TableEntry,
  type VmObj,
  fileExcept,
  ioasidExcept,
  mkMm,
  mkNotification,
  mkState,
  mkSvaEntry,
  mkVm,
  mmExcept,
  vmExcept,
} from './state';

const OWN = { alive: 1, tables: 2, queues: 4, allowed: 8, vms: 16, mms: 32, sva: 64 } as const;

export class Draft {
  files: (FileObj | null)[];
  ioasids: (IoasidObj | null)[];
  free: number;
  notifications: readonly Notification[];
  // The arrays below are the input state's until a setter first writes one
  // (copy on write): most calls change one or two of them, and copying all of
  // them was most of a Draft's cost. Read them freely; write through the setters.
  alive: readonly boolean[];
  tables: readonly (readonly TableEntry[])[];
  queues: readonly (readonly Descriptor[])[];
  allowed: readonly number[];
  vms: readonly VmObj[];
  /** SVA scopes only (§10); undefined elsewhere */
  mms: readonly MmObj[] | undefined;
  sva: readonly (readonly SvaEntry[])[] | undefined;
  /** which of them are this draft's own copies (OWN bits) */
  private own = 0;

  constructor(
    readonly scope: Scope,
    readonly rules: Rules,
    s: State,
  ) {
    this.files = s.files.slice();
    this.ioasids = s.ioasids.slice();
    this.free = s.free;
    this.notifications = s.notifications;
    this.alive = s.alive;
    this.tables = s.tables;
    this.queues = s.queues;
    this.allowed = s.allowed;
    this.vms = s.vms;
    this.mms = s.mms;
    this.sva = s.sva;
  }

  /** `xs`, the current value of the field owning `bit`, as this draft's own array: copied at the field's first write. */
  private mine<T>(xs: readonly T[], bit: number): T[] {
    if (this.own & bit) return xs as T[];
    this.own |= bit;
    return xs.slice();
  }

  /** [alive EXCEPT ![proc] = x] */
  setAlive(proc: number, x: boolean): void {
    (this.alive = this.mine(this.alive, OWN.alive))[proc - 1] = x;
  }

  /** [tables EXCEPT ![dev] = entries] */
  setTable(dev: number, entries: readonly TableEntry[]): void {
    (this.tables = this.mine(this.tables, OWN.tables))[dev - 1] = entries;
  }

  /** [queues EXCEPT ![dev] = q] */
  setQueue(dev: number, q: readonly Descriptor[]): void {
    (this.queues = this.mine(this.queues, OWN.queues))[dev - 1] = q;
  }

  /** [allowed EXCEPT ![mdev] = file] */
  setAllowed(mdev: number, file: number): void {
    (this.allowed = this.mine(this.allowed, OWN.allowed))[mdev - 1] = file;
  }

  /** [vms EXCEPT ![vm] = v] */
  setVm(vm: number, v: VmObj): void {
    (this.vms = this.mine(this.vms, OWN.vms))[vm - 1] = v;
  }

  /** [mms EXCEPT ![proc] = m] (SVA scopes) */
  setMm(proc: number, m: MmObj): void {
    if (!this.mms) throw new Error('model bug: no mms outside an SVA scope');
    (this.mms = this.mine(this.mms, OWN.mms))[proc - 1] = m;
  }

  /** [sva EXCEPT ![dev] = entries] (SVA scopes) */
  setSva(dev: number, entries: readonly SvaEntry[]): void {
    if (!this.sva) throw new Error('model bug: no SVA tables outside an SVA scope');
    (this.sva = this.mine(this.sva, OWN.sva))[dev - 1] = entries;
  }

  io(id: number): IoasidObj {
    const io = this.ioasids[id - 1];
    if (!io) throw new Error(`model bug: ioasid ${id} is not allocated`);
    return io;
  }

  /** Closed files nobody refers to any more are forgotten; trailing free slots are trimmed. */
  freeze(): State {
    const files = this.files;
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      if (f && f.fd === 0 && !this.fileReferenced(i + 1)) files[i] = null;
    }
    trimNulls(files);
    trimNulls(this.ioasids);
    return mkState(this.alive, files, this.ioasids, this.free, this.tables, this.queues, this.allowed, this.vms, this.notifications, this.mms, this.sva);
  }

  private fileReferenced(id: number): boolean {
    for (const io of this.ioasids) if (io && io.file === id) return true;
    for (const vm of this.vms) if (vm.presented === id) return true;
    return this.allowed.includes(id);
  }
}

function trimNulls<T>(xs: (T | null)[]): void {
  while (xs.length > 0 && xs[xs.length - 1] === null) xs.pop();
}

/** Lowest free slot of an id table (1-based). */
export function freeSlot<T>(xs: readonly (T | null)[]): number {
  const i = xs.indexOf(null);
  return i < 0 ? xs.length + 1 : i + 1;
}

/** +1 users: the caller's new holder points at the ioasid. */
export function get(d: Draft, id: number): void {
  const io = d.io(id);
  d.ioasids[id - 1] = ioasidExcept(io, { users: io.users + 1 });
}

/** -1 users; at zero the IOASID is freed and its PASID recycled. */
export function put(d: Draft, id: number): void {
  const io = d.io(id);
  if (io.users > 1 && busyOnDestroy(d.rules)) return putInUse(d, id);
  if (io.users > 1) {
    d.ioasids[id - 1] = ioasidExcept(io, { users: io.users - 1 });
    return;
  }
  d.ioasids[id - 1] = null;
  if (io.pasid === 0) return; // recycled already, at destroy (flawed designs)
  recycle(d, io.pasid); // uncharged: the ioasid is gone
}

/**
 * iommufd (§9): an IOASID of a closed file stays live while anything else
 * holds it; when its last other holder lets go (users back to the FD's 1) it
 * is destroyed and recycled at that point of the step.
 */
function putInUse(d: Draft, id: number): void {
  const io = d.io(id);
  if (io.users === 2 && io.handle !== 0 && d.files[io.file - 1]!.fd === 0) {
    d.ioasids[id - 1] = ioasidExcept(io, { users: 1 });
    destroyIoasid(d, id);
    return;
  }
  d.ioasids[id - 1] = ioasidExcept(io, { users: io.users - 1 });
}

/**
 * A PASID nobody holds goes back to the pool. The reference drains work
 * tagged with it first: a queued descriptor holds no reference, only the raw
 * number.
 */
export function recycle(d: Draft, pasid: number): void {
  if (drainsOnRecycle(d.rules)) drainAll(d, pasid);
  d.free |= 1 << pasid;
}

export function drainAll(d: Draft, pasid: number): void {
  for (let i = 0; i < d.queues.length; i++) drainQueue(d, i + 1, pasid);
}

export function drainQueue(d: Draft, dev: number, pasid: number): void {
  const q = d.queues[dev - 1]!;
  if (q.some((x) => x.pasid === pasid)) d.setQueue(dev, q.filter((x) => x.pasid !== pasid));
}

/** destroy: block DMA, free the handle, park the PASID, drop the FD's reference. */
export function destroyIoasid(d: Draft, id: number): void {
  const io = d.io(id);
  let pasid = io.pasid;
  if (recyclesAtDestroy(d.rules) && pasid !== 0) {
    recycle(d, pasid);
    pasid = 0;
  }
  d.ioasids[id - 1] = ioasidExcept(io, { handle: 0, pasid, blocked: blocksOnDestroy(d.rules) });
  if (notifies(d.rules)) notifyHolders(d, id);
  put(d, id); // -1 users: the FD no longer holds the destroyed ioasid
}

function notifyHolders(d: Draft, id: number): void {
  const added: Notification[] = [];
  for (const kind of ['pdev', 'swq'] as const) {
    d.scope.devices.forEach((dev, i) => {
      if (dev.kind !== kind) return;
      for (const e of d.tables[i]!) {
        if (e.ioasid === id) added.push(mkNotification(kind === 'pdev' ? 'pdev' : 'parent', dev.id, e.pasid));
      }
    });
  }
  d.vms.forEach((vm, i) => {
    for (const e of vm.entries) if (e.ioasid === id) added.push(mkNotification('kvm', i + 1, e.vpasid));
  });
  if (added.length > 0) d.notifications = [...d.notifications, ...added];
}

function discardNotification(d: Draft, holder: Notification['holder'], id: number, key: number): void {
  const ns = d.notifications;
  if (ns.length === 0) return;
  const i = ns.findIndex((n) => n.holder === holder && n.id === id && n.key === key);
  if (i >= 0) d.notifications = [...ns.slice(0, i), ...ns.slice(i + 1)];
}

/** close: destroy the file's live IOASIDs in handle order, then free the fd number. */
export function closeFile(d: Draft, fileId: number): void {
  const busy = busyOnDestroy(d.rules);
  // iommufd (§9): the fd number is freed first; an IOASID still in use stays
  // live, with its handle and the FD's reference, until putInUse destroys it.
  if (busy) d.files[fileId - 1] = fileExcept(d.files[fileId - 1]!, { fd: 0 });
  for (let h = 1; h <= d.scope.quota; h++) {
    const i = d.ioasids.findIndex((io) => io !== null && io.file === fileId && io.handle === h);
    if (i >= 0 && (!busy || d.ioasids[i]!.users === 1)) destroyIoasid(d, i + 1);
  }
  if (!busy) d.files[fileId - 1] = fileExcept(d.files[fileId - 1]!, { fd: 0 });
}

/** Removes a device's entry for `pasid` (detach; mdev_detach drains first). */
export function releaseTableEntry(d: Draft, dev: number, pasid: number, drain: boolean): void {
  const table = d.tables[dev - 1]!;
  const e = table.find((x) => x.pasid === pasid);
  if (!e) throw new Error(`model bug: device ${dev} has no entry for pasid ${pasid}`);
  if (drain) drainQueue(d, dev, pasid);
  d.setTable(dev, table.filter((x) => x !== e));
  discardNotification(d, e.mdev === 0 ? 'pdev' : 'parent', dev, pasid);
  put(d, e.ioasid); // -1 users: the table entry is gone
}

export function addTableEntry(d: Draft, dev: number, entry: TableEntry): void {
  d.setTable(dev, sortedInsert(d.tables[dev - 1]!, entry, (x) => x.pasid));
  get(d, entry.ioasid); // +1 users: the table entry holds the ioasid
}

export function addKvmEntry(d: Draft, vm: number, entry: KvmEntry): void {
  const v = d.vms[vm - 1]!;
  d.setVm(vm, vmExcept(v, { entries: sortedInsert(v.entries, entry, (x) => x.vpasid) }));
  get(d, entry.ioasid); // +1 users: the KVM entry holds the ioasid
}

export function releaseKvmEntry(d: Draft, vm: number, vpasid: number): void {
  const v = d.vms[vm - 1]!;
  const e = v.entries.find((x) => x.vpasid === vpasid);
  if (!e) throw new Error(`model bug: vm ${vm} has no entry for vpasid ${vpasid}`);
  d.setVm(vm, vmExcept(v, { entries: v.entries.filter((x) => x !== e) }));
  discardNotification(d, 'kvm', vm, vpasid);
  put(d, e.ioasid); // -1 users: the KVM entry is gone
}

/** vm_destroy: entries released in vpasid order, FD forgotten, table disabled, VM gone. */
export function destroyVm(d: Draft, vm: number): void {
  for (const e of d.vms[vm - 1]!.entries) releaseKvmEntry(d, vm, e.vpasid);
  d.setVm(vm, mkVm(false, 0, false, []));
}

/** exit: VMs, pdev entries, mdev entries (allowances cleared), then files; the process is gone. */
export function exitProc(d: Draft, proc: number): void {
  const { scope } = d;
  for (const vm of scope.vms) if (vm.owner === proc && d.vms[vm.id - 1]!.alive) destroyVm(d, vm.id);
  for (const dev of scope.devices) {
    if (dev.kind !== 'pdev' || dev.owner !== proc) continue;
    for (const e of d.tables[dev.id - 1]!) releaseTableEntry(d, dev.id, e.pasid, false);
  }
  for (const m of scope.mdevs) {
    if (m.owner !== proc) continue;
    for (const e of d.tables[m.parent - 1]!) if (e.mdev === m.id) releaseTableEntry(d, m.parent, e.pasid, true);
    d.setAllowed(m.id, 0);
  }
  for (let fd = 1; fd <= scope.fdsPerProc; fd++) {
    const i = d.files.findIndex((f) => f !== null && f.proc === proc && f.fd === fd);
    if (i >= 0) closeFile(d, i + 1);
  }
  d.setAlive(proc, false);
  if (d.mms) exitMm(d, proc);
}

// ---- SVA (§10): the mm's PASID -----------------------------------------------

function mm(d: Draft, proc: number): MmObj {
  const m = d.mms?.[proc - 1];
  if (!m) throw new Error(`model bug: no mm for proc ${proc}`);
  return m;
}

/**
 * -1 mm reference (mmdrop). At zero the mm is freed (__mmdrop) and its PASID,
 * if it still holds one, is recycled as an IOASID's is: drained from every
 * queue (unless `drain: false`), then back to the pool.
 */
export function mmDrop(d: Draft, proc: number): void {
  const m = mm(d, proc);
  if (m.users > 1) {
    d.setMm(proc, mmExcept(m, { users: m.users - 1 }));
    return;
  }
  d.setMm(proc, mkMm(0, 0));
  if (m.pasid !== 0) recycle(d, m.pasid);
}

/**
 * The end of `exit`: the address space is torn down (exit_mm, __mmput) and the
 * process's own reference dropped; the bindings stay until `exit_files`.
 * Under `svaPasidFree: mmput` (the 2022 bug) the PASID goes straight back to
 * the pool here, undrained, while the entries still carry it.
 */
export function exitMm(d: Draft, proc: number): void {
  const m = mm(d, proc);
  if (svaFreeAtMmput(d.rules) && m.pasid !== 0) {
    d.free |= 1 << m.pasid;
    d.setMm(proc, mmExcept(m, { pasid: 0 }));
  }
  mmDrop(d, proc);
}

/** sva_bind's success: the mm takes `pasid` (if it had none), dev's table maps it to the process, +1 mm reference (mmgrab). */
export function svaBind(d: Draft, proc: number, dev: number, pasid: number): void {
  const m = mm(d, proc);
  if (m.pasid === 0) d.free &= ~(1 << pasid);
  d.setMm(proc, mkMm(pasid, m.users + 1));
  d.setSva(dev, sortedInsert(d.sva![dev - 1]!, mkSvaEntry(pasid, proc), (x) => x.pasid));
}

/** sva_unbind (also each of exit_files): drain dev's queue of the mm's PASID, remove the entry, -1 mm reference. */
export function svaUnbind(d: Draft, proc: number, dev: number): void {
  const entries = d.sva![dev - 1]!;
  const e = entries.find((x) => x.proc === proc);
  if (!e) throw new Error(`model bug: proc ${proc} is not bound to device ${dev}`);
  const pasid = mm(d, proc).pasid; // none if the mm holds none (svaPasidFree: mmput, after exit_mm)
  if (pasid !== 0) drainQueue(d, dev, pasid);
  d.setSva(dev, entries.filter((x) => x !== e));
  mmDrop(d, proc);
}

function sortedInsert<T>(xs: readonly T[], x: T, key: (t: T) => number): T[] {
  const k = key(x);
  const i = xs.findIndex((y) => key(y) > k);
  return i < 0 ? [...xs, x] : [...xs.slice(0, i), x, ...xs.slice(i)];
}

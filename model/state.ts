/**
 * The abstract state of the IOASID lifecycle (DESIGN.md §1, §3).
 *
 * Plain immutable data. Object identities (file ids, ioasid ids) are slot
 * numbers, 1-based, lowest free slot first; a slot is freed when nothing refers
 * to the object any more, so every scope has finitely many states.
 */
import type { Scope } from './scope';

/** An open or closed /dev/ioasid file: KVM and mdevs remember the file, not its number. */
export interface FileObj {
  readonly proc: number;
  /** the fd number while open; 0 once closed (the number may be reused by a new file) */
  readonly fd: number;
}

/** An IOASID: a refcounted object holding one hardware PASID. */
export interface IoasidObj {
  /** the file (ioasid set) it is charged to */
  readonly file: number;
  /** its handle in the file while live; 0 once destroyed (the handle is freed) */
  readonly handle: number;
  /** the PASID it holds; 0 when it holds none (recycled at destroy by the flawed variants) */
  readonly pasid: number;
  /** DMA through it is blocked (TLP error): set by destroy unless `no-dma-block` */
  readonly blocked: boolean;
  /** refcount: the FD while live, plus every table entry and KVM entry pointing at it */
  readonly users: number;
}

/** A PASID-table entry of a device: a pdev's own, or a swq parent's made through an mdev. */
export interface TableEntry {
  readonly pasid: number;
  readonly ioasid: number;
  /** the mdev it was made through; 0 for a pdev entry */
  readonly mdev: number;
  /** ghost: the mdev was allowed PASID use for the IOASID's file when the entry was made */
  readonly allowed: boolean;
}

/** An entry of a VM's ENQCMD translation table: vpasid -> the ioasid and its raw PASID. */
export interface KvmEntry {
  readonly vpasid: number;
  readonly ioasid: number;
  /** what the CPU writes into descriptors: kept even if the IOASID loses its PASID */
  readonly pasid: number;
  /** ghost: made by kvm_map_pasid, not implicitly */
  readonly explicit: boolean;
}

export interface VmObj {
  readonly alive: boolean;
  /** the file presented by kvm_set_ioasid_fd; 0 if none ever was */
  readonly presented: number;
  readonly enabled: boolean;
  /** sorted by vpasid */
  readonly entries: readonly KvmEntry[];
}

/** A work descriptor queued in a swq: a raw PASID in hardware, holding no reference. */
export interface Descriptor {
  readonly issuer: number;
  readonly pasid: number;
}

/** A pending notification of `notifier-cleanup`: which holder must release which entry. */
export interface Notification {
  readonly holder: 'pdev' | 'parent' | 'kvm';
  /** device id (pdev, parent) or vm id (kvm) */
  readonly id: number;
  /** pasid (pdev, parent) or vpasid (kvm) */
  readonly key: number;
}

/**
 * ▶ §10: a process's mm (address space). `users` is its reference count: 1
 * while the process is alive, plus one per SVA binding (mmgrab). At zero the
 * mm is freed (__mmdrop) and its PASID recycled as an IOASID's is.
 */
export interface MmObj {
  /** the mm's PASID, taken at its first bind and kept for its life; 0 if none */
  readonly pasid: number;
  readonly users: number;
}

/** ▶ §10: an SVA entry of a swq device's PASID table: the PASID leads to the process's own address space. */
export interface SvaEntry {
  readonly pasid: number;
  readonly proc: number;
}

export interface State {
  /** per process (index proc-1): not exited */
  readonly alive: readonly boolean[];
  /** per file id (index id-1); null: free slot */
  readonly files: readonly (FileObj | null)[];
  /** per ioasid object id (index id-1); null: free slot */
  readonly ioasids: readonly (IoasidObj | null)[];
  /** the free PASID pool, its own bookkeeping: bit p set = PASID p free */
  readonly free: number;
  /** per device (index id-1): its PASID table, sorted by pasid */
  readonly tables: readonly (readonly TableEntry[])[];
  /** per device (index id-1): its swq queue, oldest first (always empty for a pdev) */
  readonly queues: readonly (readonly Descriptor[])[];
  /** per mdev (index id-1): the file it is allowed PASID use for; 0 if none */
  readonly allowed: readonly number[];
  /** per VM (index id-1) */
  readonly vms: readonly VmObj[];
  /** `notifier-cleanup` only: the global FIFO, oldest first */
  readonly notifications: readonly Notification[];
  /**
   * SVA scopes only (§10), absent elsewhere so that nothing of §2-9 changes:
   * per process (index proc-1), its mm.
   */
  readonly mms?: readonly MmObj[];
  /** SVA scopes only: per device (index id-1), its SVA entries, sorted by pasid (a pdev's stay empty) */
  readonly sva?: readonly (readonly SvaEntry[])[];
}

/*
 * The record constructors. Every record of a kind is made by the one object
 * literal here, fields in one order, so that every FileObj (say) has one
 * hidden class in V8 and the explorer's hot code stays monomorphic: records
 * made by spreads and literals scattered over step.ts had up to five shapes a
 * kind, and every property read of them went through V8's megamorphic path.
 * `xExcept(r, {f: v})` is TLA+'s [r EXCEPT !.f = v].
 */
export const mkFile = (proc: number, fd: number): FileObj => ({ proc, fd });
export const mkIoasid = (file: number, handle: number, pasid: number, blocked: boolean, users: number): IoasidObj => ({ file, handle, pasid, blocked, users });
export const mkTableEntry = (pasid: number, ioasid: number, mdev: number, allowed: boolean): TableEntry => ({ pasid, ioasid, mdev, allowed });
export const mkKvmEntry = (vpasid: number, ioasid: number, pasid: number, explicit: boolean): KvmEntry => ({ vpasid, ioasid, pasid, explicit });
export const mkVm = (alive: boolean, presented: number, enabled: boolean, entries: readonly KvmEntry[]): VmObj => ({ alive, presented, enabled, entries });
export const mkDescriptor = (issuer: number, pasid: number): Descriptor => ({ issuer, pasid });
export const mkNotification = (holder: Notification['holder'], id: number, key: number): Notification => ({ holder, id, key });
export const mkMm = (pasid: number, users: number): MmObj => ({ pasid, users });
export const mkSvaEntry = (pasid: number, proc: number): SvaEntry => ({ pasid, proc });

export const fileExcept = (f: FileObj, c: Partial<FileObj>): FileObj => mkFile(c.proc ?? f.proc, c.fd ?? f.fd);
export const ioasidExcept = (io: IoasidObj, c: Partial<IoasidObj>): IoasidObj =>
  mkIoasid(c.file ?? io.file, c.handle ?? io.handle, c.pasid ?? io.pasid, c.blocked ?? io.blocked, c.users ?? io.users);
export const tableEntryExcept = (e: TableEntry, c: Partial<TableEntry>): TableEntry => mkTableEntry(c.pasid ?? e.pasid, c.ioasid ?? e.ioasid, c.mdev ?? e.mdev, c.allowed ?? e.allowed);
export const kvmEntryExcept = (e: KvmEntry, c: Partial<KvmEntry>): KvmEntry => mkKvmEntry(c.vpasid ?? e.vpasid, c.ioasid ?? e.ioasid, c.pasid ?? e.pasid, c.explicit ?? e.explicit);
export const vmExcept = (v: VmObj, c: Partial<VmObj>): VmObj => mkVm(c.alive ?? v.alive, c.presented ?? v.presented, c.enabled ?? v.enabled, c.entries ?? v.entries);
export const mmExcept = (m: MmObj, c: Partial<MmObj>): MmObj => mkMm(c.pasid ?? m.pasid, c.users ?? m.users);

/**
 * The lists of a state are built by push (or slice, filter, spread of such):
 * Array.prototype.map and Array.from make holey arrays, a second elements kind
 * beside push's packed one, and with it a second shape of every list.
 */
export function listOf<T>(n: number, f: (i: number) => T): T[] {
  const xs: T[] = [];
  for (let i = 0; i < n; i++) xs.push(f(i));
  return xs;
}

/** xs.map(f), as a packed list (listOf). */
export const mapList = <T, U>(xs: readonly T[], f: (x: T) => U): U[] => listOf(xs.length, (i) => f(xs[i]!));

/** A state; the SVA fields only at SVA scopes (two shapes in all, one per kind of scope). */
export function mkState(
  alive: readonly boolean[],
  files: readonly (FileObj | null)[],
  ioasids: readonly (IoasidObj | null)[],
  free: number,
  tables: readonly (readonly TableEntry[])[],
  queues: readonly (readonly Descriptor[])[],
  allowed: readonly number[],
  vms: readonly VmObj[],
  notifications: readonly Notification[],
  mms?: readonly MmObj[],
  sva?: readonly (readonly SvaEntry[])[],
): State {
  if (mms && sva) return { alive, files, ioasids, free, tables, queues, allowed, vms, notifications, mms, sva };
  return { alive, files, ioasids, free, tables, queues, allowed, vms, notifications };
}

export function initialState(scope: Scope): State {
  let free = 0;
  for (let p = 1; p <= scope.pasids; p++) free |= 1 << p;
  const sva = scope.sva === true;
  return mkState(
    listOf(scope.procs, () => true),
    [],
    [],
    free,
    mapList(scope.devices, () => []),
    mapList(scope.devices, () => []),
    mapList(scope.mdevs, () => 0),
    mapList(scope.vms, () => mkVm(true, 0, false, [])),
    [],
    sva ? listOf(scope.procs, () => mkMm(0, 1)) : undefined,
    sva ? mapList(scope.devices, () => []) : undefined,
  );
}

/** The SVA entry of `dev` for `pasid`, if any (only at SVA scopes). */
export function svaEntry(state: State, dev: number, pasid: number): SvaEntry | undefined {
  return state.sva?.[dev - 1]?.find((e) => e.pasid === pasid);
}

/** Whether `proc` is bound to `dev` (only at SVA scopes). */
export function svaBound(state: State, proc: number, dev: number): SvaEntry | undefined {
  return state.sva?.[dev - 1]?.find((e) => e.proc === proc);
}

export function isFree(state: State, pasid: number): boolean {
  return pasid >= 1 && pasid <= 30 && (state.free & (1 << pasid)) !== 0;
}

export function isLive(io: IoasidObj): boolean {
  return io.handle !== 0;
}

/** The process that owns an ioasid object: the owner of the file it is charged to. */
export function ownerOf(state: State, ioasid: number): number {
  const io = state.ioasids[ioasid - 1];
  const file = io ? state.files[io.file - 1] : undefined;
  return file ? file.proc : 0;
}

/** The id of the file open as `fd` in `proc`, or 0. */
export function openFile(state: State, proc: number, fd: number): number {
  const files = state.files;
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    if (f && f.fd === fd && f.proc === proc) return i + 1;
  }
  return 0;
}

/** The id of the live ioasid with `handle` in `file`, or 0. */
export function liveIoasid(state: State, file: number, handle: number): number {
  const ios = state.ioasids;
  for (let i = 0; i < ios.length; i++) {
    const io = ios[i];
    if (io && io.file === file && io.handle === handle) return i + 1;
  }
  return 0;
}

/** PASIDs charged to a file: its IOASIDs, live or parked, that still hold a PASID. */
export function charged(state: State, file: number): number {
  let n = 0;
  for (const io of state.ioasids) if (io && io.file === file && io.pasid !== 0) n++;
  return n;
}

export function liveCount(state: State, file: number): number {
  let n = 0;
  for (const io of state.ioasids) if (io && io.file === file && io.handle !== 0) n++;
  return n;
}

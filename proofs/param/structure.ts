/**
 * Model states as finite structures of the parametric vocabulary, and back.
 *
 * `toStructure(scope, state, layout)` is the structure a reachable state of
 * `scope` is (the conformance test evaluates the formulas of encoding.ts in
 * it); `toModel(st)` reads a structure (a Z3 counter-model) as a scope and a
 * model state, so model/step.ts can be asked about it.
 *
 * Elements: a process, device, mdev, VM, PASID, vPASID is its number - 1; a
 * file or IOASID its slot - 1; an entry element is its key (pdev entries by
 * (pdev, pasid), parent entries by (swq, pasid), KVM entries by (vm,
 * vpasid)), so an entry is the same element before and after a step; a
 * descriptor is whatever `layout.descIds` says (positions shift).
 */
import type { Scope } from '../../model/scope';
import type { Descriptor, KvmEntry, Notification, State, TableEntry } from '../../model/state';
import { type ElemSort, type Structure, type Val, key, tuples } from './logic';
import { type SymName, SYM_NAMES, VOCAB } from './vocab';

export interface Layout {
  readonly files: number;
  readonly ios: number;
  readonly descs: number;
  /** per device (index dev-1): the element of each queued descriptor, oldest first */
  readonly descIds: readonly (readonly number[])[];
}

/** Entry elements of a scope: pdev keys, then parent (swq) keys, then KVM keys. */
export class EntKeys {
  readonly pdevs: number[];
  readonly swqs: number[];
  constructor(readonly scope: Scope) {
    this.pdevs = scope.devices.filter((d) => d.kind === 'pdev').map((d) => d.id);
    this.swqs = scope.devices.filter((d) => d.kind === 'swq').map((d) => d.id);
  }
  get size(): number {
    return (this.pdevs.length + this.swqs.length) * this.scope.pasids + this.scope.vms.length * this.scope.vpasids;
  }
  table(dev: number, pasid: number): number {
    const pi = this.pdevs.indexOf(dev);
    const P = this.scope.pasids;
    if (pi >= 0) return pi * P + pasid - 1;
    return (this.pdevs.length + this.swqs.indexOf(dev)) * P + pasid - 1;
  }
  kvm(vm: number, vpasid: number): number {
    return (this.pdevs.length + this.swqs.length) * this.scope.pasids + (vm - 1) * this.scope.vpasids + vpasid - 1;
  }
  kind(e: number): 'P' | 'M' | 'K' {
    const P = this.scope.pasids;
    if (e < this.pdevs.length * P) return 'P';
    if (e < (this.pdevs.length + this.swqs.length) * P) return 'M';
    return 'K';
  }
}

/** The layout of one state alone: slots as they are, descriptors numbered queue by queue. */
export function layoutOf(scope: Scope, s: State, spare = 1): Layout {
  let n = 0;
  const descIds = s.queues.map((q) => q.map(() => n++));
  return { files: s.files.length + spare, ios: s.ioasids.length + spare, descs: n + spare, descIds };
}

export interface Ghost {
  readonly nE: Map<string, Val>;
  readonly rankE: Map<string, Val>;
  readonly nCh: Map<string, Val>;
  readonly rankCh: Map<string, Val>;
  readonly nLive: Map<string, Val>;
  readonly rankLive: Map<string, Val>;
}

type Tables = Map<SymName, Map<string, Val>>;
/** Sets one value of a table: `name(args) = v`. */
type Setter = (name: SymName, args: number[], v: Val) => void;

/**
 * The structure of `s`. Values that mean nothing (vocab.ts `relevantIf`) are
 * set to element 0 / false / 0. Ghost counters and ranks are canonical (ranks
 * in element order) unless `ghost` is given.
 */
export function toStructure(scope: Scope, s: State, lay: Layout, ghost?: Ghost): Structure {
  const keys = new EntKeys(scope);
  const size: Record<ElemSort, number> = {
    Proc: scope.procs,
    File: lay.files,
    Io: lay.ios,
    Pasid: scope.pasids,
    Dev: scope.devices.length,
    Mdev: scope.mdevs.length,
    Vm: scope.vms.length,
    Vpasid: scope.vpasids,
    Ent: keys.size,
    Desc: lay.descs,
  };
  const t = defaultTables(size);
  const set: Setter = (name, args, v) => void t.get(name)!.set(key(args), v);
  setTopology(set, scope, keys);
  setFilesAndIoasids(set, scope, s);
  setEntries(set, scope, s, keys);
  setAllowedAndQueues(set, s, lay);
  if (ghost) {
    for (const [name, m] of Object.entries(ghost) as [SymName, Map<string, Val>][]) for (const [k, v] of m) t.get(name)!.set(k, v);
  } else {
    setCanonicalGhost(t, set, s, keys);
  }
  return { size, tables: t };
}

/** Every symbol at every tuple of arguments, at its default: false, or element (or number) 0. */
function defaultTables(size: Record<ElemSort, number>): Tables {
  const t: Tables = new Map();
  for (const name of SYM_NAMES) {
    const sig = VOCAB[name];
    const def: Val = sig.range === 'Bool' ? false : 0;
    const m = new Map<string, Val>();
    for (const tup of tuples(size, sig.domain)) m.set(key(tup), def);
    t.set(name, m);
  }
  return t;
}

/** The static symbols: the scope's topology, each entry element's kind, the quota. */
function setTopology(set: Setter, scope: Scope, keys: EntKeys): void {
  scope.devices.forEach((d, i) => {
    set('isPdev', [i], d.kind === 'pdev');
    if (d.kind === 'pdev') set('devOwner', [i], d.owner - 1);
  });
  scope.mdevs.forEach((m, i) => {
    set('mParent', [i], m.parent - 1);
    set('mOwner', [i], m.owner - 1);
    set('mVm', [i], m.vm - 1);
  });
  scope.vms.forEach((v, i) => set('vmOwner', [i], v.owner - 1));
  for (let e = 0; e < keys.size; e++) {
    const k = keys.kind(e);
    set('isP', [e], k === 'P');
    set('isM', [e], k === 'M');
    set('isK', [e], k === 'K');
  }
  set('Q', [], scope.quota);
}

/** Processes, file and IOASID slots, the free PASIDs. */
function setFilesAndIoasids(set: Setter, scope: Scope, s: State): void {
  s.alive.forEach((a, i) => set('alive', [i], a));
  s.files.forEach((f, i) => {
    if (!f) return;
    set('fUsed', [i], true);
    set('fProc', [i], f.proc - 1);
    set('fOpen', [i], f.fd !== 0);
  });
  s.ioasids.forEach((io, i) => {
    if (!io) return;
    set('iUsed', [i], true);
    set('iFile', [i], io.file - 1);
    set('iLive', [i], io.handle !== 0);
    set('iHas', [i], io.pasid !== 0);
    if (io.pasid !== 0) set('iPasid', [i], io.pasid - 1);
    set('iBlocked', [i], io.blocked);
    set('users', [i], io.users);
  });
  for (let p = 1; p <= scope.pasids; p++) set('free', [p - 1], (s.free & (1 << p)) !== 0);
}

/** Whether the notification FIFO holds one for this holder's entry. */
const noted = (s: State, holder: Notification['holder'], id: number, k: number): boolean =>
  s.notifications.some((n) => n.holder === holder && n.id === id && n.key === k);

/** The entries of every device's PASID table, then each VM and the entries of its table. */
function setEntries(set: Setter, scope: Scope, s: State, keys: EntKeys): void {
  scope.devices.forEach((d, i) => {
    for (const e of s.tables[i]!) {
      const el = keys.table(d.id, e.pasid);
      set('eUsed', [el], true);
      set('ePasid', [el], e.pasid - 1);
      set('eIo', [el], e.ioasid - 1);
      set('eAllowed', [el], e.allowed);
      if (d.kind === 'pdev') set('eDev', [el], i);
      else set('eMdev', [el], e.mdev - 1);
      set('note', [el], noted(s, d.kind === 'pdev' ? 'pdev' : 'parent', d.id, e.pasid));
    }
  });
  s.vms.forEach((v, i) => {
    set('vmAlive', [i], v.alive);
    set('vmHasPres', [i], v.presented !== 0);
    if (v.presented !== 0) set('vmPres', [i], v.presented - 1);
    set('vmEnabled', [i], v.enabled);
    for (const e of v.entries) {
      const el = keys.kvm(i + 1, e.vpasid);
      set('eUsed', [el], true);
      set('eVm', [el], i);
      set('eVp', [el], e.vpasid - 1);
      set('ePasid', [el], e.pasid - 1);
      set('eIo', [el], e.ioasid - 1);
      set('eExplicit', [el], e.explicit);
      set('note', [el], noted(s, 'kvm', i + 1, e.vpasid));
    }
  });
}

/** Each mdev's allowed file, and the queued descriptors (their elements from the layout). */
function setAllowedAndQueues(set: Setter, s: State, lay: Layout): void {
  s.allowed.forEach((a, i) => {
    set('allowedSome', [i], a !== 0);
    if (a !== 0) set('allowed', [i], a - 1);
  });
  s.queues.forEach((q, i) =>
    q.forEach((d, k) => {
      const el = lay.descIds[i]![k]!;
      set('dUsed', [el], true);
      set('dDev', [el], i);
      set('dPasid', [el], d.pasid - 1);
      set('dIssuer', [el], d.issuer - 1);
    }),
  );
}

/** Canonical ghost: counts, and ranks in element order (entries read from the tables already set). */
function setCanonicalGhost(t: Tables, set: Setter, s: State, keys: EntKeys): void {
  const rank = (name: SymName, n: SymName, el: number, owner: number, counter: Map<number, number>): void => {
    const r = (counter.get(owner) ?? 0) + 1;
    counter.set(owner, r);
    set(name, [el], r);
    set(n, [owner], r);
  };
  const entsOf = new Map<number, number>();
  for (let e = 0; e < keys.size; e++) {
    if (t.get('eUsed')!.get(key([e])) === true) rank('rankE', 'nE', e, t.get('eIo')!.get(key([e])) as number, entsOf);
  }
  const ch = new Map<number, number>();
  const live = new Map<number, number>();
  s.ioasids.forEach((io, i) => {
    if (!io) return;
    if (io.pasid !== 0) rank('rankCh', 'nCh', i, io.file - 1, ch);
    if (io.handle !== 0) rank('rankLive', 'nLive', i, io.file - 1, live);
  });
}

/** The ghost part of a structure (to carry it along a chain of steps). */
export function ghostOf(st: Structure): Ghost {
  const g = (n: SymName): Map<string, Val> => new Map(st.tables.get(n)!);
  return { nE: g('nE'), rankE: g('rankE'), nCh: g('nCh'), rankCh: g('rankCh'), nLive: g('nLive'), rankLive: g('rankLive') };
}

/** Whether `name(args)` means anything in `st` (vocab.ts relevantIf). */
export function relevant(st: Structure, name: SymName, args: readonly number[]): boolean {
  const v = (n: SymName, a: readonly number[]): boolean => st.tables.get(n)!.get(key(a)) === true;
  const cond = (VOCAB[name] as { relevantIf?: string }).relevantIf;
  const x = args;
  switch (cond) {
    case undefined:
      return true;
    case 'isPdev':
    case 'fUsed':
    case 'iUsed':
    case 'eUsed':
    case 'allowedSome':
    case 'vmHasPres':
    case 'dUsed':
      return v(cond, x);
    case 'iHasPasid':
      return v('iUsed', x) && v('iHas', x);
    case 'iLiveUsed':
      return v('iUsed', x) && v('iLive', x);
    case 'usedP':
      return v('eUsed', x) && v('isP', x);
    case 'usedM':
      return v('eUsed', x) && v('isM', x);
    case 'usedK':
      return v('eUsed', x) && v('isK', x);
    case 'usedPM':
      return v('eUsed', x) && !v('isK', x);
    default:
      throw new Error(`unknown relevance ${cond}`);
  }
}

// ---------------------------------------------------------------- back to the model

export interface Decoded {
  readonly scope: Scope;
  readonly state: State;
  /** element -> model number, per sort that the model numbers by slot or position */
  readonly fileSlot: ReadonlyMap<number, number>;
  readonly ioSlot: ReadonlyMap<number, number>;
  readonly fdOf: ReadonlyMap<number, number>;
  readonly handleOf: ReadonlyMap<number, number>;
}

/** Reads a structure's tables. */
interface Reader {
  b(n: SymName, ...a: number[]): boolean;
  num(n: SymName, ...a: number[]): number;
  /** the elements of a sort */
  range(s: ElemSort): number[];
}

function readerOf(st: Structure): Reader {
  const g = (n: SymName, ...a: number[]): Val => st.tables.get(n)!.get(key(a))!;
  return {
    b: (n, ...a) => g(n, ...a) === true,
    num: (n, ...a) => g(n, ...a) as number,
    range: (s) => Array.from({ length: st.size[s] }, (_, i) => i),
  };
}

/** The used file and IOASID elements, numbered as the model's slots, fds and handles. */
interface Slots {
  readonly files: number[];
  readonly ios: number[];
  readonly fileSlot: Map<number, number>;
  readonly ioSlot: Map<number, number>;
  readonly fdOf: Map<number, number>;
  readonly handleOf: Map<number, number>;
  /** per process element, its open files */
  readonly fdsOf: Map<number, number>;
}

function slotsOf(r: Reader): Slots {
  const { b, num } = r;
  const files = r.range('File').filter((f) => b('fUsed', f));
  const fileSlot = new Map(files.map((f, i) => [f, i + 1]));
  const ios = r.range('Io').filter((io) => b('iUsed', io) && fileSlot.has(num('iFile', io)));
  const ioSlot = new Map(ios.map((io, i) => [io, i + 1]));
  // fds per process, handles per file, each numbered in element order.
  const numbered = (els: number[], open: SymName, owner: SymName): { of: Map<number, number>; per: Map<number, number> } => {
    const of = new Map<number, number>();
    const per = new Map<number, number>();
    for (const x of els) {
      if (!b(open, x)) continue;
      const o = num(owner, x);
      const n = (per.get(o) ?? 0) + 1;
      per.set(o, n);
      of.set(x, n);
    }
    return { of, per };
  };
  const fds = numbered(files, 'fOpen', 'fProc');
  return { files, ios, fileSlot, ioSlot, fdOf: fds.of, handleOf: numbered(ios, 'iLive', 'iFile').of, fdsOf: fds.per };
}

/** The table entries, KVM entries and pending notifications of the used entry elements (`first`: that entry's notification first). */
function entriesOf(
  r: Reader,
  ioSlot: ReadonlyMap<number, number>,
  devices: number,
  vms: number,
  first: number | undefined,
): { tables: TableEntry[][]; vmEntries: KvmEntry[][]; notes: Notification[] } {
  const { b, num } = r;
  const ents = r.range('Ent').filter((e) => b('eUsed', e) && ioSlot.has(num('eIo', e)));
  const tables: TableEntry[][] = Array.from({ length: devices }, () => []);
  const vmEntries: KvmEntry[][] = Array.from({ length: vms }, () => []);
  const notes: Notification[] = [];
  for (const e of ents) {
    const pasid = num('ePasid', e) + 1;
    const ioasid = ioSlot.get(num('eIo', e))!;
    if (b('isP', e)) {
      tables[num('eDev', e)]!.push({ pasid, ioasid, mdev: 0, allowed: true });
      if (b('note', e)) notes.push({ holder: 'pdev', id: num('eDev', e) + 1, key: pasid });
    } else if (b('isM', e)) {
      const m = num('eMdev', e);
      tables[num('mParent', m)]!.push({ pasid, ioasid, mdev: m + 1, allowed: b('eAllowed', e) });
      if (b('note', e)) notes.push({ holder: 'parent', id: num('mParent', m) + 1, key: pasid });
    } else {
      const v = num('eVm', e);
      vmEntries[v]!.push({ vpasid: num('eVp', e) + 1, ioasid, pasid, explicit: b('eExplicit', e) });
      if (b('note', e)) notes.push({ holder: 'kvm', id: v + 1, key: num('eVp', e) + 1 });
    }
    if (first === e && b('note', e)) notes.unshift(notes.pop()!);
  }
  for (const t of tables) t.sort((x, y) => x.pasid - y.pasid);
  for (const t of vmEntries) t.sort((x, y) => x.vpasid - y.vpasid);
  return { tables, vmEntries, notes };
}

/** Each device's queue of the used descriptor elements (`first`: that descriptor first). */
function queuesOf(r: Reader, devices: number, first: number | undefined): Descriptor[][] {
  const queues: Descriptor[][] = Array.from({ length: devices }, () => []);
  for (const d of r.range('Desc')) {
    if (!r.b('dUsed', d)) continue;
    const q = queues[r.num('dDev', d)]!;
    const x = { issuer: r.num('dIssuer', d) + 1, pasid: r.num('dPasid', d) + 1 };
    if (first === d) q.unshift(x);
    else q.push(x);
  }
  return queues;
}

/** The scope: the structure's topology and sizes, with bounds just above what the state uses. */
function scopeOf(st: Structure, r: Reader, slots: Slots, queues: readonly Descriptor[][]): Scope {
  const { b, num } = r;
  const { files, ios } = slots;
  const maxFds = Math.max(1, ...slots.fdsOf.values());
  // The quota: any Q above every count compared with it decides every comparison
  // of this step alike (counts grow by at most one), so the smallest such is taken.
  const counts = files.flatMap((f) => [
    num('nCh', f),
    num('nLive', f),
    ios.filter((io) => num('iFile', io) === f && b('iHas', io)).length,
    ios.filter((io) => num('iFile', io) === f && b('iLive', io)).length,
  ]);
  return {
    procs: st.size.Proc,
    // Room for one more fd and one more descriptor: the encoding has no -EMFILE and no retry (abstractions 1, 3).
    fdsPerProc: maxFds + 1,
    quota: Math.max(1, Math.min(num('Q'), 1 + Math.max(0, ...counts))),
    pasids: st.size.Pasid,
    vpasids: st.size.Vpasid,
    swqDepth: 1 + Math.max(0, ...queues.map((q) => q.length)),
    devices: r.range('Dev').map((d) =>
      b('isPdev', d) ? { id: d + 1, kind: 'pdev' as const, owner: num('devOwner', d) + 1 } : { id: d + 1, kind: 'swq' as const },
    ),
    mdevs: r.range('Mdev').map((m) => ({ id: m + 1, parent: num('mParent', m) + 1, owner: num('mOwner', m) + 1, vm: num('mVm', m) + 1 })),
    vms: r.range('Vm').map((v) => ({ id: v + 1, owner: num('vmOwner', v) + 1 })),
  };
}

/**
 * A structure (a counter-model) as a scope and a model state. `first` puts a
 * descriptor first in its queue and a notification first in the FIFO (the
 * element a transition chose, abstraction 3 and 4 of encoding.ts).
 */
export function toModel(st: Structure, first: { desc?: number; ent?: number } = {}): Decoded {
  const r = readerOf(st);
  const { b, num, range } = r;
  const slots = slotsOf(r);
  const { fileSlot, ioSlot, fdOf, handleOf } = slots;
  const { tables, vmEntries, notes } = entriesOf(r, ioSlot, st.size.Dev, st.size.Vm, first.ent);
  const queues = queuesOf(r, st.size.Dev, first.desc);
  let free = 0;
  for (const p of range('Pasid')) if (b('free', p)) free |= 1 << (p + 1);
  const state: State = {
    alive: range('Proc').map((p) => b('alive', p)),
    files: slots.files.map((f) => ({ proc: num('fProc', f) + 1, fd: fdOf.get(f) ?? 0 })),
    ioasids: slots.ios.map((io) => ({
      file: fileSlot.get(num('iFile', io))!,
      handle: handleOf.get(io) ?? 0,
      pasid: b('iHas', io) ? num('iPasid', io) + 1 : 0,
      blocked: b('iBlocked', io),
      users: num('users', io),
    })),
    free,
    tables,
    queues,
    allowed: range('Mdev').map((m) => (b('allowedSome', m) ? (fileSlot.get(num('allowed', m)) ?? 0) : 0)),
    vms: range('Vm').map((v) => ({
      alive: b('vmAlive', v),
      presented: b('vmHasPres', v) ? (fileSlot.get(num('vmPres', v)) ?? 0) : 0,
      enabled: b('vmEnabled', v),
      entries: vmEntries[v]!,
    })),
    notifications: notes,
  };
  return { scope: scopeOf(st, r, slots, queues), state, fileSlot, ioSlot, fdOf, handleOf };
}

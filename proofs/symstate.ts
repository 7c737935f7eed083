/**
 * The symbolic state: model/state.ts laid out in fixed-size slots, one Z3
 * constant (or term) per field, and its exact concrete counterpart.
 *
 *   State (model)            StateS (here)
 *   files[i] | null          files[i] {used, proc, fd}, i < layout.files
 *   ioasids[j] | null        ioasids[j] {used, file, handle, pasid, blocked, users}
 *   free (bit mask)          free[p-1], p = 1..pasids
 *   tables[d] sorted list    tables[d][p-1] {used, ioasid, mdev, allowed}: at most one entry per (device, pasid)
 *   queues[d] list           queues[d] {len, slots[k] {issuer, pasid}}, k < swqDepth (a pdev's queue: len 0, no slots)
 *   vms[v].entries list      vms[v].entries[vp-1] {used, ioasid, pasid, explicit}: one per (vm, vpasid)
 *   notifications FIFO       notes[k] {pend, rank} per NoteKey: the FIFO is the pending keys by rank
 *   mms[p] (§10)             mms[p-1] {pasid, users}, p = 1..procs (SVA scopes only; else none)
 *   sva[d] sorted list       sva[d][p-1] {used, proc}: one per (swq device, pasid) (a pdev's: no slots)
 *
 * At most one SVA entry per (device, pasid), and never beside a table entry
 * for the same pair: sva_bind's -EBUSY and mdev_attach's -EEXIST keep it so
 * (toVal throws on a state that breaks it).
 *
 * Unused slots hold zeros (`toVal` writes them, every transition keeps them).
 * The FIFO form relies on a fact of reachable states (a pending notification
 * names an existing entry, so no key is pending twice); `toVal` throws on a
 * state that does not fit the layout, so a property test would catch a drift.
 */
import type { Descriptor, FileObj, IoasidObj, KvmEntry, MmObj, Notification, State, SvaEntry, TableEntry, VmObj } from '../model/index';
import { type Layout, noteIndex } from './layout';
import type { B, Leaf, N, Smt } from './z3';

export interface FileS<BL, NL> { readonly used: BL; readonly proc: NL; readonly fd: NL }
export interface IoasidS<BL, NL> {
  readonly used: BL; readonly file: NL; readonly handle: NL; readonly pasid: NL; readonly blocked: BL; readonly users: NL;
}
export interface EntryS<BL, NL> { readonly used: BL; readonly ioasid: NL; readonly mdev: NL; readonly allowed: BL }
export interface KvmS<BL, NL> { readonly used: BL; readonly ioasid: NL; readonly pasid: NL; readonly explicit: BL }
export interface VmS<BL, NL> {
  readonly alive: BL; readonly presented: NL; readonly enabled: BL; readonly entries: readonly KvmS<BL, NL>[];
}
export interface DescS<NL> { readonly issuer: NL; readonly pasid: NL }
export interface QueueS<NL> { readonly len: NL; readonly slots: readonly DescS<NL>[] }
export interface NoteS<BL, NL> { readonly pend: BL; readonly rank: NL }
/** §10: a process's mm */
export interface MmS<NL> { readonly pasid: NL; readonly users: NL }
/** §10: the SVA entry of one (swq device, pasid) */
export interface SvaS<BL, NL> { readonly used: BL; readonly proc: NL }

export interface StateS<BL, NL> {
  readonly alive: readonly BL[];
  readonly files: readonly FileS<BL, NL>[];
  readonly ioasids: readonly IoasidS<BL, NL>[];
  readonly free: readonly BL[];
  readonly tables: readonly (readonly EntryS<BL, NL>[])[];
  readonly queues: readonly QueueS<NL>[];
  readonly allowed: readonly NL[];
  readonly vms: readonly VmS<BL, NL>[];
  readonly notes: readonly NoteS<BL, NL>[];
  /** §10, per process; empty when the scope has no SVA */
  readonly mms: readonly MmS<NL>[];
  /** §10, per device, per pasid (a pdev's and every device's without SVA: empty) */
  readonly sva: readonly (readonly SvaS<BL, NL>[])[];
}

export type SymState = StateS<B, N>;
export type ValState = StateS<boolean, number>;

interface Maker<BL, NL> {
  b(path: string): BL;
  n(path: string): NL;
  /** a field that is always 0 in this layout (a pdev's queue length) */
  zero(): NL;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** Builds a state of the layout's shape, asking `mk` for each leaf in `flatten` order. */
function build<BL, NL>(lay: Layout, mk: Maker<BL, NL>): StateS<BL, NL> {
  const { scope } = lay;
  return {
    alive: range(scope.procs).map((p) => mk.b(`alive.${p}`)),
    files: range(lay.files).map((i) => ({ used: mk.b(`file${i}.used`), proc: mk.n(`file${i}.proc`), fd: mk.n(`file${i}.fd`) })),
    ioasids: range(lay.ioasids).map((j) => ({
      used: mk.b(`io${j}.used`),
      file: mk.n(`io${j}.file`),
      handle: mk.n(`io${j}.handle`),
      pasid: mk.n(`io${j}.pasid`),
      blocked: mk.b(`io${j}.blocked`),
      users: mk.n(`io${j}.users`),
    })),
    free: range(scope.pasids).map((p) => mk.b(`free.${p}`)),
    tables: scope.devices.map((d) =>
      range(scope.pasids).map((p) => ({
        used: mk.b(`dev${d.id}.p${p}.used`),
        ioasid: mk.n(`dev${d.id}.p${p}.ioasid`),
        mdev: mk.n(`dev${d.id}.p${p}.mdev`),
        allowed: mk.b(`dev${d.id}.p${p}.allowed`),
      })),
    ),
    queues: scope.devices.map((d, i) =>
      lay.swq[i]
        ? {
            len: mk.n(`q${d.id}.len`),
            slots: range(scope.swqDepth).map((k) => ({ issuer: mk.n(`q${d.id}.${k}.issuer`), pasid: mk.n(`q${d.id}.${k}.pasid`) })),
          }
        : { len: mk.zero(), slots: [] },
    ),
    allowed: scope.mdevs.map((m) => mk.n(`mdev${m.id}.allowed`)),
    vms: scope.vms.map((v) => ({
      alive: mk.b(`vm${v.id}.alive`),
      presented: mk.n(`vm${v.id}.presented`),
      enabled: mk.b(`vm${v.id}.enabled`),
      entries: range(scope.vpasids).map((vp) => ({
        used: mk.b(`vm${v.id}.vp${vp}.used`),
        ioasid: mk.n(`vm${v.id}.vp${vp}.ioasid`),
        pasid: mk.n(`vm${v.id}.vp${vp}.pasid`),
        explicit: mk.b(`vm${v.id}.vp${vp}.explicit`),
      })),
    })),
    notes: lay.noteKeys.map((k, i) => ({ pend: mk.b(`note${i}.${k.holder}${k.id}.${k.key}.pend`), rank: mk.n(`note${i}.rank`) })),
    mms: lay.sva ? range(scope.procs).map((p) => ({ pasid: mk.n(`mm${p}.pasid`), users: mk.n(`mm${p}.users`) })) : [],
    sva: scope.devices.map((d, i) =>
      lay.sva && lay.swq[i] ? range(scope.pasids).map((p) => ({ used: mk.b(`sva${d.id}.p${p}.used`), proc: mk.n(`sva${d.id}.p${p}.proc`) })) : [],
    ),
  };
}

/** Every leaf, in one fixed order (the order `build` makes them). */
export function flatten<BL, NL>(s: StateS<BL, NL>): (BL | NL)[] {
  const out: (BL | NL)[] = [...s.alive];
  for (const f of s.files) out.push(f.used, f.proc, f.fd);
  for (const io of s.ioasids) out.push(io.used, io.file, io.handle, io.pasid, io.blocked, io.users);
  out.push(...s.free);
  for (const t of s.tables) for (const e of t) out.push(e.used, e.ioasid, e.mdev, e.allowed);
  for (const q of s.queues) {
    out.push(q.len);
    for (const d of q.slots) out.push(d.issuer, d.pasid);
  }
  out.push(...s.allowed);
  for (const v of s.vms) {
    out.push(v.alive, v.presented, v.enabled);
    for (const e of v.entries) out.push(e.used, e.ioasid, e.pasid, e.explicit);
  }
  for (const n of s.notes) out.push(n.pend, n.rank);
  for (const m of s.mms) out.push(m.pasid, m.users);
  for (const t of s.sva) for (const e of t) out.push(e.used, e.proc);
  return out;
}

/** The inverse of `flatten`. */
export function unflatten<BL, NL>(lay: Layout, leaves: readonly (BL | NL)[], zero: NL): StateS<BL, NL> {
  let i = 0;
  const next = (): BL | NL => {
    if (i >= leaves.length) throw new Error('unflatten: too few leaves');
    return leaves[i++]!;
  };
  const s = build<BL, NL>(lay, { b: () => next() as BL, n: () => next() as NL, zero: () => (next(), zero) });
  if (i !== leaves.length) throw new Error('unflatten: too many leaves');
  return s;
}

/** A state of fresh constants named `${prefix}.${path}` (equal names are the same constant). */
export function freshState(sm: Smt, lay: Layout, prefix: string): SymState {
  return build<B, N>(lay, { b: (p) => sm.boolConst(`${prefix}.${p}`), n: (p) => sm.intConst(`${prefix}.${p}`), zero: () => sm.int(0) });
}

export function literalState(sm: Smt, lay: Layout, v: ValState): SymState {
  const leaves = flatten(v).map((x): Leaf => (typeof x === 'boolean' ? sm.bool(x) : sm.int(x)));
  return unflatten<B, N>(lay, leaves, sm.int(0));
}

export function leaves(s: SymState): Leaf[] {
  return flatten<B, N>(s);
}

class Unfit extends Error {
  constructor(what: string) {
    super(`state does not fit the symbolic layout: ${what}`);
  }
}

/** ▶ The concrete -> symbolic mapping: the values of every leaf for a model State. Throws if it does not fit. */
export function toVal(lay: Layout, s: State): ValState {
  const { scope } = lay;
  if (s.files.length > lay.files) throw new Unfit(`${s.files.length} files > ${lay.files}`);
  if (s.ioasids.length > lay.ioasids) throw new Unfit(`${s.ioasids.length} ioasids > ${lay.ioasids}`);
  let bits = 0;
  for (let p = 1; p <= scope.pasids; p++) bits |= 1 << p;
  if ((s.free & ~bits) !== 0) throw new Unfit(`free bits outside 1..${scope.pasids}`);
  const noteSlots = lay.noteKeys.map(() => ({ pend: false, rank: 0 }));
  s.notifications.forEach((n, rank) => {
    const k = noteIndex(lay, n.holder, n.id, n.key);
    if (k < 0 || noteSlots[k]!.pend) throw new Unfit(`notification ${JSON.stringify(n)}`);
    noteSlots[k] = { pend: true, rank };
  });
  return {
    alive: [...s.alive],
    files: range(lay.files).map((i) => {
      const f = s.files[i - 1];
      return f ? { used: true, proc: f.proc, fd: f.fd } : { used: false, proc: 0, fd: 0 };
    }),
    ioasids: range(lay.ioasids).map((j) => {
      const io = s.ioasids[j - 1];
      return io
        ? { used: true, file: io.file, handle: io.handle, pasid: io.pasid, blocked: io.blocked, users: io.users }
        : { used: false, file: 0, handle: 0, pasid: 0, blocked: false, users: 0 };
    }),
    free: range(scope.pasids).map((p) => (s.free & (1 << p)) !== 0),
    tables: scope.devices.map((_, d) => {
      const t = s.tables[d]!;
      if (t.some((e) => e.pasid < 1 || e.pasid > scope.pasids)) throw new Unfit(`table ${d + 1} pasid out of range`);
      return range(scope.pasids).map((p) => {
        const es = t.filter((e) => e.pasid === p);
        if (es.length > 1) throw new Unfit(`table ${d + 1} has two entries for pasid ${p}`);
        const e = es[0];
        return e ? { used: true, ioasid: e.ioasid, mdev: e.mdev, allowed: e.allowed } : { used: false, ioasid: 0, mdev: 0, allowed: false };
      });
    }),
    queues: scope.devices.map((_, d) => {
      const q = s.queues[d]!;
      if (!lay.swq[d]) {
        if (q.length > 0) throw new Unfit(`pdev ${d + 1} has a queue`);
        return { len: 0, slots: [] };
      }
      if (q.length > scope.swqDepth) throw new Unfit(`queue ${d + 1} longer than swqDepth`);
      return { len: q.length, slots: range(scope.swqDepth).map((k) => q[k - 1] ?? { issuer: 0, pasid: 0 }) };
    }),
    allowed: [...s.allowed],
    vms: s.vms.map((v, i) => {
      if (v.entries.some((e) => e.vpasid < 1 || e.vpasid > scope.vpasids)) throw new Unfit(`vm ${i + 1} vpasid out of range`);
      return {
        alive: v.alive,
        presented: v.presented,
        enabled: v.enabled,
        entries: range(scope.vpasids).map((vp) => {
          const es = v.entries.filter((e) => e.vpasid === vp);
          if (es.length > 1) throw new Unfit(`vm ${i + 1} has two entries for vpasid ${vp}`);
          const e = es[0];
          return e ? { used: true, ioasid: e.ioasid, pasid: e.pasid, explicit: e.explicit } : { used: false, ioasid: 0, pasid: 0, explicit: false };
        }),
      };
    }),
    notes: noteSlots,
    ...svaToVal(lay, s),
  };
}

/** The §10 part of toVal: none without SVA (a state with mms there does not fit). */
function svaToVal(lay: Layout, s: State): Pick<ValState, 'mms' | 'sva'> {
  const { scope } = lay;
  if (!lay.sva) {
    if (s.mms !== undefined || s.sva !== undefined) throw new Unfit('SVA state at a scope without SVA');
    return { mms: [], sva: scope.devices.map(() => []) };
  }
  if (!s.mms || !s.sva) throw new Unfit('no SVA state at an SVA scope');
  return {
    mms: s.mms.map((m) => ({ pasid: m.pasid, users: m.users })),
    sva: scope.devices.map((_, d) => {
      const t = s.sva![d]!;
      if (!lay.swq[d]) {
        if (t.length > 0) throw new Unfit(`pdev ${d + 1} has SVA entries`);
        return [];
      }
      if (t.some((e) => e.pasid < 1 || e.pasid > scope.pasids)) throw new Unfit(`device ${d + 1} SVA pasid out of range`);
      return range(scope.pasids).map((p) => {
        const es = t.filter((e) => e.pasid === p);
        if (es.length > 1) throw new Unfit(`device ${d + 1} has two SVA entries for pasid ${p}`);
        if (es.length === 1 && s.tables[d]!.some((e) => e.pasid === p)) throw new Unfit(`device ${d + 1} has a table and an SVA entry for pasid ${p}`);
        return es[0] ? { used: true, proc: es[0].proc } : { used: false, proc: 0 };
      });
    }),
  };
}

function trimmed<T>(xs: (T | null)[]): (T | null)[] {
  while (xs.length > 0 && xs[xs.length - 1] === null) xs.pop();
  return xs;
}

/** ▶ The symbolic -> concrete decoding: the model State a valuation stands for. */
export function fromVal(lay: Layout, v: ValState): State {
  const { scope } = lay;
  let free = 0;
  v.free.forEach((b, i) => {
    if (b) free |= 1 << (i + 1);
  });
  const pending = lay.noteKeys
    .map((k, i) => ({ k, i, n: v.notes[i]! }))
    .filter((x) => x.n.pend)
    .sort((a, b) => a.n.rank - b.n.rank || a.i - b.i);
  return {
    alive: [...v.alive],
    files: trimmed(v.files.map((f): FileObj | null => (f.used ? { proc: f.proc, fd: f.fd } : null))),
    ioasids: trimmed(
      v.ioasids.map((io): IoasidObj | null =>
        io.used ? { file: io.file, handle: io.handle, pasid: io.pasid, blocked: io.blocked, users: io.users } : null,
      ),
    ),
    free,
    tables: v.tables.map((t) =>
      t.flatMap((e, p): TableEntry[] => (e.used ? [{ pasid: p + 1, ioasid: e.ioasid, mdev: e.mdev, allowed: e.allowed }] : [])),
    ),
    queues: v.queues.map((q): Descriptor[] =>
      q.slots.slice(0, Math.max(0, Math.min(q.len, scope.swqDepth))).map((d) => ({ issuer: d.issuer, pasid: d.pasid })),
    ),
    allowed: [...v.allowed],
    vms: v.vms.map(
      (vm): VmObj => ({
        alive: vm.alive,
        presented: vm.presented,
        enabled: vm.enabled,
        entries: vm.entries.flatMap((e, i): KvmEntry[] =>
          e.used ? [{ vpasid: i + 1, ioasid: e.ioasid, pasid: e.pasid, explicit: e.explicit }] : [],
        ),
      }),
    ),
    notifications: pending.map(({ k }): Notification => ({ holder: k.holder, id: k.id, key: k.key })),
    ...(lay.sva
      ? {
          mms: v.mms.map((m): MmObj => ({ pasid: m.pasid, users: m.users })),
          sva: v.sva.map((t) => t.flatMap((e, p): SvaEntry[] => (e.used ? [{ pasid: p + 1, proc: e.proc }] : []))),
        }
      : {}),
  };
}

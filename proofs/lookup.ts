/**
 * Read-only queries on a symbolic state, the counterparts of the helpers in
 * model/state.ts and of the look-ups step.ts and invariants.ts make. Ids are
 * 1-based Int terms; a missing object reads as the model reads it (0, false).
 */
import type { SymState } from './symstate';
import type { B, N, Smt } from './z3';

export function fileUsed(sm: Smt, s: SymState, file: N): B {
  return sm.or(...s.files.map((f, k) => sm.and(sm.eq(file, k + 1), f.used)));
}

/** The process of a file, 0 if there is no such file. */
export function fileProc(sm: Smt, s: SymState, file: N): N {
  let e = sm.int(0);
  for (let k = s.files.length - 1; k >= 0; k--) e = sm.ite(sm.and(sm.eq(file, k + 1), s.files[k]!.used), s.files[k]!.proc, e);
  return e;
}

/** isOpen: the file is still open (its fd number not yet freed). */
export function fileOpen(sm: Smt, s: SymState, file: N): B {
  return sm.or(...s.files.map((f, k) => sm.and(sm.eq(file, k + 1), f.used, sm.ne(f.fd, 0))));
}

/** openFile: the id of the file open as `fd` in `proc`, or 0. */
export function openFile(sm: Smt, s: SymState, proc: number, fd: number): N {
  return sm.firstOf(s.files.map((f) => sm.and(f.used, sm.eq(f.fd, fd), sm.eq(f.proc, proc))));
}

/** liveIoasid: the id of the live ioasid with handle `h` in `file`, or 0. */
export function liveIoasid(sm: Smt, s: SymState, file: N, h: number): N {
  return sm.firstOf(s.ioasids.map((io) => sm.and(io.used, sm.eq(io.file, file), sm.eq(io.handle, h))));
}

function ioField(sm: Smt, s: SymState, id: N, field: 'file' | 'pasid' | 'handle' | 'users'): N {
  let e = sm.int(0);
  for (let j = s.ioasids.length - 1; j >= 0; j--) {
    const io = s.ioasids[j]!;
    e = sm.ite(sm.and(sm.eq(id, j + 1), io.used), io[field], e);
  }
  return e;
}

export function ioUsed(sm: Smt, s: SymState, id: N): B {
  return sm.or(...s.ioasids.map((io, j) => sm.and(sm.eq(id, j + 1), io.used)));
}

export function ioPasid(sm: Smt, s: SymState, id: N): N {
  return ioField(sm, s, id, 'pasid');
}

export function ioUsers(sm: Smt, s: SymState, id: N): N {
  return ioField(sm, s, id, 'users');
}

export function ioFile(sm: Smt, s: SymState, id: N): N {
  return ioField(sm, s, id, 'file');
}

export function ioLive(sm: Smt, s: SymState, id: N): B {
  return sm.or(...s.ioasids.map((io, j) => sm.and(sm.eq(id, j + 1), io.used, sm.ne(io.handle, 0))));
}

export function ioBlocked(sm: Smt, s: SymState, id: N): B {
  return sm.or(...s.ioasids.map((io, j) => sm.and(sm.eq(id, j + 1), io.used, io.blocked)));
}

/** ownerOf: the process owning an ioasid (its file's), or 0. */
export function ownerOf(sm: Smt, s: SymState, id: N): N {
  let e = sm.int(0);
  for (let j = s.ioasids.length - 1; j >= 0; j--) {
    const io = s.ioasids[j]!;
    e = sm.ite(sm.and(sm.eq(id, j + 1), io.used), fileProc(sm, s, io.file), e);
  }
  return e;
}

/** charged: the file's IOASIDs, live or parked, that hold a PASID. */
export function charged(sm: Smt, s: SymState, file: N): N {
  return sm.count(s.ioasids.map((io) => sm.and(io.used, sm.eq(io.file, file), sm.ne(io.pasid, 0))));
}

export function liveCount(sm: Smt, s: SymState, file: N): N {
  return sm.count(s.ioasids.map((io) => sm.and(io.used, sm.eq(io.file, file), sm.ne(io.handle, 0))));
}

/** The entry of device `dev` (1-based) keyed by a symbolic pasid: whether it exists and its ioasid. */
export function entryAt(sm: Smt, s: SymState, dev: number, pasid: N): { used: B; ioasid: N } {
  const t = s.tables[dev - 1]!;
  let ioasid = sm.int(0);
  for (let p = t.length; p >= 1; p--) ioasid = sm.ite(sm.and(sm.eq(pasid, p), t[p - 1]!.used), t[p - 1]!.ioasid, ioasid);
  return { used: sm.or(...t.map((e, i) => sm.and(sm.eq(pasid, i + 1), e.used))), ioasid };
}

/**
 * Whether `pred` holds of the process owning a file; `none` when there is no
 * such file. Written as a conjunction over slots (ids match one slot at
 * most), which the solver handles better than an equation between ite terms.
 */
export function fileProcIs(sm: Smt, s: SymState, file: N, pred: (proc: N) => B, none: boolean): B {
  if (!none) return sm.or(...s.files.map((f, k) => sm.and(sm.eq(file, k + 1), f.used, pred(f.proc))));
  return sm.and(...s.files.map((f, k) => sm.implies(sm.and(sm.eq(file, k + 1), f.used), pred(f.proc))));
}

/** Whether `pred` holds of ownerOf(id); `none` when the ioasid or its file is missing. */
export function ownerIs(sm: Smt, s: SymState, id: N, pred: (proc: N) => B, none: boolean): B {
  if (!none) return sm.or(...s.ioasids.map((io, j) => sm.and(sm.eq(id, j + 1), io.used, fileProcIs(sm, s, io.file, pred, false))));
  return sm.and(...s.ioasids.map((io, j) => sm.implies(sm.and(sm.eq(id, j + 1), io.used), fileProcIs(sm, s, io.file, pred, true))));
}

/**
 * reach (invariants.ts) is 0 or `owner`: a DMA through `dev`'s table with
 * `pasid` faults (no entry), is blocked, or lands in `owner`'s memory (an
 * IOASID whose file is missing reaches 0, as ownerOf says).
 */
export function reachesOnly(sm: Smt, s: SymState, dev: number, pasid: N, owner: N): B {
  const t = s.tables[dev - 1]!;
  return sm.and(
    ...t.map((e, i) =>
      sm.implies(
        sm.and(sm.eq(pasid, i + 1), e.used, sm.not(ioBlocked(sm, s, e.ioasid))),
        ownerIs(sm, s, e.ioasid, (p) => sm.or(sm.eq(p, 0), sm.eq(p, owner)), true),
      ),
    ),
    // §10: with no table entry, an SVA entry leads to its process while it is alive.
    ...s.sva[dev - 1]!.map((v, i) =>
      sm.implies(sm.and(sm.eq(pasid, i + 1), sm.not(t[i]!.used), v.used, procAlive(sm, s, v.proc)), sm.eq(v.proc, owner)),
    ),
  );
}

/** Process `proc` exists and is alive (false for a number out of range, as `alive[proc - 1]` reads). */
export function procAlive(sm: Smt, s: SymState, proc: N): B {
  return sm.or(...s.alive.map((a, k) => sm.and(sm.eq(proc, k + 1), a)));
}

/** §10: the SVA entry of device `dev` (1-based) keyed by a symbolic pasid: whether it exists and its process. */
export function svaAt(sm: Smt, s: SymState, dev: number, pasid: N): { used: B; proc: N } {
  const t = s.sva[dev - 1]!;
  let proc = sm.int(0);
  for (let p = t.length; p >= 1; p--) proc = sm.ite(sm.and(sm.eq(pasid, p), t[p - 1]!.used), t[p - 1]!.proc, proc);
  return { used: sm.or(...t.map((e, i) => sm.and(sm.eq(pasid, i + 1), e.used))), proc };
}

/** §10 svaBound: per SVA slot of `dev`, whether it is `proc`'s entry (at most one is, in a state that fits). */
export function svaBoundSlots(sm: Smt, s: SymState, proc: number, dev: number): B[] {
  return s.sva[dev - 1]!.map((e) => sm.and(e.used, sm.eq(e.proc, proc)));
}

/** Some holder of PASID p: an ioasid (live only, unless countParked), a table entry, a KVM entry, a descriptor; §10: an SVA entry, an mm. */
export function held(sm: Smt, s: SymState, p: number, countParked: boolean): B {
  const out: B[] = [];
  for (const io of s.ioasids) out.push(sm.and(io.used, sm.eq(io.pasid, p), countParked ? sm.T : sm.ne(io.handle, 0)));
  for (const t of s.tables) out.push(t[p - 1]!.used);
  for (const v of s.vms) for (const e of v.entries) out.push(sm.and(e.used, sm.eq(e.pasid, p)));
  for (const q of s.queues) q.slots.forEach((d, k) => out.push(sm.and(sm.lt(sm.int(k), q.len), sm.eq(d.pasid, p))));
  // §10: SVA entries are table entries, and an mm holding a PASID is a holder.
  for (const t of s.sva) if (t.length > 0) out.push(t[p - 1]!.used);
  for (const m of s.mms) out.push(sm.eq(m.pasid, p));
  return sm.or(...out);
}

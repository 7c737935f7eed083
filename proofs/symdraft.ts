/**
 * The symbolic counterpart of model/draft.ts: a working copy of a SymState on
 * which the lifecycle operations (get/put, destroy, recycle at zero with its
 * drain, the holders' releases, close, vm_destroy, exit) run. Each operation
 * takes a guard `g`: it changes the state only where `g` holds, so that a
 * loop of the model over objects found at run time becomes a loop over every
 * slot with "is it this one" guards, in the model's order.
 */
import { type Rules, blocksOnDestroy, busyOnDestroy, drainsOnRecycle, notifies, recyclesAtDestroy, svaFreeAtMmput } from '../model/rules';
import { type Layout, noteIndex } from './layout';
import type { DescS, EntryS, FileS, IoasidS, KvmS, MmS, NoteS, QueueS, SvaS, SymState, VmS } from './symstate';
import type { B, Leaf, N, Smt } from './z3';

type FileT = FileS<B, N>;
type IoasidT = IoasidS<B, N>;
type EntryT = EntryS<B, N>;
type KvmT = KvmS<B, N>;
type VmT = VmS<B, N>;
type QueueT = QueueS<N>;
type NoteT = NoteS<B, N>;
type MmT = MmS<N>;
type SvaT = SvaS<B, N>;

/** Field-wise ite on records of leaves. */
export function iteRec<T extends object>(sm: Smt, c: B, a: T, b: T): T {
  if (sm.isT(c) || a === b) return a;
  if (sm.isF(c)) return b;
  const out: Record<string, Leaf> = {};
  for (const k of Object.keys(a)) out[k] = sm.ite(c, (a as Record<string, Leaf>)[k]!, (b as Record<string, Leaf>)[k]!);
  return out as T;
}

export class SymDraft {
  alive: B[];
  files: FileT[];
  ioasids: IoasidT[];
  free: B[];
  tables: EntryT[][];
  queues: QueueT[];
  allowed: N[];
  vms: VmT[];
  notes: NoteT[];
  /** §10 (empty without SVA) */
  mms: MmT[];
  sva: SvaT[][];
  /** a new file or ioasid found no free slot (the layout's bound was too small) */
  overflow: B;

  readonly zeroFile: FileT;
  readonly zeroIo: IoasidT;
  readonly zeroEntry: EntryT;
  readonly zeroKvm: KvmT;
  readonly zeroDesc: DescS<N>;
  readonly zeroSva: SvaT;

  constructor(
    readonly sm: Smt,
    readonly lay: Layout,
    private readonly input: SymState,
  ) {
    const s = input;
    this.alive = [...s.alive];
    this.files = [...s.files];
    this.ioasids = [...s.ioasids];
    this.free = [...s.free];
    this.tables = s.tables.map((t) => [...t]);
    this.queues = [...s.queues];
    this.allowed = [...s.allowed];
    this.vms = [...s.vms];
    this.notes = [...s.notes];
    this.mms = [...s.mms];
    this.sva = s.sva.map((t) => [...t]);
    this.overflow = sm.F;
    const z = sm.int(0);
    this.zeroFile = { used: sm.F, proc: z, fd: z };
    this.zeroIo = { used: sm.F, file: z, handle: z, pasid: z, blocked: sm.F, users: z };
    this.zeroEntry = { used: sm.F, ioasid: z, mdev: z, allowed: sm.F };
    this.zeroKvm = { used: sm.F, ioasid: z, pasid: z, explicit: sm.F };
    this.zeroDesc = { issuer: z, pasid: z };
    this.zeroSva = { used: sm.F, proc: z };
  }

  get rules(): Rules {
    return this.lay.rules;
  }

  /** The draft as a state, without freeze's garbage collection of files. */
  snapshot(): SymState {
    return {
      alive: this.alive,
      files: this.files,
      ioasids: this.ioasids,
      free: this.free,
      tables: this.tables,
      queues: this.queues,
      allowed: this.allowed,
      vms: this.vms,
      notes: this.notes,
      mms: this.mms,
      sva: this.sva,
    };
  }

  /**
   * Whether freeze can forget a file: only if an fd was closed or a reference
   * to a file went away. On an input freeze had already collected (file-gc,
   * true of every state a run reaches), freeze is otherwise the identity.
   */
  private mayCollect(s: SymState): boolean {
    return (
      this.files.some((f, i) => f.fd !== s.files[i]!.fd) ||
      this.ioasids.some((io, j) => io.used !== s.ioasids[j]!.used || io.file !== s.ioasids[j]!.file) ||
      this.vms.some((v, i) => v.presented !== s.vms[i]!.presented) ||
      this.allowed.some((a, i) => a !== s.allowed[i])
    );
  }

  /**
   * Closed files nobody refers to any more are forgotten (Draft.freeze).
   * `since`: the state the step started from (default: the draft's input).
   */
  freeze(since: SymState = this.input): SymState {
    const sm = this.sm;
    if (!this.mayCollect(since)) return this.snapshot();
    this.files = this.files.map((f, i) => {
      const id = i + 1;
      const referenced = sm.or(
        ...this.ioasids.map((io) => sm.and(io.used, sm.eq(io.file, id))),
        ...this.vms.map((v) => sm.eq(v.presented, id)),
        ...this.allowed.map((a) => sm.eq(a, id)),
      );
      return iteRec(sm, sm.and(f.used, sm.eq(f.fd, 0), sm.not(referenced)), this.zeroFile, f);
    });
    return this.snapshot();
  }

  /** Guards of "the new object goes in slot k": the lowest unused slot. Records overflow. */
  newSlot(used: readonly B[], g: B): B[] {
    const sm = this.sm;
    const mask = sm.firstMask(used.map((u) => sm.not(u)));
    this.overflow = sm.or(this.overflow, sm.and(g, ...used));
    return mask.map((m) => sm.and(g, m));
  }

  /** +1 users: a new holder points at the ioasid. */
  get(id: N, g: B): void {
    const sm = this.sm;
    this.ioasids = this.ioasids.map((io, j) => iteRec(sm, sm.and(g, sm.eq(id, j + 1)), { ...io, users: sm.add(io.users, 1) }, io));
  }

  /** -1 users; at zero the slot is freed and its PASID recycled: drained (unless no-drain), back to the pool. */
  put(id: N, g: B): void {
    for (let j = 0; j < this.ioasids.length; j++) this.putSlot(j, this.sm.and(g, this.sm.eq(id, j + 1)));
  }

  /**
   * `inUse`: the iommufd rule of draft.ts putInUse applies (false from
   * destroy, which in a busy design runs only at users 1, where it cannot).
   */
  private putSlot(j: number, g: B, inUse = busyOnDestroy(this.rules)): void {
    const sm = this.sm;
    if (sm.isF(g)) return;
    const io = this.ioasids[j]!;
    // iommufd (§9): the last other holder of a closed file's IOASID lets go: it is destroyed and recycled now.
    const closing = inUse ? sm.and(g, sm.eq(io.users, 2), sm.ne(io.handle, 0), this.fdFreed(io.file)) : sm.F;
    const rest = sm.and(g, sm.not(closing));
    const many = sm.gt(io.users, 1);
    const kill = sm.and(rest, sm.not(many));
    this.ioasids[j] = iteRec(sm, kill, this.zeroIo, iteRec(sm, sm.and(rest, many), { ...io, users: sm.add(io.users, -1) }, io));
    this.recycle(io.pasid, sm.and(kill, sm.ne(io.pasid, 0)));
    if (sm.isF(closing)) return;
    this.ioasids[j] = iteRec(sm, closing, { ...this.ioasids[j]!, users: sm.int(1) }, this.ioasids[j]!);
    this.destroySlot(j, closing);
  }

  /** The file's fd number was freed (closed), as draft.ts reads `files[file - 1].fd === 0`. */
  private fdFreed(file: N): B {
    const sm = this.sm;
    return sm.or(...this.files.map((f, k) => sm.and(sm.eq(file, k + 1), f.used, sm.eq(f.fd, 0))));
  }

  /** A PASID nobody holds goes back to the pool, drained first (unless no-drain): draft.ts recycle. */
  private recycle(pasid: N, g: B): void {
    if (drainsOnRecycle(this.rules)) this.drainAll(pasid, g);
    this.release(pasid, g);
  }

  /** The PASID goes back to the free pool. */
  private release(pasid: N, g: B): void {
    const sm = this.sm;
    if (sm.isF(g)) return;
    this.free = this.free.map((f, i) => sm.or(f, sm.and(g, sm.eq(pasid, i + 1))));
  }

  drainAll(pasid: N, g: B): void {
    for (let d = 0; d < this.queues.length; d++) this.drainQueue(d, pasid, g);
  }

  /** Removes every descriptor tagged `pasid` from device d's queue (0-based), keeping the order. */
  drainQueue(d: number, pasid: N, g: B): void {
    const sm = this.sm;
    const q = this.queues[d]!;
    if (sm.isF(g) || q.slots.length === 0) return;
    const valid = q.slots.map((_, k) => sm.lt(sm.int(k), q.len));
    const kept = q.slots.map((x, k) => sm.and(valid[k]!, sm.not(sm.and(g, sm.eq(x.pasid, pasid)))));
    const pos = kept.map((_, k) => sm.count(kept.slice(0, k)));
    const slots = q.slots.map((_, m) => {
      let out = this.zeroDesc;
      for (let k = q.slots.length - 1; k >= m; k--) out = iteRec(sm, sm.and(kept[k]!, sm.eq(pos[k]!, m)), q.slots[k]!, out);
      return out;
    });
    this.queues[d] = { len: sm.count(kept), slots };
  }

  /** destroy: block DMA, free the handle, park the PASID (or recycle it at once), drop the FD's reference. */
  destroy(id: N, g: B): void {
    for (let j = 0; j < this.ioasids.length; j++) this.destroySlot(j, this.sm.and(g, this.sm.eq(id, j + 1)));
  }

  private destroySlot(j: number, g: B): void {
    const sm = this.sm;
    if (sm.isF(g)) return;
    const io = this.ioasids[j]!;
    let pasid = io.pasid;
    if (recyclesAtDestroy(this.rules)) {
      const now = sm.and(g, sm.ne(io.pasid, 0));
      this.drainAll(io.pasid, now);
      this.release(io.pasid, now);
      pasid = sm.ite(now, sm.int(0), io.pasid);
    }
    const blocked = sm.bool(blocksOnDestroy(this.rules));
    this.ioasids[j] = iteRec(sm, g, { ...io, handle: sm.int(0), pasid, blocked }, io);
    if (notifies(this.rules)) this.notifyHolders(j + 1, g);
    this.putSlot(j, g, false); // the FD no longer holds the destroyed ioasid
  }

  /** The entry a notification key names. */
  private noteEntry(k: number): { used: B; ioasid: N } {
    const key = this.lay.noteKeys[k]!;
    if (key.holder === 'kvm') return this.vms[key.id - 1]!.entries[key.key - 1]!;
    return this.tables[key.id - 1]![key.key - 1]!;
  }

  /** notifier-cleanup: one notification per entry holding ioasid `id`, appended in key order. */
  private notifyHolders(id: number, g: B): void {
    const sm = this.sm;
    const n = sm.count(this.notes.map((x) => x.pend));
    let offset: N = n;
    this.notes = this.notes.map((note, k) => {
      const e = this.noteEntry(k);
      const added = sm.and(g, e.used, sm.eq(e.ioasid, id));
      const out = iteRec(sm, added, { pend: sm.T, rank: offset }, note);
      offset = sm.ite(added, sm.add(offset, 1), offset);
      return out;
    });
  }

  /** Removes notification k if pending (a holder released its entry another way). */
  discard(k: number, g: B): void {
    const sm = this.sm;
    if (k < 0) return;
    const me = this.notes[k]!;
    const rem = sm.and(g, me.pend);
    if (sm.isF(rem)) return;
    this.notes = this.notes.map((x, i) =>
      i === k
        ? iteRec(sm, rem, { pend: sm.F, rank: sm.int(0) }, x)
        : iteRec(sm, sm.and(rem, x.pend, sm.gt(x.rank, me.rank)), { ...x, rank: sm.add(x.rank, -1) }, x),
    );
  }

  /** close: destroy the file's live IOASIDs in handle order, then free the fd number. */
  closeFile(file: N, g: B): void {
    const sm = this.sm;
    const busy = busyOnDestroy(this.rules);
    const freeFd = (): void => {
      this.files = this.files.map((f, k) => iteRec(sm, sm.and(g, sm.eq(file, k + 1)), { ...f, fd: sm.int(0) }, f));
    };
    // iommufd (§9): the fd number is freed first; an IOASID still in use stays live until putSlot destroys it.
    if (busy) freeFd();
    for (let h = 1; h <= this.lay.scope.quota; h++) {
      const mask = sm.firstMask(this.ioasids.map((io) => sm.and(io.used, sm.eq(io.file, file), sm.eq(io.handle, h))));
      mask.forEach((m, j) => this.destroySlot(j, sm.and(g, m, busy ? sm.eq(this.ioasids[j]!.users, 1) : sm.T)));
    }
    if (!busy) freeFd();
  }

  /** Removes device dev's (1-based) entry for pasid p (detach; mdev_detach drains first). */
  releaseTableEntry(dev: number, p: number, drain: boolean, g: B): void {
    const sm = this.sm;
    const e = this.tables[dev - 1]![p - 1]!;
    const g2 = sm.and(g, e.used);
    if (sm.isF(g2)) return;
    if (drain) this.drainQueue(dev - 1, sm.int(p), g2);
    this.tables[dev - 1]![p - 1] = iteRec(sm, g2, this.zeroEntry, e);
    this.discard(noteIndex(this.lay, 'pdev', dev, p), sm.and(g2, sm.eq(e.mdev, 0)));
    this.discard(noteIndex(this.lay, 'parent', dev, p), sm.and(g2, sm.ne(e.mdev, 0)));
    this.put(e.ioasid, g2); // the table entry is gone
  }

  addTableEntry(dev: number, pasid: N, ioasid: N, mdev: N, allowed: B, g: B): void {
    const sm = this.sm;
    const t = this.tables[dev - 1]!;
    for (let p = 1; p <= t.length; p++) t[p - 1] = iteRec(sm, sm.and(g, sm.eq(pasid, p)), { used: sm.T, ioasid, mdev, allowed }, t[p - 1]!);
    this.get(ioasid, g); // the table entry holds the ioasid
  }

  addKvmEntry(vm: number, vp: number, ioasid: N, pasid: N, explicit: B, g: B): void {
    const sm = this.sm;
    const v = this.vms[vm - 1]!;
    const entries = [...v.entries];
    entries[vp - 1] = iteRec(sm, g, { used: sm.T, ioasid, pasid, explicit }, entries[vp - 1]!);
    this.vms[vm - 1] = { ...v, entries };
    this.get(ioasid, g); // the KVM entry holds the ioasid
  }

  releaseKvmEntry(vm: number, vp: number, g: B): void {
    const sm = this.sm;
    const v = this.vms[vm - 1]!;
    const e = v.entries[vp - 1]!;
    const g2 = sm.and(g, e.used);
    if (sm.isF(g2)) return;
    const entries = [...v.entries];
    entries[vp - 1] = iteRec(sm, g2, this.zeroKvm, e);
    this.vms[vm - 1] = { ...v, entries };
    this.discard(noteIndex(this.lay, 'kvm', vm, vp), g2);
    this.put(e.ioasid, g2); // the KVM entry is gone
  }

  /** vm_destroy: entries released in vpasid order, FD forgotten, table disabled, VM gone. */
  destroyVm(vm: number, g: B): void {
    const sm = this.sm;
    const snapshot = this.vms[vm - 1]!.entries;
    snapshot.forEach((e, i) => this.releaseKvmEntry(vm, i + 1, sm.and(g, e.used)));
    const cur = this.vms[vm - 1]!;
    this.vms[vm - 1] = {
      alive: sm.ite(g, sm.F, cur.alive),
      presented: sm.ite(g, sm.int(0), cur.presented),
      enabled: sm.ite(g, sm.F, cur.enabled),
      entries: cur.entries.map((e) => iteRec(sm, g, this.zeroKvm, e)),
    };
  }

  /** exit: VMs, pdev entries, mdev entries (allowances cleared), then files; the process is gone. */
  exitProc(proc: number, g: B): void {
    const sm = this.sm;
    const { scope } = this.lay;
    for (const vm of scope.vms) if (vm.owner === proc) this.destroyVm(vm.id, sm.and(g, this.vms[vm.id - 1]!.alive));
    for (const dev of scope.devices) {
      if (dev.kind !== 'pdev' || dev.owner !== proc) continue;
      const snapshot = [...this.tables[dev.id - 1]!];
      snapshot.forEach((e, i) => this.releaseTableEntry(dev.id, i + 1, false, sm.and(g, e.used)));
    }
    for (const m of scope.mdevs) {
      if (m.owner !== proc) continue;
      const snapshot = [...this.tables[m.parent - 1]!];
      snapshot.forEach((e, i) => this.releaseTableEntry(m.parent, i + 1, true, sm.and(g, e.used, sm.eq(e.mdev, m.id))));
      this.allowed[m.id - 1] = sm.ite(g, sm.int(0), this.allowed[m.id - 1]!);
    }
    for (let fd = 1; fd <= scope.fdsPerProc; fd++) {
      const file = sm.firstOf(this.files.map((f) => sm.and(f.used, sm.eq(f.proc, proc), sm.eq(f.fd, fd))));
      this.closeFile(file, sm.and(g, sm.ne(file, 0)));
    }
    this.alive[proc - 1] = sm.ite(g, sm.F, this.alive[proc - 1]!);
    if (this.lay.sva) this.exitMm(proc, g);
  }

  // ---- SVA (§10): the mm's PASID (draft.ts mmDrop, exitMm, svaBind, svaUnbind) ----

  /** -1 mm reference; at zero the mm is freed and its PASID, if it still holds one, recycled. */
  mmDrop(proc: number, g: B): void {
    const sm = this.sm;
    const m = this.mms[proc - 1]!;
    const many = sm.gt(m.users, 1);
    const zero = sm.and(g, sm.not(many));
    this.mms[proc - 1] = iteRec(sm, sm.and(g, many), { ...m, users: sm.add(m.users, -1) }, iteRec(sm, zero, { pasid: sm.int(0), users: sm.int(0) }, m));
    this.recycle(m.pasid, sm.and(zero, sm.ne(m.pasid, 0)));
  }

  /** The end of exit: exit_mm; under svaPasidFree: mmput the PASID goes straight back to the pool, undrained. */
  exitMm(proc: number, g: B): void {
    const sm = this.sm;
    if (svaFreeAtMmput(this.rules)) {
      const m = this.mms[proc - 1]!;
      const now = sm.and(g, sm.ne(m.pasid, 0));
      this.release(m.pasid, now);
      this.mms[proc - 1] = iteRec(sm, now, { ...m, pasid: sm.int(0) }, m);
    }
    this.mmDrop(proc, g);
  }

  /** sva_bind's success: the mm takes `pasid` (if it had none), dev's SVA entry for it names proc, +1 mm reference. */
  svaBind(proc: number, dev: number, pasid: N, g: B): void {
    const sm = this.sm;
    const m = this.mms[proc - 1]!;
    const takes = sm.and(g, sm.eq(m.pasid, 0));
    this.free = this.free.map((f, i) => sm.and(f, sm.not(sm.and(takes, sm.eq(pasid, i + 1)))));
    this.mms[proc - 1] = iteRec(sm, g, { pasid, users: sm.add(m.users, 1) }, m);
    const t = this.sva[dev - 1]!;
    for (let p = 1; p <= t.length; p++) t[p - 1] = iteRec(sm, sm.and(g, sm.eq(pasid, p)), { used: sm.T, proc: sm.int(proc) }, t[p - 1]!);
  }

  /** sva_unbind (and each of exit_files): drain dev's queue of the mm's PASID, remove proc's entry, -1 mm reference. */
  svaUnbind(proc: number, dev: number, g: B): void {
    const sm = this.sm;
    if (sm.isF(g)) return;
    const t = this.sva[dev - 1]!;
    const mine = sm.firstMask(t.map((e) => sm.and(e.used, sm.eq(e.proc, proc))));
    const pasid = this.mms[proc - 1]!.pasid; // none if the mm holds none (svaPasidFree: mmput, after exit_mm)
    this.drainQueue(dev - 1, pasid, sm.and(g, sm.ne(pasid, 0)));
    for (let p = 1; p <= t.length; p++) t[p - 1] = iteRec(sm, sm.and(g, mine[p - 1]!), this.zeroSva, t[p - 1]!);
    this.mmDrop(proc, g);
  }
}

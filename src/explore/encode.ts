/**
 * Canonical byte encoding of a model state, for the explorer's state store.
 *
 * Object ids (files, ioasids) are slot numbers that depend on history; the
 * encoding renumbers them in order of first appearance along a fixed walk of
 * the state, so two states that differ only in slot numbering encode alike.
 * Two further merges, both of states no call and no invariant can tell apart:
 *  - an mdev allowance for a closed file encodes as "none": mdev_allow_pasid
 *    replaces either without -EBUSY, mdev_attach refuses both with -EPERM, and
 *    the allowed ghost bit of a new entry is false under both;
 *  - a VM's presented file, once closed, encodes as "closed" without its
 *    identity: a closed file is never equal to the open file a call names, it
 *    never makes -EBUSY, and all that is asked of it is "ever presented"
 *    (-EINVAL) and "since closed" (-EBADF).
 *  - a dead IOASID (destroyed and holding no PASID, only in the variants that
 *    recycle at destroy) encodes, at each entry pointing at it, as its owner
 *    process and blocked bit, without identity: it can never be named by a
 *    call again, owns no PASID and no quota, and its removal at zero users is
 *    invisible. What would tell two such states apart is refcount-exact on the
 *    dead ones, so the number of dead IOASIDs whose users differ from their
 *    holders is encoded too.
 * Every value is a byte (scopes are capped so that they fit: see checkScope).
 */
import type { Scope, State } from '../../model/index';

const NONE = 0;
const CLOSED = 255;

export class Encoder {
  /** the scratch buffer the last encoding was written into */
  readonly buf: Uint8Array;
  len = 0;
  private readonly fileCanon: Int32Array;
  private readonly ioCanon: Int32Array;
  private readonly holders: Int32Array;
  private readonly slots = new Int32Array(1024);
  private readonly slots2 = new Int32Array(1024);
  private fileOrder: number[] = [];
  private ioOrder: number[] = [];

  constructor(private readonly scope: Scope) {
    this.buf = new Uint8Array(4096);
    this.fileCanon = new Int32Array(256);
    this.ioCanon = new Int32Array(256);
    this.holders = new Int32Array(256);
  }

  private put(v: number): void {
    this.buf[this.len++] = v;
  }

  private file(id: number): number {
    if (id === 0) return NONE;
    let c = this.fileCanon[id]!;
    if (c === 0) {
      this.fileOrder.push(id);
      c = this.fileCanon[id] = this.fileOrder.length;
    }
    return c;
  }

  /** An entry's reference to an ioasid: its canonical number, or its owner if dead. */
  private ref(s: State, id: number): number {
    const io = s.ioasids[id - 1]!;
    if (io.handle !== 0 || io.pasid !== 0) return this.io(id);
    this.holders[id] = this.holders[id]! + 1;
    return 0x80 | (io.blocked ? 0x40 : 0) | s.files[io.file - 1]!.proc;
  }

  private io(id: number): number {
    let c = this.ioCanon[id]!;
    if (c === 0) {
      this.ioOrder.push(id);
      c = this.ioCanon[id] = this.ioOrder.length;
    }
    return c;
  }

  /** Encodes `s` into `buf[0..len)`. */
  encode(s: State): void {
    const { scope } = this;
    this.len = 0;
    for (const id of this.fileOrder) this.fileCanon[id] = 0;
    for (const id of this.ioOrder) this.ioCanon[id] = 0;
    this.fileOrder = [];
    this.ioOrder = [];
    this.holders.fill(0);

    let alive = 0;
    for (let i = 0; i < s.alive.length; i++) if (s.alive[i]) alive |= 1 << i;
    this.put(alive & 255);
    this.put(alive >>> 8);
    for (let b = 0; b < 4; b++) this.put((s.free >>> (8 * b)) & 255);

    // Open files, by (proc, fd): their identity is their fd slot.
    const files = s.files;
    const fdSlot = this.slots;
    const nfd = scope.procs * scope.fdsPerProc;
    fdSlot.fill(0, 0, nfd);
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      if (f && f.fd !== 0) fdSlot[(f.proc - 1) * scope.fdsPerProc + f.fd - 1] = i + 1;
    }
    for (let k = 0; k < nfd; k++) this.put(this.file(fdSlot[k]!));
    // Live IOASIDs of each open file, by handle.
    const ios = s.ioasids;
    const q = scope.quota;
    const openCount = this.fileOrder.length;
    const live = this.slots2;
    live.fill(0, 0, (openCount + 1) * q);
    for (let i = 0; i < ios.length; i++) {
      const io = ios[i];
      if (!io || io.handle === 0) continue;
      const c = this.fileCanon[io.file]!;
      if (c !== 0 && c <= openCount) live[(c - 1) * q + io.handle - 1] = i + 1;
    }
    for (let k = 0; k < openCount * q; k++) {
      const id = live[k]!;
      this.put(id === 0 ? NONE : this.io(id));
    }
    for (const vm of s.vms) {
      const presented = vm.presented === 0 ? NONE : files[vm.presented - 1]!.fd === 0 ? CLOSED : this.file(vm.presented);
      this.put((vm.alive ? 1 : 0) | (vm.enabled ? 2 : 0));
      this.put(presented);
      this.put(vm.entries.length);
      for (const e of vm.entries) {
        this.put(e.vpasid);
        this.put(this.ref(s, e.ioasid));
        this.put(e.pasid);
        this.put(e.explicit ? 1 : 0);
      }
    }
    for (const a of s.allowed) this.put(a === 0 || files[a - 1]!.fd === 0 ? NONE : this.file(a));
    for (let d = 0; d < s.tables.length; d++) {
      const t = s.tables[d]!;
      this.put(t.length);
      for (const e of t) {
        this.put(e.pasid);
        this.put(this.ref(s, e.ioasid));
        this.put(e.mdev);
        this.put(e.allowed ? 1 : 0);
      }
      const q = s.queues[d]!;
      this.put(q.length);
      for (const x of q) {
        this.put(x.issuer);
        this.put(x.pasid);
      }
    }
    this.put(s.notifications.length);
    for (const n of s.notifications) {
      this.put(n.holder === 'pdev' ? 1 : n.holder === 'parent' ? 2 : 3);
      this.put(n.id);
      this.put(n.key);
    }
    // Any IOASID nothing refers to (only in a state breaking refcount-exact).
    let deadMiscounted = 0;
    for (let i = 0; i < ios.length; i++) {
      const io = ios[i];
      if (!io) continue;
      if (io.handle !== 0 || io.pasid !== 0) this.io(i + 1);
      else if (io.users !== this.holders[i + 1]) deadMiscounted++;
    }
    this.put(deadMiscounted);
    // The objects themselves, in canonical order (files first met here are numbered on the way).
    this.put(this.ioOrder.length);
    for (let k = 0; k < this.ioOrder.length; k++) {
      const io = ios[this.ioOrder[k]! - 1]!;
      this.put(this.file(io.file));
      this.put(io.handle);
      this.put(io.pasid);
      this.put(io.blocked ? 1 : 0);
      this.put(io.users);
    }
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      if (f && f.fd !== 0) this.file(i + 1);
    }
    this.put(this.fileOrder.length);
    for (const id of this.fileOrder) {
      const f = files[id - 1]!;
      this.put(f.proc);
      this.put(f.fd);
    }
  }
}

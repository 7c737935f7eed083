/**
 * Canonical encoding of a model state, for the explorer's state store: a few
 * dozen bytes, read as 32-bit words.
 *
 * Object ids (files, ioasids) are slot numbers that depend on history; the
 * encoding renumbers them in order of first appearance along a fixed walk of
 * the state, so two states that differ only in slot numbering encode alike.
 * Three further merges, each of states no call and no invariant can tell apart:
 *  - an mdev allowance for a closed file encodes as "none": mdev_allow_pasid
 *    replaces either without -EBUSY, mdev_attach refuses both with -EPERM, and
 *    the allowed ghost bit of a new entry is false under both;
 *  - a VM's presented file, once closed, encodes as "closed" without its
 *    identity: a closed file is never equal to the open file a call names, it
 *    never makes -EBUSY, and all that is asked of it is "ever presented"
 *    (-EINVAL) and "since closed" (-EBADF);
 *  - a dead IOASID (destroyed and holding no PASID, only in the variants that
 *    recycle at destroy) encodes, at each entry pointing at it, as its owner
 *    process and blocked bit, without identity: it can never be named by a
 *    call again, owns no PASID and no quota, and its removal at zero users is
 *    invisible. What would tell two such states apart is refcount-exact on the
 *    dead ones, so the number of dead IOASIDs whose users differ from their
 *    holders is encoded too.
 * One more, optional, is not a bisimulation but keeps every verdict and every
 * shortest length: the FIFO order of `notifier-cleanup` (see notifications.ts).
 * Every value must fit a byte: scopes are bounded by src/scopes.ts.
 *
 * The bytes are then packed a nibble each (most are below 15; 15 escapes a
 * byte, as 15, high nibble, low nibble), which halves the stored size. The
 * byte sequence is self-delimiting, the nibble code is prefix-free, so the
 * packed words (zero-padded) are canonical too. decode.ts unpacks.
 */
import type { Scope } from '../../model/scope';
import type { State } from '../../model/state';
import { HASH_SEED, hashEnd, hashStep } from './store';

const NONE = 0;
const CLOSED = 255;
const DANGLING = 254;
const MAX_IDS = 256;

export class Encoder {
  /** the last encoding, as words[0..nWords) */
  readonly words = new Uint32Array(1024);
  nWords = 0;
  /** hashWords(words, 0, nWords), computed while packing */
  hash = 0;
  /** the encoding before packing */
  private readonly bytes = new Uint8Array(2048);
  private readonly fileCanon = new Int32Array(MAX_IDS);
  private readonly ioCanon = new Int32Array(MAX_IDS);
  private readonly holders = new Int32Array(MAX_IDS);
  private readonly fileOrder = new Int32Array(MAX_IDS);
  private readonly ioOrder = new Int32Array(MAX_IDS);
  private readonly slot = new Int32Array(MAX_IDS);
  /** the pending notifications' codes, in the order encoded; 3 bytes each, so fewer than bytes.length / 3 */
  private readonly codes = new Int32Array(1024);
  private nFiles = 0;
  private nIos = 0;

  /**
   * @param notificationsAsSet encode the pending notifications of
   *   `notifier-cleanup` as a set, forgetting their FIFO order: see
   *   src/explore/notifications.ts for why this keeps every verdict and length.
   */
  constructor(
    private readonly scope: Scope,
    private readonly notificationsAsSet = false,
  ) {}

  private file(id: number): number {
    if (id === 0) return NONE;
    let c = this.fileCanon[id]!;
    if (c === 0) {
      this.fileOrder[this.nFiles++] = id;
      c = this.fileCanon[id] = this.nFiles;
    }
    return c;
  }

  private io(id: number): number {
    let c = this.ioCanon[id]!;
    if (c === 0) {
      this.ioOrder[this.nIos++] = id;
      c = this.ioCanon[id] = this.nIos;
    }
    return c;
  }

  /** An entry's reference to an ioasid: its canonical number, or its owner if dead. */
  private ref(s: State, id: number): number {
    const io = s.ioasids[id - 1];
    if (!io) return DANGLING; // a model bug; the invariants report it, the encoding must not crash
    if (io.handle !== 0 || io.pasid !== 0) return this.io(id);
    this.holders[id]!++;
    return 0x80 | (io.blocked ? 0x40 : 0) | (s.files[io.file - 1]?.proc ?? 0);
  }

  /**
   * Encodes `s` into `words[0..nWords)`. One long method on purpose (the
   * house's 80-line bound excepts it): it is the explorer's hot path, run for
   * every transition followed, and kept as one pass over the state.
   */
  encode(s: State): void {
    const { scope, bytes: b } = this;
    for (let i = 0; i < this.nFiles; i++) this.fileCanon[this.fileOrder[i]!] = 0;
    for (let i = 0; i < this.nIos; i++) this.ioCanon[this.ioOrder[i]!] = 0;
    this.nFiles = 0;
    this.nIos = 0;
    const files = s.files;
    const ios = s.ioasids;
    // Loops, not TypedArray.fill: for these few words a fill's call costs more than the
    // stores (the three fills were ~20% of encode's own time in a profile at default).
    const holders = this.holders;
    for (let i = 0; i <= ios.length; i++) holders[i] = 0;
    let n = 0;

    let alive = 0;
    for (let i = 0; i < s.alive.length; i++) if (s.alive[i]) alive |= 1 << i;
    b[n++] = alive;
    b[n++] = s.free;
    b[n++] = s.free >>> 8;
    b[n++] = s.free >>> 16;
    b[n++] = s.free >>> 24;

    // Open files, by (proc, fd): their identity is their fd slot.
    const slot = this.slot;
    const fds = scope.fdsPerProc;
    const nfd = scope.procs * fds;
    for (let k = 0; k < nfd; k++) slot[k] = 0;
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      if (f && f.fd !== 0) slot[(f.proc - 1) * fds + f.fd - 1] = i + 1;
    }
    for (let k = 0; k < nfd; k++) b[n++] = this.file(slot[k]!);
    // Live IOASIDs of each open file, by handle.
    const q = scope.quota;
    const open = this.nFiles;
    for (let k = 0; k < open * q; k++) slot[k] = 0;
    for (let i = 0; i < ios.length; i++) {
      const io = ios[i];
      if (!io || io.handle === 0) continue;
      const c = this.fileCanon[io.file]!;
      if (c !== 0) slot[(c - 1) * q + io.handle - 1] = i + 1;
    }
    for (let k = 0; k < open * q; k++) b[n++] = slot[k] === 0 ? NONE : this.io(slot[k]!);

    for (const vm of s.vms) {
      b[n++] = (vm.alive ? 1 : 0) | (vm.enabled ? 2 : 0);
      const p = vm.presented === 0 ? null : files[vm.presented - 1];
      b[n++] = vm.presented === 0 ? NONE : !p ? DANGLING : p.fd === 0 ? CLOSED : this.file(vm.presented);
      b[n++] = vm.entries.length;
      for (const e of vm.entries) {
        b[n++] = e.vpasid;
        b[n++] = this.ref(s, e.ioasid);
        b[n++] = e.pasid;
        b[n++] = e.explicit ? 1 : 0;
      }
    }
    for (const a of s.allowed) {
      const f = a === 0 ? null : files[a - 1];
      b[n++] = a === 0 ? NONE : !f ? DANGLING : f.fd === 0 ? NONE : this.file(a);
    }
    for (let d = 0; d < s.tables.length; d++) {
      const t = s.tables[d]!;
      b[n++] = t.length;
      for (const e of t) {
        b[n++] = e.pasid;
        b[n++] = this.ref(s, e.ioasid);
        b[n++] = e.mdev;
        b[n++] = e.allowed ? 1 : 0;
      }
      const qu = s.queues[d]!;
      b[n++] = qu.length;
      for (const x of qu) {
        b[n++] = x.issuer;
        b[n++] = x.pasid;
      }
    }
    const ns = s.notifications;
    b[n++] = ns.length;
    // Each as (holder, id, key): in FIFO order, or as a set (notificationsAsSet) sorted by
    // insertion into a kept buffer; a map and a sort allocated two arrays and called a
    // comparator per pair (a fifth of encode's time in notifier-cleanup).
    const codes = this.codes;
    const sorted = this.notificationsAsSet;
    for (let i = 0; i < ns.length; i++) {
      const x = ns[i]!;
      const c = ((x.holder === 'pdev' ? 1 : x.holder === 'parent' ? 2 : 3) << 16) | (x.id << 8) | x.key;
      let j = i;
      if (sorted) for (; j > 0 && codes[j - 1]! > c; j--) codes[j] = codes[j - 1]!;
      codes[j] = c;
    }
    for (let i = 0; i < ns.length; i++) {
      const c = codes[i]!;
      b[n++] = c >>> 16;
      b[n++] = c >>> 8;
      b[n++] = c;
    }
    // IOASIDs nothing refers to (only in a state breaking refcount-exact), and
    // the dead ones whose users do not match their holders.
    let deadMiscounted = 0;
    for (let i = 0; i < ios.length; i++) {
      const io = ios[i];
      if (!io) continue;
      if (io.handle !== 0 || io.pasid !== 0) this.io(i + 1);
      else if (io.users !== this.holders[i + 1]) deadMiscounted++;
    }
    b[n++] = deadMiscounted;
    // The objects themselves, in canonical order (files first met here are numbered on the way).
    b[n++] = this.nIos;
    for (let k = 0; k < this.nIos; k++) {
      const io = ios[this.ioOrder[k]! - 1]!;
      b[n++] = this.file(io.file);
      b[n++] = io.handle;
      b[n++] = io.pasid;
      b[n++] = io.blocked ? 1 : 0;
      b[n++] = io.users;
    }
    b[n++] = this.nFiles;
    for (let k = 0; k < this.nFiles; k++) {
      const f = files[this.fileOrder[k]! - 1];
      b[n++] = f ? f.proc : DANGLING;
      b[n++] = f ? f.fd : DANGLING;
    }
    // §10, SVA scopes only: each mm (PASID, refcount), each device's SVA entries.
    if (s.mms && s.sva) {
      for (const m of s.mms) {
        b[n++] = m.pasid;
        b[n++] = m.users;
      }
      for (const t of s.sva) {
        b[n++] = t.length;
        for (const e of t) {
          b[n++] = e.pasid;
          b[n++] = e.proc;
        }
      }
    }
    this.pack(n);
  }

  /** bytes[0..n) a nibble each into words, hashing each word as it is done. */
  private pack(n: number): void {
    const { bytes: b, words } = this;
    let h = HASH_SEED;
    let w = 0;
    let acc = 0;
    let shift = 0;
    for (let i = 0; i < n; i++) {
      const x = b[i]!;
      if (x < 15) {
        acc |= x << shift;
        shift += 4;
      } else {
        // 15, then the byte's two nibbles: up to 12 bits, spilling into the next word
        const code = 15 | ((x >>> 4) << 4) | ((x & 15) << 8);
        acc |= code << shift;
        shift += 12;
        if (shift >= 32) {
          words[w] = acc;
          h = hashStep(h, words[w++]!);
          shift -= 32;
          acc = shift === 0 ? 0 : code >>> (12 - shift);
        }
        continue;
      }
      if (shift === 32) {
        words[w] = acc;
        h = hashStep(h, words[w++]!);
        acc = 0;
        shift = 0;
      }
    }
    if (shift > 0) {
      words[w] = acc;
      h = hashStep(h, words[w++]!);
    }
    this.nWords = w;
    this.hash = hashEnd(h, w);
  }
}

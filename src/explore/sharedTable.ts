/**
 * The state set the parallel BFS (parallelBfs.ts) shares between its worker
 * threads, lock-free, in SharedArrayBuffers (after LTSmin's tables):
 *  - an arena of 32-bit words holding the encodings end to end, allocated by
 *    an atomic bump pointer;
 *  - an open-addressing table of slots, claimed with compareExchange: 0 is
 *    empty, i+1 names state i of an earlier level, -(t+1) names the t-th
 *    state found in the level under way (a "tid");
 *  - per state (by BFS index): where its encoding is and how long it is;
 *  - per tid of the level under way: its encoding, its slot, the invariants it
 *    breaks, and its key: the least (frontier position, action index) of a
 *    transition that reached it, lowered by a compareExchange loop.
 * Between levels the coordinator numbers the level's tids in key order, which
 * is the order a sequential BFS finds them in, and writes the numbers into
 * their slots. A worker that finds the table, the tid space or the arena full
 * raises STOP; the coordinator then undoes the level, grows and runs it again.
 */
import { INVARIANTS } from '../../model/invariants';
import type { Lemma } from '../../model/lemmas';
import type { Scope } from '../../model/scope';
import type { State } from '../../model/state';
import type { Design } from '../../model/variants';

/** Control words (an Int32Array). */
export const CTL = { arenaTop: 0, newCount: 1, cursor: 2, stop: 3, done: 4, size: 8 } as const;
/** tidSlot of a tid that lost a race: the encoding was already there. */
export const DEAD = 0xffffffff;

export interface SharedBuffers {
  readonly ctl: SharedArrayBuffer;
  readonly table: SharedArrayBuffer;
  readonly arena: SharedArrayBuffer;
  /** per state: arena offset (Uint32) and length in words (Uint16) */
  readonly off: SharedArrayBuffer;
  readonly len: SharedArrayBuffer;
  /** per tid: arena offset, length, key, slot, broken-invariant bits */
  readonly tidOff: SharedArrayBuffer;
  readonly tidLen: SharedArrayBuffer;
  readonly tidKey: SharedArrayBuffer;
  readonly tidSlot: SharedArrayBuffer;
  readonly tidBad: SharedArrayBuffer;
}

/** Typed views of SharedBuffers. */
export class SharedViews {
  readonly ctl: Int32Array;
  readonly table: Int32Array;
  readonly mask: number;
  readonly arena: Uint32Array;
  readonly off: Uint32Array;
  readonly len: Uint16Array;
  readonly tidOff: Uint32Array;
  readonly tidLen: Uint16Array;
  readonly tidKey: Uint32Array;
  readonly tidSlot: Uint32Array;
  readonly tidBad: Uint32Array;

  constructor(readonly b: SharedBuffers) {
    this.ctl = new Int32Array(b.ctl);
    this.table = new Int32Array(b.table);
    this.mask = this.table.length - 1;
    this.arena = new Uint32Array(b.arena);
    this.off = new Uint32Array(b.off);
    this.len = new Uint16Array(b.len);
    this.tidOff = new Uint32Array(b.tidOff);
    this.tidLen = new Uint16Array(b.tidLen);
    this.tidKey = new Uint32Array(b.tidKey);
    this.tidSlot = new Uint32Array(b.tidSlot);
    this.tidBad = new Uint32Array(b.tidBad);
  }

  /** The encoding of state `index`, as bytes (a view into the arena). */
  encoding(index: number): Uint8Array {
    return new Uint8Array(this.b.arena, this.off[index]! * 4, this.len[index]! * 4);
  }
}

/** What a worker may use of the level under way. */
export interface LevelLimits {
  /** tids 0..tidCap-1 may be taken */
  readonly tidCap: number;
  /** arena words 0..arenaCap-1 may be used */
  readonly arenaCap: number;
}

/**
 * Looks `words[0..n)` up and adds it as a new tid if absent; reached by
 * transition `key`. Returns the new tid, -1 if the state was known (its key
 * lowered if it is new in this level), or -2 if a limit was hit (STOP raised).
 */
export function insertShared(v: SharedViews, lim: LevelLimits, words: Uint32Array, n: number, hash: number, key: number): number {
  const { table, arena, mask } = v;
  let slot = hash & mask;
  let tid = -1;
  for (;;) {
    let x = Atomics.load(table, slot);
    if (x === 0) {
      if (tid < 0) {
        tid = claim(v, lim, words, n, key);
        if (tid < 0) return -2;
      }
      v.tidSlot[tid] = slot;
      x = Atomics.compareExchange(table, slot, 0, -(tid + 1));
      if (x === 0) return tid;
    }
    let a: number;
    let len: number;
    let other = -1;
    if (x > 0) {
      a = v.off[x - 1]!;
      len = v.len[x - 1]!;
    } else {
      other = -x - 1;
      a = v.tidOff[other]!;
      len = v.tidLen[other]!;
    }
    if (len === n) {
      let i = 0;
      while (i < n && arena[a + i] === words[i]) i++;
      if (i === n) {
        if (other >= 0) lowerKey(v.tidKey, other, key);
        if (tid >= 0) v.tidSlot[tid] = DEAD;
        return -1;
      }
    }
    slot = (slot + 1) & mask;
  }
}

/** Takes a tid and arena room for words[0..n) and writes them; -1 (STOP raised) if either is full. */
function claim(v: SharedViews, lim: LevelLimits, words: Uint32Array, n: number, key: number): number {
  const tid = Atomics.add(v.ctl, CTL.newCount, 1);
  const at = Atomics.add(v.ctl, CTL.arenaTop, n);
  if (tid >= lim.tidCap || at + n > lim.arenaCap) {
    Atomics.store(v.ctl, CTL.stop, 1);
    return -1;
  }
  for (let i = 0; i < n; i++) v.arena[at + i] = words[i]!;
  v.tidOff[tid] = at;
  v.tidLen[tid] = n;
  v.tidKey[tid] = key;
  v.tidBad[tid] = 0;
  return tid;
}

/** tidKey[t] = min(tidKey[t], key), atomically. */
function lowerKey(keys: Uint32Array, t: number, key: number): void {
  for (;;) {
    const cur = Atomics.load(keys, t);
    if (key >= cur || Atomics.compareExchange(keys, t, cur, key) === cur) return;
  }
}

/** Bit i: INVARIANTS[i] broken; bit INVARIANTS.length + j: lemmas[j] (the scope's, model/lemmas.ts lemmasAt, or none). */
export function brokenBits(scope: Scope, design: Design, lemmas: readonly Lemma[], s: State, skip: number): number {
  let bits = 0;
  for (let i = 0; i < INVARIANTS.length; i++) if ((skip & (1 << i)) === 0 && !INVARIANTS[i]!.holds(scope, s)) bits |= 1 << i;
  for (let j = 0, b = INVARIANTS.length; j < lemmas.length; j++, b++) if ((skip & (1 << b)) === 0 && !lemmas[j]!.holds(scope, design.rules, s)) bits |= 1 << b;
  return bits >>> 0;
}


/**
 * The set of visited states: encodings packed end to end in one arena of
 * 32-bit words, found through an open-addressing hash table of state indices.
 * Per state it costs its encoding (padded to a word), a 4-byte offset and at
 * most two 4-byte table slots. Hashing and comparing go a word at a time.
 */
export class StateStore {
  private arena = new Uint32Array(1 << 18);
  /** offsets[i]..offsets[i+1]: the words of state i */
  private offsets = new Uint32Array(1 << 16);
  private table = new Int32Array(1 << 16).fill(-1);
  private mask = (1 << 16) - 1;
  size = 0;
  /** set by intern: whether the last interned encoding was new */
  added = false;

  /** Index of the encoding words[0..n), adding it if new (then `added` is true); `hash` is hashWords of it, if known. */
  intern(words: Uint32Array, n: number, hash = hashWords(words, 0, n)): number {
    let slot = hash & this.mask;
    const table = this.table;
    const arena = this.arena;
    const offsets = this.offsets;
    for (;;) {
      const idx = table[slot]!;
      if (idx < 0) break;
      const a = offsets[idx]!;
      if (offsets[idx + 1]! - a === n) {
        let i = 0;
        while (i < n && arena[a + i] === words[i]) i++;
        if (i === n) {
          this.added = false;
          return idx;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    const index = this.size++;
    this.append(words, n);
    table[slot] = index;
    if (this.size * 2 > this.mask) this.grow();
    this.added = true;
    return index;
  }

  /** The encoding of state `index`, as bytes (a view: valid until the next intern). */
  encoding(index: number): Uint8Array {
    const a = this.offsets[index]!;
    return new Uint8Array(this.arena.buffer, a * 4, (this.offsets[index + 1]! - a) * 4);
  }

  bytes(): number {
    return this.offsets[this.size]! * 4 + (this.size + 1) * 4 + this.table.byteLength;
  }

  private append(words: Uint32Array, n: number): void {
    const at = this.offsets[this.size - 1]!;
    if (at + n > this.arena.length) {
      const next = new Uint32Array(this.arena.length * 2);
      next.set(this.arena);
      this.arena = next;
    }
    this.arena.set(words.subarray(0, n), at);
    if (this.size + 1 >= this.offsets.length) {
      const next = new Uint32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    this.offsets[this.size] = at + n;
  }

  private grow(): void {
    const size = this.table.length * 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let i = 0; i < this.size; i++) {
      const a = this.offsets[i]!;
      let slot = hashWords(this.arena, a, this.offsets[i + 1]! - a) & this.mask;
      while (this.table[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.table[slot] = i;
    }
  }
}

/**
 * A multiplicative word hash with a final avalanche, so that linear probing
 * spreads. The length is mixed in at the end, so that the encoder can hash the
 * words as it writes them (Encoder.hash is this hash of its words).
 */
export function hashWords(w: Uint32Array, from: number, n: number): number {
  let h = HASH_SEED;
  for (let i = from, end = from + n; i < end; i++) h = hashStep(h, w[i]!);
  return hashEnd(h, n);
}

export const HASH_SEED = 0x811c9dc5;
export const hashStep = (h: number, word: number): number => Math.imul(h ^ word, 0x01000193) ^ (h >>> 13);
export function hashEnd(h: number, n: number): number {
  h ^= n;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

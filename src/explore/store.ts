/**
 * The set of visited states: encodings packed end to end in one byte arena,
 * found through an open-addressing hash table of state indices. Per state it
 * costs its encoding, a 4-byte offset and two 4-byte table slots at most.
 */
export class StateStore {
  private arena = new Uint8Array(1 << 20);
  private offsets = new Uint32Array(1 << 16);
  private table = new Int32Array(1 << 16).fill(-1);
  private mask = (1 << 16) - 1;
  size = 0;

  /** Index of the encoding buf[0..len), adding it if new; `added` tells which. */
  intern(buf: Uint8Array, len: number): { index: number; added: boolean } {
    const h = hash(buf, len);
    let slot = h & this.mask;
    for (;;) {
      const idx = this.table[slot]!;
      if (idx < 0) break;
      if (this.equals(idx, buf, len)) return { index: idx, added: false };
      slot = (slot + 1) & this.mask;
    }
    const index = this.size++;
    this.append(buf, len);
    this.table[slot] = index;
    if (this.size * 2 > this.mask) this.grow();
    return { index, added: true };
  }

  bytes(): number {
    return this.offsets[this.size]! + this.offsets.byteLength + this.table.byteLength;
  }

  private start(i: number): number {
    return this.offsets[i]!;
  }

  private equals(idx: number, buf: Uint8Array, len: number): boolean {
    const a = this.start(idx);
    if (this.start(idx + 1) - a !== len) return false;
    const arena = this.arena;
    for (let i = 0; i < len; i++) if (arena[a + i] !== buf[i]) return false;
    return true;
  }

  private append(buf: Uint8Array, len: number): void {
    const at = this.offsets[this.size - 1]!;
    if (at + len > this.arena.length) {
      const next = new Uint8Array(this.arena.length * 2);
      next.set(this.arena);
      this.arena = next;
    }
    this.arena.set(buf.subarray(0, len), at);
    if (this.size + 1 >= this.offsets.length) {
      const next = new Uint32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    this.offsets[this.size] = at + len;
  }

  private grow(): void {
    const size = this.table.length * 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let i = 0; i < this.size; i++) {
      const a = this.start(i);
      let slot = hash(this.arena.subarray(a), this.start(i + 1) - a) & this.mask;
      while (this.table[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.table[slot] = i;
    }
  }
}

/** FNV-1a over the bytes, with a final avalanche so that linear probing spreads. */
function hash(buf: Uint8Array, len: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

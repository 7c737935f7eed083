/**
 * Canonical object numbering, so that a kernel state (ids are allocation
 * counters, never reused) and a model state (ids are lowest-free slots) that
 * hold the same objects in the same relations compare deep-equal.
 *
 * Files and IOASIDs are renumbered 1, 2, ... in order of first appearance
 * along a fixed walk that looks only at positions, never at ids: open files by
 * (proc, fd) and each one's live IOASIDs by handle; each VM's presented file
 * and its entries by vpasid; each mdev's allowance; each device's table by
 * pasid. An IOASID met on the way brings its file along. Objects the walk never
 * meets (only a broken state has them) follow in their old id order, so
 * nothing is dropped; a reference to a missing object becomes -1 (dangling).
 * Unlike the explorer's encoding (src/explore/encode.ts) this merges nothing:
 * every field of every object survives.
 */
import type { FileObj, IoasidObj, State } from '../../model/index';

export const DANGLING = -1;

class Renumber {
  readonly order: number[] = [];
  private readonly canon = new Map<number, number>();
  constructor(private readonly exists: (id: number) => boolean) {}

  /** The canonical number of `id`, numbering it now if first met; 0 stays 0. */
  visit(id: number): number {
    if (id === 0) return 0;
    if (!this.exists(id)) return DANGLING;
    let c = this.canon.get(id);
    if (c === undefined) {
      this.order.push(id);
      c = this.order.length;
      this.canon.set(id, c);
    }
    return c;
  }

  get(id: number): number {
    return id === 0 ? 0 : (this.canon.get(id) ?? DANGLING);
  }
}

export function normalize(s: State): State {
  const fileAt = (id: number): FileObj | null => (Number.isInteger(id) && id > 0 ? (s.files[id - 1] ?? null) : null);
  const ioAt = (id: number): IoasidObj | null => (Number.isInteger(id) && id > 0 ? (s.ioasids[id - 1] ?? null) : null);
  const files = new Renumber((id) => fileAt(id) !== null);
  const ios = new Renumber((id) => ioAt(id) !== null);
  const io = (id: number): void => {
    if (ios.visit(id) > 0) files.visit(ioAt(id)!.file);
  };

  const open = s.files.flatMap((f, i) => (f && f.fd !== 0 ? [{ id: i + 1, proc: f.proc, fd: f.fd }] : []));
  open.sort((a, b) => a.proc - b.proc || a.fd - b.fd);
  for (const f of open) files.visit(f.id);
  for (const f of open) {
    const live = s.ioasids.flatMap((x, i) => (x && x.file === f.id && x.handle !== 0 ? [{ id: i + 1, handle: x.handle }] : []));
    live.sort((a, b) => a.handle - b.handle);
    for (const x of live) io(x.id);
  }
  for (const vm of s.vms) {
    files.visit(vm.presented);
    for (const e of vm.entries) io(e.ioasid);
  }
  for (const a of s.allowed) files.visit(a);
  for (const t of s.tables) for (const e of t) io(e.ioasid);
  s.ioasids.forEach((x, i) => x && io(i + 1));
  s.files.forEach((x, i) => x && files.visit(i + 1));

  return {
    alive: [...s.alive],
    files: files.order.map((id) => ({ ...fileAt(id)! })),
    ioasids: ios.order.map((id) => {
      const x = ioAt(id)!;
      return { ...x, file: files.get(x.file) };
    }),
    free: s.free,
    tables: s.tables.map((t) => t.map((e) => ({ ...e, ioasid: ios.get(e.ioasid) }))),
    queues: s.queues.map((q) => q.map((d) => ({ ...d }))),
    allowed: s.allowed.map((a) => files.get(a)),
    vms: s.vms.map((vm) => ({ ...vm, presented: files.get(vm.presented), entries: vm.entries.map((e) => ({ ...e, ioasid: ios.get(e.ioasid) })) })),
    notifications: s.notifications.map((n) => ({ ...n })),
    // §10: mms and SVA entries name processes and PASIDs, never objects: nothing to renumber.
    ...(s.mms ? { mms: s.mms.map((m) => ({ ...m })) } : {}),
    ...(s.sva ? { sva: s.sva.map((t) => t.map((e) => ({ ...e }))) } : {}),
  };
}

/**
 * The inverse of Encoder, up to the merges it makes: a state rebuilt from its
 * canonical encoding encodes to the same bytes again (tested) and behaves
 * alike under every call. The explorer keeps its frontier as encodings and
 * decodes a state only when it expands it.
 *
 * What the encoding forgot is rebuilt as the simplest equivalent: a closed
 * presented file becomes a fresh closed file of the VM's owner; a dead IOASID
 * becomes one dead IOASID per entry pointing at it (users 1), charged to a
 * closed "graveyard" file of its owner.
 */
import type { Scope } from '../../model/scope';
import type { FileObj, IoasidObj, KvmEntry, Notification, State, TableEntry } from '../../model/state';

const CLOSED = 255;
const HOLDERS: readonly Notification['holder'][] = ['pdev', 'pdev', 'parent', 'kvm'];

export function decode(scope: Scope, b: Uint8Array): State {
  let n = 0;
  const next = (): number => b[n++]!;
  const aliveBits = next();
  const free = (next() | (next() << 8) | (next() << 16) | (next() << 24)) >>> 0;
  const alive = Array.from({ length: scope.procs }, (_, i) => (aliveBits & (1 << i)) !== 0);

  // Canonical file c is files[c-1], canonical ioasid c is ioasids[c-1]; extra
  // objects (fresh closed files, dead ioasids) are appended after the canonical ones.
  const fdSlots: number[] = [];
  for (let k = 0; k < scope.procs * scope.fdsPerProc; k++) fdSlots.push(next());
  const openFiles = fdSlots.filter((c) => c !== 0).length;
  for (let k = 0; k < openFiles * scope.quota; k++) next(); // live handles: repeated in the ioasid records
  const dead: { proc: number; blocked: boolean }[] = [];
  const closedPresented: number[] = []; // owner of each closed presented file, in VM order
  const ref = (v: number): number => {
    if ((v & 0x80) === 0) return v;
    dead.push({ proc: v & 0x3f, blocked: (v & 0x40) !== 0 });
    return -dead.length; // patched below, once the canonical ioasid count is known
  };

  const vms = scope.vms.map((spec) => {
    const flags = next();
    let presented = next();
    if (presented === CLOSED) {
      closedPresented.push(spec.owner);
      presented = -closedPresented.length;
    }
    const entries: KvmEntry[] = [];
    for (let k = next(); k > 0; k--) entries.push({ vpasid: next(), ioasid: ref(next()), pasid: next(), explicit: next() === 1 });
    return { alive: (flags & 1) !== 0, presented, enabled: (flags & 2) !== 0, entries };
  });
  const allowed = scope.mdevs.map(() => next());
  const tables: TableEntry[][] = [];
  const queues: { issuer: number; pasid: number }[][] = [];
  for (let d = 0; d < scope.devices.length; d++) {
    const t: TableEntry[] = [];
    for (let k = next(); k > 0; k--) t.push({ pasid: next(), ioasid: ref(next()), mdev: next(), allowed: next() === 1 });
    tables.push(t);
    const q: { issuer: number; pasid: number }[] = [];
    for (let k = next(); k > 0; k--) q.push({ issuer: next(), pasid: next() });
    queues.push(q);
  }
  const notifications: Notification[] = [];
  for (let k = next(); k > 0; k--) notifications.push({ holder: HOLDERS[next()]!, id: next(), key: next() });
  next(); // dead IOASIDs whose users do not match their holders: rebuilt as matching
  const ioasids: (IoasidObj | null)[] = [];
  for (let k = next(); k > 0; k--) ioasids.push({ file: next(), handle: next(), pasid: next(), blocked: next() === 1, users: next() });
  const files: (FileObj | null)[] = [];
  for (let k = next(); k > 0; k--) files.push({ proc: next(), fd: next() });

  // Fresh closed files for closed presented files, one graveyard per owner of dead IOASIDs.
  const presentedIds = closedPresented.map((proc) => files.push({ proc, fd: 0 }));
  const graveyard = new Map<number, number>();
  const deadIds = dead.map((d) => {
    if (!graveyard.has(d.proc)) graveyard.set(d.proc, files.push({ proc: d.proc, fd: 0 }));
    return ioasids.push({ file: graveyard.get(d.proc)!, handle: 0, pasid: 0, blocked: d.blocked, users: 1 });
  });
  const patch = (id: number): number => (id < 0 ? deadIds[-id - 1]! : id);
  return {
    alive,
    files,
    ioasids,
    free,
    tables: tables.map((t) => t.map((e) => (e.ioasid < 0 ? { ...e, ioasid: patch(e.ioasid) } : e))),
    queues,
    allowed,
    // Same property order as the model's objects: one hidden class for both.
    vms: vms.map((v) => ({
      alive: v.alive,
      presented: v.presented < 0 ? presentedIds[-v.presented - 1]! : v.presented,
      enabled: v.enabled,
      entries: v.entries.map((e) => (e.ioasid < 0 ? { ...e, ioasid: patch(e.ioasid) } : e)),
    })),
    notifications,
  };
}

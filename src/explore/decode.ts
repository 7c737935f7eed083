/**
 * The inverse of Encoder, up to the merges it makes: a state rebuilt from its
 * canonical encoding encodes to the same bytes again (tested) and behaves
 * alike under every call. The explorer keeps its frontier as encodings and
 * decodes a state only when it expands it, so this runs once per state: it is
 * written as plain loops over a cursor (no closures) because it is hot.
 *
 * What the encoding forgot is rebuilt as the simplest equivalent: a closed
 * presented file becomes a fresh closed file of the VM's owner; a dead IOASID
 * becomes one dead IOASID per entry pointing at it (users 1), charged to a
 * closed "graveyard" file of its owner.
 */
import type { Scope } from '../../model/scope';
import {
  type Descriptor,
  type FileObj,
  type IoasidObj,
  type KvmEntry,
  type MmObj,
  type Notification,
  type State,
  type SvaEntry,
  type TableEntry,
  type VmObj,
  kvmEntryExcept,
  mapList,
  mkDescriptor,
  mkFile,
  mkIoasid,
  mkKvmEntry,
  mkMm,
  mkNotification,
  mkState,
  mkSvaEntry,
  mkTableEntry,
  mkVm,
  tableEntryExcept,
} from '../../model/state';

const CLOSED = 255;
const HOLDERS: readonly Notification['holder'][] = ['pdev', 'pdev', 'parent', 'kvm'];

/** Dead references met while reading entries: patched once the canonical objects are known. */
interface Pending {
  dead: number[]; // per dead ref: 0x40 blocked | proc
  closedOwners: number[]; // owner of each closed presented file
}

/** Reads an ioasid reference: a canonical id, or -(k+1) for the k-th dead one. */
function readRef(v: number, p: Pending): number {
  if ((v & 0x80) === 0) return v;
  p.dead.push(v & 0x7f);
  return -p.dead.length;
}

/** The bytes of a packed encoding (encode.ts: a nibble each, 15 escaping a byte), into `unpacked`. */
const unpacked = new Uint8Array(2048);
function unpack(p: Uint8Array): Uint8Array {
  const out = unpacked;
  const nibbles = p.length * 2;
  let n = 0;
  for (let i = 0; i < nibbles; ) {
    let x = (p[i >>> 1]! >>> ((i & 1) << 2)) & 15;
    i++;
    if (x === 15) {
      const hi = (p[i >>> 1]! >>> ((i & 1) << 2)) & 15;
      i++;
      x = (hi << 4) | ((p[i >>> 1]! >>> ((i & 1) << 2)) & 15);
      i++;
    }
    out[n++] = x;
  }
  return out;
}

/** One long function on purpose (the house's 80-line bound excepts it): the explorer's hot path, one pass over the cursor per expanded state. */
export function decode(scope: Scope, packed: Uint8Array): State {
  const b = unpack(packed);
  let n = 0;
  const aliveBits = b[n++]!;
  const free = (b[n++]! | (b[n++]! << 8) | (b[n++]! << 16) | (b[n++]! << 24)) >>> 0;
  const alive: boolean[] = [];
  for (let i = 0; i < scope.procs; i++) alive.push((aliveBits & (1 << i)) !== 0);
  let openFiles = 0;
  for (let k = 0, m = scope.procs * scope.fdsPerProc; k < m; k++) if (b[n++] !== 0) openFiles++;
  n += openFiles * scope.quota; // live handles: repeated in the ioasid records

  const p: Pending = { dead: [], closedOwners: [] };
  const vms: VmObj[] = [];
  for (let v = 0; v < scope.vms.length; v++) {
    const flags = b[n++]!;
    let presented = b[n++]!;
    if (presented === CLOSED) {
      p.closedOwners.push(scope.vms[v]!.owner);
      presented = -p.closedOwners.length;
    }
    const entries: KvmEntry[] = [];
    for (let k = b[n++]!; k > 0; k--) {
      const vpasid = b[n++]!;
      const ioasid = readRef(b[n++]!, p);
      entries.push(mkKvmEntry(vpasid, ioasid, b[n++]!, b[n++] === 1));
    }
    vms.push(mkVm((flags & 1) !== 0, presented, (flags & 2) !== 0, entries));
  }
  const allowed: number[] = [];
  for (let m = 0; m < scope.mdevs.length; m++) allowed.push(b[n++]!);
  const tables: TableEntry[][] = [];
  const queues: Descriptor[][] = [];
  for (let d = 0; d < scope.devices.length; d++) {
    const t: TableEntry[] = [];
    for (let k = b[n++]!; k > 0; k--) {
      const pasid = b[n++]!;
      const ioasid = readRef(b[n++]!, p);
      t.push(mkTableEntry(pasid, ioasid, b[n++]!, b[n++] === 1));
    }
    tables.push(t);
    const q: Descriptor[] = [];
    for (let k = b[n++]!; k > 0; k--) {
      const issuer = b[n++]!;
      q.push(mkDescriptor(issuer, b[n++]!));
    }
    queues.push(q);
  }
  const notifications: Notification[] = [];
  for (let k = b[n++]!; k > 0; k--) {
    const holder = HOLDERS[b[n++]!]!;
    const id = b[n++]!;
    notifications.push(mkNotification(holder, id, b[n++]!));
  }
  n++; // dead IOASIDs whose users do not match their holders: rebuilt as matching
  const ioasids: (IoasidObj | null)[] = [];
  for (let k = b[n++]!; k > 0; k--) {
    const file = b[n++]!;
    const handle = b[n++]!;
    const pasid = b[n++]!;
    const blocked = b[n++] === 1;
    ioasids.push(mkIoasid(file, handle, pasid, blocked, b[n++]!));
  }
  const files: (FileObj | null)[] = [];
  for (let k = b[n++]!; k > 0; k--) {
    const proc = b[n++]!;
    files.push(mkFile(proc, b[n++]!));
  }
  let mms: MmObj[] | undefined;
  let sva: SvaEntry[][] | undefined;
  if (scope.sva === true) {
    mms = [];
    for (let i = 0; i < scope.procs; i++) {
      const pasid = b[n++]!;
      mms.push(mkMm(pasid, b[n++]!));
    }
    sva = [];
    for (let d = 0; d < scope.devices.length; d++) {
      const t: SvaEntry[] = [];
      for (let k = b[n++]!; k > 0; k--) {
        const pasid = b[n++]!;
        t.push(mkSvaEntry(pasid, b[n++]!));
      }
      sva.push(t);
    }
  }
  if (p.dead.length === 0 && p.closedOwners.length === 0) return mkState(alive, files, ioasids, free, tables, queues, allowed, vms, notifications, mms, sva);
  return patch(mkState(alive, files, ioasids, free, tables, queues, allowed, vms, notifications, mms, sva) as Growable, p);
}

/** A decoded state before patch: its object tables still open for the forgotten objects. */
type Growable = State & { files: (FileObj | null)[]; ioasids: (IoasidObj | null)[] };

/** Adds the objects the encoding forgot and points the placeholders at them. */
function patch(s: Growable, p: Pending): State {
  const presentedIds = p.closedOwners.map((proc) => s.files.push(mkFile(proc, 0)));
  const graveyard = new Map<number, number>();
  const deadIds = p.dead.map((d) => {
    const proc = d & 0x3f;
    if (!graveyard.has(proc)) graveyard.set(proc, s.files.push(mkFile(proc, 0)));
    return s.ioasids.push(mkIoasid(graveyard.get(proc)!, 0, 0, (d & 0x40) !== 0, 1));
  });
  const id = (x: number): number => (x < 0 ? deadIds[-x - 1]! : x);
  const tables = mapList(s.tables, (t) => (t.some((e) => e.ioasid < 0) ? mapList(t, (e) => tableEntryExcept(e, { ioasid: id(e.ioasid) })) : t));
  const vms = mapList(s.vms, (v) =>
    mkVm(
      v.alive,
      v.presented < 0 ? presentedIds[-v.presented - 1]! : v.presented,
      v.enabled,
      mapList(v.entries, (e) => (e.ioasid < 0 ? kvmEntryExcept(e, { ioasid: id(e.ioasid) }) : e)),
    ),
  );
  return mkState(s.alive, s.files, s.ioasids, s.free, tables, s.queues, s.allowed, vms, s.notifications, s.mms, s.sva);
}

/**
 * What one step changed in the model state, in the seed's words: one short
 * phrase per object that changed ("ioasid 1 users 2->1, pasid 1 parked",
 * "free += {1}", "swq 2 queue: +[issuer 1, pasid 1]"). Pure: reads two states.
 */
import type { Descriptor, FileObj, IoasidObj, KvmEntry, MmObj, Notification, Scope, State, SvaEntry, TableEntry, VmObj } from '../../model/index';

/** How IOASIDs are named in a change: by slot before and after the step. */
export interface IoasidNames {
  readonly before: (id: number) => string;
  readonly after: (id: number) => string;
}

const BY_SLOT: IoasidNames = { before: (id) => `ioasid ${id}`, after: (id) => `ioasid ${id}` };

export function stateChanges(scope: Scope, a: State, b: State, names: IoasidNames = BY_SLOT): string[] {
  if (a === b) return [];
  const entryText = (e: TableEntry, n: (id: number) => string): string =>
    e.mdev === 0 ? `[pasid ${e.pasid} -> ${n(e.ioasid)}]` : `[pasid ${e.pasid} -> ${n(e.ioasid)} via mdev ${e.mdev}${e.allowed ? '' : ', not allowed'}]`;
  const kvmText = (e: KvmEntry, n: (id: number) => string): string =>
    `[vpasid ${e.vpasid} -> pasid ${e.pasid} (${n(e.ioasid)})${e.explicit ? '' : ', implicit'}]`;
  return [
    ...a.alive.flatMap((was, i) => (was && !b.alive[i] ? [`process ${i + 1} exited`] : [])),
    ...slots(a.files, b.files).flatMap(([i, x, y]) => fileChange(i, x, y)),
    ...slots(a.ioasids, b.ioasids).flatMap(([i, x, y]) => ioasidChange(i, x, y, b, names)),
    ...freeChange(a.free, b.free),
    ...scope.devices.flatMap((d, i) => {
      const name = `${d.kind} ${d.id}`;
      const t = listDiff(a.tables[i] ?? [], b.tables[i] ?? [], (e) => entryText(e, names.before), (e) => entryText(e, names.after));
      const q = listDiff(a.queues[i] ?? [], b.queues[i] ?? [], descriptorText);
      const v = listDiff(a.sva?.[i] ?? [], b.sva?.[i] ?? [], svaText);
      return [...(t ? [`${name} table: ${t}`] : []), ...(v ? [`${name} SVA entries: ${v}`] : []), ...(q ? [`${name} queue: ${q}`] : [])];
    }),
    ...b.allowed.flatMap((f, i) => (f === a.allowed[i] ? [] : [allowText(i + 1, f, b)])),
    ...b.vms.flatMap((vm, i) => vmChange(i + 1, a.vms[i], vm, (e) => kvmText(e, names.before), (e) => kvmText(e, names.after))),
    ...notificationChange(a.notifications, b.notifications),
    ...(b.mms ?? []).flatMap((m, i) => mmChange(i + 1, a.mms?.[i], m)),
  ];
}

const svaText = (e: SvaEntry): string => `[pasid ${e.pasid} -> process ${e.proc}]`;

/** §10: a process's mm, its PASID and reference count. */
function mmChange(proc: number, x: MmObj | undefined, y: MmObj): string[] {
  if (!x || (x.pasid === y.pasid && x.users === y.users)) return [];
  const parts: string[] = [];
  if (x.pasid !== y.pasid) parts.push(x.pasid === 0 ? `takes pasid ${y.pasid}` : y.pasid === 0 ? `gives up pasid ${x.pasid}` : `pasid ${x.pasid}->${y.pasid}`);
  if (x.users !== y.users) parts.push(`users ${x.users}->${y.users}`);
  return [`mm of process ${proc} ${parts.join(', ')}`];
}

type Slot<T> = [id: number, before: T | null, after: T | null];

/** Slot tables side by side, only the ids whose object changed. */
function slots<T>(xs: readonly (T | null)[], ys: readonly (T | null)[]): Slot<T>[] {
  const out: Slot<T>[] = [];
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const x = xs[i] ?? null;
    const y = ys[i] ?? null;
    if (x !== y) out.push([i + 1, x, y]);
  }
  return out;
}

function fileChange(id: number, x: FileObj | null, y: FileObj | null): string[] {
  if (x === null && y !== null) return [`file ${id} opened as process ${y.proc} fd ${y.fd}`];
  if (x !== null && x.fd !== 0 && (y === null || y.fd === 0)) return [`process ${x.proc} fd ${x.fd} closed (file ${id}${y ? ' kept: still referenced' : ''})`];
  if (x !== null && y === null) return [`closed file ${id} forgotten`];
  return [];
}

function ioasidChange(id: number, x: IoasidObj | null, y: IoasidObj | null, b: State, names: IoasidNames): string[] {
  if (x === null && y !== null) {
    const f = b.files[y.file - 1];
    const where = f ? `process ${f.proc} fd ${f.fd}` : `file ${y.file}`;
    return [`${names.after(id)} allocated: handle ${y.handle} of ${where}, pasid ${y.pasid}, users ${y.users}`];
  }
  if (x !== null && (y === null || y.file !== x.file)) {
    const freed = `${names.before(id)} freed (users ${x.users}->0)`;
    return y === null ? [freed] : [freed, ...ioasidChange(id, null, y, b, names)];
  }
  if (x === null || y === null) return [];
  const parts: string[] = [];
  if (x.handle !== 0 && y.handle === 0) parts.push('destroyed');
  if (x.users !== y.users) parts.push(`users ${x.users}->${y.users}`);
  if (!x.blocked && y.blocked) parts.push('DMA blocked');
  if (x.handle !== 0 && y.handle === 0 && !y.blocked) parts.push('DMA not blocked');
  if (x.pasid !== 0 && y.pasid === x.pasid && x.handle !== 0 && y.handle === 0) parts.push(`pasid ${x.pasid} parked`);
  if (x.pasid !== 0 && y.pasid === 0) parts.push(`pasid ${x.pasid} recycled at destroy`);
  return parts.length === 0 ? [] : [`${names.after(id)} ${parts.join(', ')}`];
}

function freeChange(a: number, b: number): string[] {
  const bits = (m: number): number[] => Array.from({ length: 31 }, (_, p) => p).filter((p) => p > 0 && (m & (1 << p)) !== 0);
  const added = bits(b & ~a);
  const removed = bits(a & ~b);
  return [
    ...(added.length ? [`free += {${added.join(', ')}}`] : []),
    ...(removed.length ? [`free -= {${removed.join(', ')}}`] : []),
  ];
}

const descriptorText = (d: Descriptor): string => `[issuer ${d.issuer}, pasid ${d.pasid}]`;
const notificationText = (n: Notification): string =>
  n.holder === 'kvm' ? `[VM ${n.id} vpasid ${n.key}]` : `[${n.holder === 'pdev' ? 'pdev' : 'swq'} ${n.id} pasid ${n.key}]`;

/** A multiset difference of two lists, as "-[..], +[..]"; '' when equal. */
function listDiff<T>(xs: readonly T[], ys: readonly T[], text: (t: T) => string, textAfter: (t: T) => string = text): string {
  if (xs === ys) return '';
  const left = xs.map(text);
  const right = ys.map(textAfter);
  const minus = without(left, right);
  const plus = without(right, left);
  return [...minus.map((s) => `-${s}`), ...plus.map((s) => `+${s}`)].join(', ');
}

function without(xs: readonly string[], ys: readonly string[]): string[] {
  const rest = [...ys];
  return xs.filter((x) => {
    const i = rest.indexOf(x);
    if (i < 0) return true;
    rest.splice(i, 1);
    return false;
  });
}

function allowText(mdev: number, file: number, b: State): string {
  if (file === 0) return `mdev ${mdev} allowance cleared`;
  const f = b.files[file - 1];
  return `mdev ${mdev} allowed PASID use for file ${file}${f && f.fd !== 0 ? ` (process ${f.proc} fd ${f.fd})` : ''}`;
}

function vmChange(id: number, x: VmObj | undefined, y: VmObj, kvmText: (e: KvmEntry) => string, kvmTextAfter: (e: KvmEntry) => string): string[] {
  if (!x || x === y) return [];
  const out: string[] = [];
  if (x.alive && !y.alive) out.push(`VM ${id} destroyed`);
  if (x.presented !== y.presented && y.presented !== 0) out.push(`VM ${id} presented file ${y.presented}`);
  if (x.presented !== 0 && y.presented === 0 && y.alive) out.push(`VM ${id} forgot file ${x.presented}`);
  if (!x.enabled && y.enabled) out.push(`VM ${id} ENQCMD table enabled`);
  if (x.enabled && !y.enabled && y.alive) out.push(`VM ${id} ENQCMD table disabled`);
  const d = listDiff(x.entries, y.entries, kvmText, kvmTextAfter);
  if (d) out.push(`VM ${id} ENQCMD table: ${d}`);
  return out;
}

function notificationChange(xs: readonly Notification[], ys: readonly Notification[]): string[] {
  const d = listDiff(xs, ys, notificationText);
  return d ? [`notifications: ${d}`] : [];
}

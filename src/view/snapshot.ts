/**
 * A model state as the domain's objects, for the viewer's state panel: one
 * small table per kind of object (files, IOASIDs, the PASID pool, each
 * device's PASID table, each swq queue, mdevs, VMs and their ENQCMD tables,
 * notifications, SVA mms). Every row carries the key the offender refs of
 * src/explore/offender.ts use (`ioasid:3`, `entry:2:1`, ...), so the page can
 * highlight the objects a violation names. Pure: reads the state and names.
 */
import { type Scope, type State, isFree, ownerOf } from '../../model/index';

export interface PanelRow {
  /** the object's key: an OffenderRef where offender.ts can name it */
  readonly k: string;
  /** the cells, as text */
  readonly c: readonly string[];
}

export interface PanelTable {
  /** a stable id across steps (`ioasids`, `table:2`, ...) */
  readonly id: string;
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly PanelRow[];
  /** what an empty table says */
  readonly empty: string;
}

export type IoasidName = (id: number) => string;

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

function fileWords(s: State, file: number): string {
  const f = s.files[file - 1];
  if (!f) return `file ${file} (gone)`;
  return f.fd !== 0 ? `process ${f.proc} fd ${f.fd}` : `process ${f.proc}'s closed file ${file}`;
}

/** Who holds an IOASID's reference: its FD while live, table entries, KVM entries. */
function holdersOf(scope: Scope, s: State, id: number): string[] {
  const io = s.ioasids[id - 1]!;
  const out: string[] = io.handle !== 0 ? [`its fd (${fileWords(s, io.file)})`] : [];
  s.tables.forEach((t, d) => {
    for (const e of t) if (e.ioasid === id) out.push(`${scope.devices[d]!.kind} ${d + 1} PASID ${e.pasid}${e.mdev ? ` (mdev ${e.mdev})` : ''}`);
  });
  s.vms.forEach((vm, v) => {
    for (const e of vm.entries) if (e.ioasid === id) out.push(`VM ${v + 1} vPASID ${e.vpasid}`);
  });
  return out;
}

/** Everything that uses PASID `p`: IOASIDs, entries, KVM entries, descriptors, mms (holders and not). */
function usersOfPasid(scope: Scope, s: State, p: number, name: IoasidName): string[] {
  const out: string[] = [];
  s.ioasids.forEach((io, i) => {
    if (io && io.pasid === p) out.push(`${name(i + 1)}${io.handle === 0 ? ' (parked)' : ''}`);
  });
  s.tables.forEach((t, d) => {
    if (t.some((e) => e.pasid === p)) out.push(`${scope.devices[d]!.kind} ${d + 1} entry`);
  });
  s.sva?.forEach((t, d) => {
    for (const e of t) if (e.pasid === p) out.push(`swq ${d + 1} SVA entry (process ${e.proc})`);
  });
  s.vms.forEach((vm, v) => {
    for (const e of vm.entries) if (e.pasid === p) out.push(`VM ${v + 1} vPASID ${e.vpasid}`);
  });
  s.queues.forEach((q, d) => {
    const n = q.filter((x) => x.pasid === p).length;
    if (n > 0) out.push(`${n} descriptor${n > 1 ? 's' : ''} on swq ${d + 1}`);
  });
  s.mms?.forEach((m, i) => {
    if (m.pasid === p) out.push(`process ${i + 1}'s mm`);
  });
  return out;
}

function ioasidState(s: State, id: number): string {
  const io = s.ioasids[id - 1]!;
  if (io.handle !== 0) return 'live';
  return io.pasid !== 0 ? 'parked (destroyed, PASID held)' : 'destroyed, PASID recycled';
}

/** Where a translation through an entry to IOASID `id` lands. */
function landsIn(s: State, id: number): string {
  const io = s.ioasids[id - 1]!;
  return io.blocked ? 'blocked (TLP error)' : `process ${ownerOf(s, id)}`;
}

/** What every table of the panel reads. */
interface Seen {
  readonly scope: Scope;
  readonly s: State;
  readonly name: IoasidName;
}

/** `notifications`: the design has a notifier FIFO (recycle: notifier), so its table is shown, empty or not. */
export function stateTables(scope: Scope, s: State, name: IoasidName, notifications: boolean): PanelTable[] {
  const v: Seen = { scope, s, name };
  return [
    procsTable(v),
    filesTable(v),
    ioasidsTable(v),
    poolTable(v),
    ...scope.devices.map((d) => deviceTable(v, d)),
    ...scope.devices.flatMap((d): PanelTable[] => (d.kind !== 'swq' ? [] : [queueTable(v, d.id)])),
    mdevsTable(v),
    vmsTable(v),
    ...scope.vms.map((vm) => kvmTable(v, vm.id)),
    ...(notifications || s.notifications.length > 0 ? [notesTable(s)] : []),
  ];
}

function procsTable({ scope, s }: Seen): PanelTable {
  const sva = scope.sva === true;
  return {
    id: 'procs',
    title: 'Processes',
    head: ['process', 'status', 'open FDs', ...(sva ? ['mm PASID', 'mm users'] : [])],
    rows: s.alive.map((alive, i) => {
      const fds = s.files.flatMap((f, j) => (f && f.proc === i + 1 && f.fd !== 0 ? [`fd ${f.fd} (file ${j + 1})`] : []));
      const mm = s.mms?.[i];
      return {
        k: `proc:${i + 1}`,
        c: [`process ${i + 1}`, alive ? 'running' : 'exited', fds.join(', ') || 'none', ...(sva ? [mm && mm.pasid ? `PASID ${mm.pasid}` : 'none', String(mm?.users ?? 0)] : [])],
      };
    }),
    empty: 'no processes',
  };
}

function filesTable({ scope, s }: Seen): PanelTable {
  return {
    id: 'files',
    title: '/dev/ioasid files (ioasid sets)',
    head: ['file', 'fd', 'PASIDs charged', 'presented to', 'mdevs allowed'],
    rows: s.files.flatMap((f, j) => {
      if (!f) return [];
      const id = j + 1;
      const charged = s.ioasids.filter((io) => io && io.file === id && io.pasid !== 0).length;
      const vms = s.vms.flatMap((vm, v) => (vm.presented === id ? [`VM ${v + 1}`] : []));
      const mdevs = s.allowed.flatMap((a, m) => (a === id ? [`mdev ${m + 1}`] : []));
      return [{ k: `file:${id}`, c: [`file ${id}`, f.fd !== 0 ? `process ${f.proc} fd ${f.fd}` : `process ${f.proc}, closed`, `${charged} of ${scope.quota}`, vms.join(', ') || '-', mdevs.join(', ') || '-'] }];
    }),
    empty: 'no files',
  };
}

function ioasidsTable({ scope, s, name }: Seen): PanelTable {
  return {
    id: 'ioasids',
    title: 'IOASIDs',
    head: ['IOASID', 'handle', 'PASID', 'refcount', 'state', 'DMA', 'held by'],
    rows: s.ioasids.flatMap((io, i) => {
      if (!io) return [];
      const id = i + 1;
      return [
        {
          k: `ioasid:${id}`,
          c: [
            name(id),
            io.handle !== 0 ? String(io.handle) : 'none (destroyed)',
            io.pasid !== 0 ? String(io.pasid) : 'none',
            String(io.users),
            ioasidState(s, id),
            io.blocked ? 'blocked' : 'translates',
            holdersOf(scope, s, id).join('; ') || 'nothing',
          ],
        },
      ];
    }),
    empty: 'no IOASIDs',
  };
}

function poolTable({ scope, s, name }: Seen): PanelTable {
  return {
    id: 'pool',
    title: 'PASID pool',
    head: ['PASID', 'pool', 'used by'],
    rows: Array.from({ length: scope.pasids }, (_, i) => {
      const p = i + 1;
      return { k: `pasid:${p}`, c: [String(p), isFree(s, p) ? 'free' : 'taken', usersOfPasid(scope, s, p, name).join('; ') || 'nothing'] };
    }),
    empty: 'no PASIDs',
  };
}

/** A device's PASID table: its entries, then (SVA) its mm bindings. */
function deviceTable({ scope, s, name }: Seen, d: Scope['devices'][number]): PanelTable {
  const own = d.kind === 'pdev' ? `pdev ${d.id} (process ${d.owner}'s)` : `swq ${d.id}`;
  const rows: PanelRow[] = (s.tables[d.id - 1] ?? []).map((e) => ({
    k: `entry:${d.id}:${e.pasid}`,
    c: [
      String(e.pasid),
      name(e.ioasid),
      e.mdev === 0 ? 'the pdev itself' : `mdev ${e.mdev} (process ${scope.mdevs[e.mdev - 1]?.owner ?? '?'}'s)`,
      e.mdev === 0 ? '-' : yesNo(e.allowed),
      landsIn(s, e.ioasid),
    ],
  }));
  const svaRows: PanelRow[] = (s.sva?.[d.id - 1] ?? []).map((e) => ({
    k: `sva:${d.id}:${e.pasid}`,
    c: [String(e.pasid), `process ${e.proc}'s mm`, 'SVA binding', '-', s.alive[e.proc - 1] ? `process ${e.proc}` : 'fault (mm torn down)'],
  }));
  return { id: `table:${d.id}`, title: `${own} PASID table`, head: ['PASID', 'to', 'made through', 'mdev allowed then', 'DMA lands in'], rows: [...rows, ...svaRows], empty: 'no entries' };
}

function queueTable({ scope, s }: Seen, dev: number): PanelTable {
  return {
    id: `queue:${dev}`,
    title: `swq ${dev} queue (depth ${scope.swqDepth}, oldest first)`,
    head: ['position', 'issued by', 'PASID'],
    rows: (s.queues[dev - 1] ?? []).map((q, i) => ({ k: `descriptor:${dev}:${i}`, c: [String(i + 1), `process ${q.issuer}`, String(q.pasid)] })),
    empty: 'empty',
  };
}

function mdevsTable({ scope, s }: Seen): PanelTable {
  return {
    id: 'mdevs',
    title: 'mdevs (authorization #1)',
    head: ['mdev', 'parent', 'owner', 'VM', 'allowed PASID use for'],
    rows: scope.mdevs.map((m) => {
      const a = s.allowed[m.id - 1] ?? 0;
      return { k: `mdev:${m.id}`, c: [`mdev ${m.id}`, `swq ${m.parent}`, `process ${m.owner}`, `VM ${m.vm}`, a === 0 ? 'nothing' : `file ${a} (${fileWords(s, a)})`] };
    }),
    empty: 'no mdevs',
  };
}

function vmsTable({ scope, s }: Seen): PanelTable {
  return {
    id: 'vms',
    title: 'VMs (authorization #2)',
    head: ['VM', 'owner', 'status', 'FD presented to KVM', 'ENQCMD table'],
    rows: scope.vms.map((v) => {
      const vm = s.vms[v.id - 1]!;
      return {
        k: `vm:${v.id}`,
        c: [`VM ${v.id}`, `process ${v.owner}`, vm.alive ? 'running' : 'destroyed', vm.presented === 0 ? 'none' : `file ${vm.presented} (${fileWords(s, vm.presented)})`, vm.enabled ? 'enabled' : 'disabled'],
      };
    }),
    empty: 'no VMs',
  };
}

function kvmTable({ s, name }: Seen, vm: number): PanelTable {
  return {
    id: `kvm:${vm}`,
    title: `VM ${vm} ENQCMD table (${s.vms[vm - 1]!.enabled ? 'enabled' : 'disabled'})`,
    head: ['vPASID', 'PASID', 'IOASID', 'made by'],
    rows: s.vms[vm - 1]!.entries.map((e) => ({
      k: `kvm:${vm}:${e.vpasid}`,
      c: [String(e.vpasid), String(e.pasid), name(e.ioasid), e.explicit ? 'kvm_map_pasid' : 'implicitly (no kvm_map_pasid)'],
    })),
    empty: 'no entries',
  };
}

function notesTable(s: State): PanelTable {
  return {
    id: 'notes',
    title: 'Pending notifications (oldest first)',
    head: ['position', 'to', 'releases'],
    rows: s.notifications.map((n, i) => ({
      k: `note:${i}`,
      c: [String(i + 1), n.holder === 'kvm' ? `VM ${n.id}` : `${n.holder === 'pdev' ? 'pdev' : 'swq'} ${n.id}`, n.holder === 'kvm' ? `vPASID ${n.key}` : `PASID ${n.key}`],
    })),
    empty: 'none pending',
  };
}

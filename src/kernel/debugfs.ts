/*
 * debugfs: a read-only dump of the whole kernel state, for the toolkit's
 * abstraction function (kernel state -> model state) and for self-checks.
 *
 * WARNING: a snapshot is a fresh copy of plain data: it shares nothing with the
 * kernel, and reading one changes nothing. It is deterministic for a given call
 * history: every list is sorted by its first field, and object ids are
 * allocation counters (files and IOASIDs each count 1, 2, ... in allocation
 * order, never reused), which the toolkit canonicalises.
 */
import type { KernelState } from './boot';
import { mm_valid_pasid } from './mm';
import { pasid_free_list } from './pasid';
import { xa_for_each } from './xarray';

export interface ProcSnapshot {
  readonly proc: number;
  /** False once exited. */
  readonly alive: boolean;
  /** The open fds, in fd order, each with the id of its file. */
  readonly fds: ReadonlyArray<{ readonly fd: number; readonly file: number }>;
}

/** A file that is open, or closed but still referenced; released files are not shown. */
export interface FileSnapshot {
  readonly id: number;
  readonly proc: number;
  /** The fd number while open; null once closed. */
  readonly fd: number | null;
  /** Holders: the fd slot while open, each charged IOASID, each mdev allowance, each VM it was presented to. */
  readonly users: number;
  /** The quota counter: live + parked IOASIDs of this file (its own bookkeeping). */
  readonly charged: number;
}

/** An IOASID that still holds its PASID: live, or destroyed and parked. Recycled ones are not shown. */
export interface IoasidSnapshot {
  readonly id: number;
  readonly file: number;
  /** The handle in its file while live; null once destroyed. */
  readonly handle: number | null;
  readonly pasid: number;
  readonly destroyed: boolean;
  /** Translations reaching it fail with a TLP error (set by destroy). */
  readonly blocked: boolean;
  /** Holders: the file while live, each pdev, swq-parent and KVM entry pointing at it. */
  readonly users: number;
}

export interface PdevSnapshot {
  readonly dev: number;
  readonly owner: number;
  /** The PASID table, in PASID order. */
  readonly entries: ReadonlyArray<{ readonly pasid: number; readonly ioasid: number }>;
}

export interface SwqSnapshot {
  readonly dev: number;
  /** The parent's PASID table, in PASID order, each with the mdev it was made through. */
  readonly entries: ReadonlyArray<{ readonly pasid: number; readonly ioasid: number; readonly mdev: number }>;
  /** The descriptor queue, oldest first. */
  readonly queue: ReadonlyArray<{ readonly issuer: number; readonly pasid: number }>;
}

export interface MdevSnapshot {
  readonly mdev: number;
  readonly parent: number;
  readonly owner: number;
  readonly vm: number;
  /** The file PASID use is allowed for (possibly closed since), or null. */
  readonly allowedFile: number | null;
}

export interface VmSnapshot {
  readonly vm: number;
  readonly owner: number;
  /** False once destroyed. */
  readonly alive: boolean;
  /** The presented file (possibly closed since), or null. */
  readonly file: number | null;
  /** The ENQCMD translation table is enabled. */
  readonly enabled: boolean;
  /** The ENQCMD table, in vpasid order: the IOASID referenced and the raw PASID the CPU writes. */
  readonly entries: ReadonlyArray<{ readonly vpasid: number; readonly ioasid: number; readonly pasid: number }>;
}

/** An mm, as SVA sees it (only on topologies with SVA). */
export interface MmSnapshot {
  readonly proc: number;
  /** The mm's PASID, or null when it holds none. */
  readonly pasid: number | null;
  /** mm_count: 1 for all address-space users, plus one per bond; 0 once the mm_struct is freed. */
  readonly users: number;
  /** mm_users: 1 while the process lives, 0 once exit_mm() tore the address space down. */
  readonly addressSpaceUsers: number;
}

export interface SvaSnapshot {
  /** Per process, in proc order. */
  readonly mms: readonly MmSnapshot[];
  /** The SVA entries of the swq devices' PASID tables, in (device, PASID) order. */
  readonly entries: ReadonlyArray<{ readonly dev: number; readonly pasid: number; readonly proc: number }>;
  /** Each process's bonds, in (proc, device) order, with the PASID slot each occupies. */
  readonly bonds: ReadonlyArray<{ readonly proc: number; readonly dev: number; readonly pasid: number }>;
}

export interface KernelSnapshot {
  readonly procs: readonly ProcSnapshot[];
  readonly files: readonly FileSnapshot[];
  readonly ioasids: readonly IoasidSnapshot[];
  /** The PASID allocator's free pool, ascending. */
  readonly freePasids: readonly number[];
  readonly pdevs: readonly PdevSnapshot[];
  readonly swqs: readonly SwqSnapshot[];
  readonly mdevs: readonly MdevSnapshot[];
  readonly vms: readonly VmSnapshot[];
  /** Only on topologies with SVA (DESIGN.md §10), so nothing else changes. */
  readonly sva?: SvaSnapshot;
}

function sva_snapshot(s: KernelState): SvaSnapshot {
  const procs = xa_for_each(s.procs).map(([, p]) => p);
  return {
    mms: procs.map((p) => ({
      proc: p.id,
      pasid: mm_valid_pasid(p.mm) ? p.mm.pasid : null,
      users: p.mm.mm_count,
      addressSpaceUsers: p.mm.mm_users,
    })),
    entries: xa_for_each(s.swqs).flatMap(([, d]) =>
      xa_for_each(d.table).flatMap(([pasid, e]) => (e.kind === 'sva' ? [{ dev: d.id, pasid, proc: e.bond.mm.owner }] : [])),
    ),
    bonds: procs.flatMap((p) => xa_for_each(p.sva_bonds).map(([dev, b]) => ({ proc: p.id, dev, pasid: b.pasid }))),
  };
}

export function debugfs_snapshot(s: KernelState): KernelSnapshot {
  return {
    procs: xa_for_each(s.procs).map(([, p]) => ({
      proc: p.id,
      alive: p.alive,
      fds: xa_for_each(p.fds).map(([fd, file]) => ({ fd, file: file.id })),
    })),
    files: xa_for_each(s.core.files.objects).map(([, f]) => ({
      id: f.id, proc: f.proc, fd: f.fd, users: f.users, charged: f.charged,
    })),
    ioasids: xa_for_each(s.core.ioasids.objects).map(([, i]) => ({
      id: i.id, file: i.file.id, handle: i.handle, pasid: i.pasid,
      destroyed: i.destroyed, blocked: i.blocked, users: i.users,
    })),
    freePasids: pasid_free_list(s.core.pasids),
    pdevs: xa_for_each(s.pdevs).map(([, d]) => ({
      dev: d.id,
      owner: d.owner,
      entries: xa_for_each(d.table).map(([pasid, ioasid]) => ({ pasid, ioasid: ioasid.id })),
    })),
    swqs: xa_for_each(s.swqs).map(([, d]) => ({
      dev: d.id,
      entries: xa_for_each(d.table).flatMap(([pasid, e]) => (e.kind === 'ioasid' ? [{ pasid, ioasid: e.ioasid.id, mdev: e.mdev }] : [])),
      queue: d.queue.descs.map((desc) => ({ issuer: desc.issuer, pasid: desc.pasid })),
    })),
    mdevs: xa_for_each(s.mdevs).map(([, m]) => ({
      mdev: m.id, parent: m.parent.id, owner: m.owner, vm: m.vm, allowedFile: m.allowed?.id ?? null,
    })),
    vms: xa_for_each(s.vms).map(([, v]) => ({
      vm: v.id,
      owner: v.owner,
      alive: v.alive,
      file: v.file?.id ?? null,
      enabled: v.enqcmd_enabled,
      entries: xa_for_each(v.table).map(([vpasid, e]) => ({ vpasid, ioasid: e.ioasid.id, pasid: e.pasid })),
    })),
    ...(s.topology.sva === true ? { sva: sva_snapshot(s) } : {}),
  };
}

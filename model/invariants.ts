/**
 * ▶ The security invariants of DESIGN.md §4: one registry, iterated by every
 * checker (explorer, simulator, replay, proofs, report). Each predicate says
 * whether the invariant holds in a state.
 */
import type { Scope } from './scope';
import { type State, isFree, ownerOf } from './state';

export const INVARIANT_NAMES = [
  'explicit-vm-authorization',
  'explicit-mdev-authorization',
  'recycle-at-zero',
  'refcount-exact',
  'pasid-unique',
  'destroyed-blocks-dma',
  'no-cross-tenant-dma',
  'quota',
  'no-leak',
] as const;

export type InvariantName = (typeof INVARIANT_NAMES)[number];

export interface Invariant {
  readonly name: InvariantName;
  /** must hold in every reachable state */
  readonly statement: string;
  /** the seed sentence it encodes */
  readonly seed: string;
  readonly holds: (scope: Scope, s: State) => boolean;
}

export function isInvariantName(name: string): name is InvariantName {
  return (INVARIANT_NAMES as readonly string[]).includes(name);
}

/**
 * Where a DMA through `dev`'s table with `pasid` ends: the owner's process, or
 * 0 (blocked or fault). An SVA entry (§10) leads to its process while it is
 * alive; after exit_mm its address space is gone and the DMA faults.
 */
function reach(s: State, dev: number, pasid: number): number {
  const e = s.tables[dev - 1]!.find((x) => x.pasid === pasid);
  if (!e) {
    const v = s.sva?.[dev - 1]?.find((x) => x.pasid === pasid);
    return v && s.alive[v.proc - 1] ? v.proc : 0;
  }
  if (s.ioasids[e.ioasid - 1]!.blocked) return 0;
  return ownerOf(s, e.ioasid);
}

function everyPath(scope: Scope, s: State): boolean {
  for (const dev of scope.devices) {
    for (const e of s.tables[dev.id - 1]!) {
      const owner = dev.kind === 'pdev' ? dev.owner : scope.mdevs[e.mdev - 1]!.owner;
      const got = reach(s, dev.id, e.pasid);
      if (got !== 0 && got !== owner) return false;
    }
    for (const q of s.queues[dev.id - 1]!) {
      const got = reach(s, dev.id, q.pasid);
      if (got !== 0 && got !== q.issuer) return false;
    }
  }
  for (const m of scope.mdevs) {
    const owner = scope.vms[m.vm - 1]!.owner;
    for (const e of s.vms[m.vm - 1]!.entries) {
      const got = reach(s, m.parent, e.pasid);
      if (got !== 0 && got !== owner) return false;
    }
  }
  return true;
}

/** Whether PASID p is held by anything: an ioasid, a table entry, a KVM entry, a descriptor. */
function holders(s: State, p: number, countParked: boolean): boolean {
  for (const io of s.ioasids) if (io && io.pasid === p && (countParked || io.handle !== 0)) return true;
  for (const t of s.tables) if (t.some((e) => e.pasid === p)) return true;
  for (const vm of s.vms) if (vm.entries.some((e) => e.pasid === p)) return true;
  for (const q of s.queues) if (q.some((d) => d.pasid === p)) return true;
  // §10: SVA entries are table entries, and an mm holding a PASID is a holder.
  if (s.sva) for (const t of s.sva) if (t.some((e) => e.pasid === p)) return true;
  if (s.mms) for (const m of s.mms) if (m.pasid === p) return true;
  return false;
}

export const INVARIANTS: readonly Invariant[] = [
  {
    name: 'explicit-vm-authorization',
    statement:
      "every ENQCMD-table entry was made by kvm_map_pasid, its VM exists with the table enabled, and it points at an IOASID of the VM's own process",
    seed: 'KVM should *not* automatically opt into security sensitive stuff without being explicitly told what to do.',
    holds: (scope, s) =>
      s.vms.every(
        (vm, i) =>
          vm.entries.length === 0 ||
          (vm.alive && vm.enabled && vm.entries.every((e) => e.explicit && ownerOf(s, e.ioasid) === scope.vms[i]!.owner)),
      ),
  },
  {
    name: 'explicit-mdev-authorization',
    statement: 'every parent-table entry made through an mdev was made while that mdev was allowed PASID use for the IOASID\'s FD',
    seed: 'The mdev needs to be told it is allowed to use PASID, this tells the IOMMU driver to connect the pci device under the mdev',
    holds: (_scope, s) => s.tables.every((t) => t.every((e) => e.mdev === 0 || e.allowed)),
  },
  {
    name: 'recycle-at-zero',
    statement:
      'a PASID in the free pool has no holder: no IOASID (live or parked), no table entry, no KVM entry, no queued descriptor',
    seed: 'parks the PASID until *all* places release it. Upon a zero refcount the PASID is recycled for future use.',
    holds: (scope, s) => {
      for (let p = 1; p <= scope.pasids; p++) if (isFree(s, p) && holders(s, p, true)) return false;
      return true;
    },
  },
  {
    name: 'refcount-exact',
    statement: "an IOASID's refcount equals its software holders: the FD while live, table entries, KVM entries",
    seed: 'The ioasid should be a reference counted object.',
    holds: (_scope, s) => {
      const count = s.ioasids.map((io): number => (io && io.handle !== 0 ? 1 : 0));
      for (const t of s.tables) for (const e of t) count[e.ioasid - 1] = (count[e.ioasid - 1] ?? 0) + 1;
      for (const vm of s.vms) for (const e of vm.entries) count[e.ioasid - 1] = (count[e.ioasid - 1] ?? 0) + 1;
      if (!(count.every((n, i) => (s.ioasids[i]?.users ?? 0) === n) && s.ioasids.every((io) => io === null || io.users > 0))) return false;
      // §10: each mm's count is 1 while its process is alive, plus its bindings.
      if (!s.mms) return true;
      return s.mms.every((m, i) => {
        let n = s.alive[i] ? 1 : 0;
        for (const t of s.sva ?? []) for (const e of t) if (e.proc === i + 1) n++;
        return m.users === n;
      });
    },
  },
  {
    name: 'pasid-unique',
    statement: 'no two IOASIDs that hold a PASID (live or parked) hold the same one',
    seed: 'each IOASID holds one hardware PASID from a global PASID space',
    holds: (_scope, s) => {
      let seen = 0;
      for (const io of s.ioasids) {
        if (!io || io.pasid === 0) continue;
        if (seen & (1 << io.pasid)) return false;
        seen |= 1 << io.pasid;
      }
      // §10: no two of IOASIDs holding a PASID and mms holding one.
      for (const m of s.mms ?? []) {
        if (m.pasid === 0) continue;
        if (seen & (1 << m.pasid)) return false;
        seen |= 1 << m.pasid;
      }
      return true;
    },
  },
  {
    name: 'destroyed-blocks-dma',
    statement: 'every table entry pointing at a destroyed IOASID is blocked: no translation reaches it',
    seed: 'When the FD is closed, or the ioasid is "destroyed" it just blocks DMA',
    holds: (_scope, s) =>
      s.tables.every((t) =>
        t.every((e) => {
          const io = s.ioasids[e.ioasid - 1]!;
          return io.handle !== 0 || io.blocked;
        }),
      ),
  },
  {
    name: 'no-cross-tenant-dma',
    statement:
      "every DMA path (pdev entry, mdev entry, KVM entry through the VM's mdevs, queued descriptor) ends in its own process's memory, or is blocked or faults",
    seed: 'Having a PASID wrongly leak out into the VM would be a security disaster.',
    holds: everyPath,
  },
  {
    name: 'quota',
    statement: 'per FD, charged PASIDs (live + parked IOASIDs of that FD, even after it is closed) <= quota',
    seed: 'Each FD is an "ioasid set" with a quota',
    holds: (scope, s) => {
      const n = new Map<number, number>();
      for (const io of s.ioasids) if (io && io.pasid !== 0) n.set(io.file, (n.get(io.file) ?? 0) + 1);
      for (const c of n.values()) if (c > scope.quota) return false;
      return true;
    },
  },
  {
    name: 'no-leak',
    statement: 'every PASID outside the free pool has a holder: a live IOASID, a table entry, a KVM entry or a queued descriptor',
    seed: 'Upon a zero refcount the PASID is recycled for future use.',
    holds: (scope, s) => {
      for (let p = 1; p <= scope.pasids; p++) if (!isFree(s, p) && !holders(s, p, false)) return false;
      return true;
    },
  },
];

export const INVARIANT_BY_NAME: Readonly<Record<InvariantName, Invariant>> = Object.fromEntries(
  INVARIANTS.map((i) => [i.name, i]),
) as Record<InvariantName, Invariant>;

/** The names of the invariants violated in `s`, in registry order. */
export function violated(scope: Scope, s: State): InvariantName[] {
  const out: InvariantName[] = [];
  for (const inv of INVARIANTS) if (!inv.holds(scope, s)) out.push(inv.name);
  return out;
}

/**
 * What breaks an invariant, in domain words: the offending object or DMA path
 * in a state that violates it ("the descriptor queued by process 1 with
 * PASID 1 on swq 2 now reaches process 2's IOASID (fd 1, handle 1)"). Reads
 * the state only; the invariants themselves stay in model/invariants.ts, and
 * a test holds this to them (a violating state always gets a sentence).
 */
import type { InvariantName } from '../../model/invariants';
import type { Scope } from '../../model/scope';
import { type State, isFree, ownerOf } from '../../model/state';

/** An IOASID named by its process and handle, never by its reused slot number. */
export function ioasidWords(s: State, id: number): string {
  const io = s.ioasids[id - 1];
  if (!io) return 'a freed IOASID';
  const f = s.files[io.file - 1];
  const who = f ? `process ${f.proc}` : 'a closed file';
  if (io.handle === 0) return `${who}'s destroyed IOASID${io.pasid === 0 ? ' (PASID already recycled)' : ''}`;
  return `${who}'s IOASID (fd ${f && f.fd !== 0 ? f.fd : 'closed'}, handle ${io.handle})`;
}

/** Where a translation on `dev` with `pasid` lands: the entry's IOASID, or null (fault, blocked). */
function reach(s: State, dev: number, pasid: number): { ioasid: number; owner: number } | null {
  const e = s.tables[dev - 1]!.find((x) => x.pasid === pasid);
  if (!e || s.ioasids[e.ioasid - 1]!.blocked) return null;
  return { ioasid: e.ioasid, owner: ownerOf(s, e.ioasid) };
}

function crossTenant(scope: Scope, s: State): string | null {
  for (const dev of scope.devices) {
    for (const q of s.queues[dev.id - 1]!) {
      const r = reach(s, dev.id, q.pasid);
      if (r && r.owner !== q.issuer) {
        return `the descriptor queued by process ${q.issuer} with PASID ${q.pasid} on swq ${dev.id} now reaches ${ioasidWords(s, r.ioasid)}`;
      }
    }
    for (const e of s.tables[dev.id - 1]!) {
      const owner = dev.kind === 'pdev' ? dev.owner : scope.mdevs[e.mdev - 1]!.owner;
      const r = reach(s, dev.id, e.pasid);
      if (r && r.owner !== owner) {
        const path = dev.kind === 'pdev' ? `pdev ${dev.id} (process ${owner}'s)` : `mdev ${e.mdev} (process ${owner}'s) on swq ${dev.id}`;
        return `${path} with PASID ${e.pasid} reaches ${ioasidWords(s, r.ioasid)}`;
      }
    }
  }
  for (const m of scope.mdevs) {
    const owner = scope.vms[m.vm - 1]!.owner;
    for (const e of s.vms[m.vm - 1]!.entries) {
      const r = reach(s, m.parent, e.pasid);
      if (r && r.owner !== owner) {
        return `VM ${m.vm} (process ${owner}'s) vPASID ${e.vpasid} -> PASID ${e.pasid}, through mdev ${m.id} on swq ${m.parent}, reaches ${ioasidWords(s, r.ioasid)}`;
      }
    }
  }
  return null;
}

function holderOf(scope: Scope, s: State, p: number): string | null {
  for (let i = 0; i < s.ioasids.length; i++) if (s.ioasids[i]?.pasid === p) return ioasidWords(s, i + 1);
  for (let d = 0; d < s.tables.length; d++) if (s.tables[d]!.some((e) => e.pasid === p)) return `${scope.devices[d]!.kind} ${d + 1}'s table entry for it`;
  for (let v = 0; v < s.vms.length; v++) if (s.vms[v]!.entries.some((e) => e.pasid === p)) return `VM ${v + 1}'s ENQCMD-table entry`;
  for (let d = 0; d < s.queues.length; d++) {
    const q = s.queues[d]!.find((x) => x.pasid === p);
    if (q) return `a descriptor queued by process ${q.issuer} on swq ${d + 1}`;
  }
  return null;
}

/** One sentence naming what violates `inv` in `s`; a generic one if nothing specific is found. */
export function offender(scope: Scope, s: State, inv: InvariantName): string {
  return specific(scope, s, inv) ?? `${inv} is violated`;
}

function specific(scope: Scope, s: State, inv: InvariantName): string | null {
  switch (inv) {
    case 'no-cross-tenant-dma':
      return crossTenant(scope, s);
    case 'destroyed-blocks-dma':
      for (let d = 0; d < s.tables.length; d++) {
        for (const e of s.tables[d]!) {
          const io = s.ioasids[e.ioasid - 1]!;
          if (io.handle === 0 && !io.blocked) {
            return `${scope.devices[d]!.kind} ${d + 1}'s entry for PASID ${e.pasid}${e.mdev ? ` (via mdev ${e.mdev})` : ''} still translates to ${ioasidWords(s, e.ioasid)}: DMA is not blocked`;
          }
        }
      }
      return null;
    case 'explicit-vm-authorization':
      for (let v = 0; v < s.vms.length; v++) {
        const vm = s.vms[v]!;
        for (const e of vm.entries) {
          const owner = scope.vms[v]!.owner;
          if (!e.explicit) return `VM ${v + 1}'s ENQCMD table maps vPASID ${e.vpasid} -> PASID ${e.pasid} (${ioasidWords(s, e.ioasid)}) although KVM was never told to (no kvm_map_pasid${vm.enabled ? '' : ', table not enabled'})`;
          if (!vm.alive || !vm.enabled) return `VM ${v + 1}'s ENQCMD table has vPASID ${e.vpasid} -> PASID ${e.pasid} while ${vm.alive ? 'the table is disabled' : 'the VM is gone'}`;
          if (ownerOf(s, e.ioasid) !== owner) return `VM ${v + 1} (process ${owner}'s) maps vPASID ${e.vpasid} to ${ioasidWords(s, e.ioasid)}`;
        }
      }
      return null;
    case 'explicit-mdev-authorization':
      for (let d = 0; d < s.tables.length; d++) {
        const e = s.tables[d]!.find((x) => x.mdev !== 0 && !x.allowed);
        if (e) return `swq ${d + 1}'s entry for PASID ${e.pasid} via mdev ${e.mdev} (to ${ioasidWords(s, e.ioasid)}) was made while mdev ${e.mdev} was not allowed PASID use`;
      }
      return null;
    case 'recycle-at-zero':
      for (let p = 1; p <= scope.pasids; p++) {
        const h = isFree(s, p) ? holderOf(scope, s, p) : null;
        if (h) return `PASID ${p} is back in the free pool while ${h} still holds it`;
      }
      return null;
    case 'no-leak':
      for (let p = 1; p <= scope.pasids; p++) {
        if (isFree(s, p)) continue;
        const parked = s.ioasids.findIndex((io) => io?.pasid === p);
        const live = s.ioasids.some((io) => io?.pasid === p && io.handle !== 0);
        const h = live ? 'live' : holderOf(scope, { ...s, ioasids: s.ioasids.map((io) => (io && io.handle === 0 ? null : io)) }, p);
        if (!h) return `PASID ${p} is out of the free pool but nothing can release it${parked >= 0 ? ` (parked by ${ioasidWords(s, parked + 1)})` : ''}`;
      }
      return null;
    case 'pasid-unique': {
      const by = new Map<number, number>();
      for (let i = 0; i < s.ioasids.length; i++) {
        const p = s.ioasids[i]?.pasid ?? 0;
        if (p === 0) continue;
        const other = by.get(p);
        if (other !== undefined) return `${ioasidWords(s, other)} and ${ioasidWords(s, i + 1)} both hold PASID ${p}`;
        by.set(p, i + 1);
      }
      return null;
    }
    case 'quota': {
      const n = new Map<number, number>();
      for (const io of s.ioasids) if (io && io.pasid !== 0) n.set(io.file, (n.get(io.file) ?? 0) + 1);
      for (const [file, c] of n) {
        const f = s.files[file - 1];
        if (c > scope.quota) return `${f ? `process ${f.proc}'s fd ${f.fd === 0 ? '(closed)' : f.fd}` : `file ${file}`} has ${c} PASIDs charged (live + parked), over its quota of ${scope.quota}`;
      }
      return null;
    }
    case 'refcount-exact':
      for (let i = 0; i < s.ioasids.length; i++) {
        const io = s.ioasids[i];
        if (!io) continue;
        let holders = io.handle !== 0 ? 1 : 0;
        for (const t of s.tables) holders += t.filter((e) => e.ioasid === i + 1).length;
        for (const vm of s.vms) holders += vm.entries.filter((e) => e.ioasid === i + 1).length;
        if (holders !== io.users || io.users <= 0) return `${ioasidWords(s, i + 1)} counts ${io.users} users but has ${holders} holders`;
      }
      return null;
  }
}

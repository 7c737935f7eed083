/**
 * What breaks an invariant, in domain words: the offending object or DMA path
 * in a state that violates it ("the descriptor queued by process 1 with
 * PASID 1 on swq 2 now reaches process 2's IOASID (fd 1, handle 1)"), and the
 * objects of the state the sentence names, for a viewer to highlight
 * (src/view/). Reads the state only; the invariants themselves stay in
 * model/invariants.ts, and a test holds this to them (a violating state
 * always gets a sentence).
 */
import type { InvariantName } from '../../model/invariants';
import type { Scope } from '../../model/scope';
import { type State, isFree, ownerOf, svaEntry } from '../../model/state';

/**
 * An object of a state, as a viewer keys it: an IOASID by slot, a PASID-table
 * entry by device and PASID, a queued descriptor by device and position
 * (0 = oldest), a KVM entry by VM and vPASID, an mdev, a PASID of the pool, a
 * file by slot, an SVA entry by device and PASID, a process (its mm).
 */
export type OffenderRef =
  | `ioasid:${number}`
  | `entry:${number}:${number}`
  | `descriptor:${number}:${number}`
  | `kvm:${number}:${number}`
  | `mdev:${number}`
  | `pasid:${number}`
  | `file:${number}`
  | `sva:${number}:${number}`
  | `proc:${number}`;

/** The sentence, and the objects it names. */
export interface Offender {
  readonly text: string;
  readonly refs: readonly OffenderRef[];
}

const found = (text: string, ...refs: OffenderRef[]): Offender => ({ text, refs });

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

/** §10: the process a translation on `dev` with `pasid` lands in through an SVA entry (no mdev entry for it, the process alive), or 0. */
function svaReach(s: State, dev: number, pasid: number): number {
  if (s.tables[dev - 1]!.some((x) => x.pasid === pasid)) return 0;
  const v = svaEntry(s, dev, pasid);
  return v && s.alive[v.proc - 1] ? v.proc : 0;
}

const svaWords = (proc: number, pasid: number): string => `process ${proc}'s address space (its SVA binding of PASID ${pasid})`;

function crossTenant(scope: Scope, s: State): Offender | null {
  for (const dev of scope.devices) {
    for (const [i, q] of s.queues[dev.id - 1]!.entries()) {
      const r = reach(s, dev.id, q.pasid);
      if (r && r.owner !== q.issuer) {
        return found(`the descriptor queued by process ${q.issuer} with PASID ${q.pasid} on swq ${dev.id} now reaches ${ioasidWords(s, r.ioasid)}`, `descriptor:${dev.id}:${i}`, `entry:${dev.id}:${q.pasid}`, `ioasid:${r.ioasid}`);
      }
      const v = r ? 0 : svaReach(s, dev.id, q.pasid);
      if (v !== 0 && v !== q.issuer) {
        return found(`the descriptor queued by process ${q.issuer} with PASID ${q.pasid} on swq ${dev.id} now reaches ${svaWords(v, q.pasid)}`, `descriptor:${dev.id}:${i}`, `sva:${dev.id}:${q.pasid}`, `proc:${v}`);
      }
    }
    for (const e of s.tables[dev.id - 1]!) {
      const owner = dev.kind === 'pdev' ? dev.owner : scope.mdevs[e.mdev - 1]!.owner;
      const r = reach(s, dev.id, e.pasid);
      if (r && r.owner !== owner) {
        const path = dev.kind === 'pdev' ? `pdev ${dev.id} (process ${owner}'s)` : `mdev ${e.mdev} (process ${owner}'s) on swq ${dev.id}`;
        return found(`${path} with PASID ${e.pasid} reaches ${ioasidWords(s, r.ioasid)}`, `entry:${dev.id}:${e.pasid}`, ...(e.mdev ? [`mdev:${e.mdev}` as const] : []), `ioasid:${r.ioasid}`);
      }
    }
  }
  for (const m of scope.mdevs) {
    const owner = scope.vms[m.vm - 1]!.owner;
    for (const e of s.vms[m.vm - 1]!.entries) {
      const r = reach(s, m.parent, e.pasid);
      if (r && r.owner !== owner) {
        return found(
          `VM ${m.vm} (process ${owner}'s) vPASID ${e.vpasid} -> PASID ${e.pasid}, through mdev ${m.id} on swq ${m.parent}, reaches ${ioasidWords(s, r.ioasid)}`,
          `kvm:${m.vm}:${e.vpasid}`,
          `mdev:${m.id}`,
          `entry:${m.parent}:${e.pasid}`,
          `ioasid:${r.ioasid}`,
        );
      }
      const v = r ? 0 : svaReach(s, m.parent, e.pasid);
      if (v !== 0 && v !== owner) {
        return found(
          `VM ${m.vm} (process ${owner}'s) vPASID ${e.vpasid} -> PASID ${e.pasid}, through mdev ${m.id} on swq ${m.parent}, reaches ${svaWords(v, e.pasid)}`,
          `kvm:${m.vm}:${e.vpasid}`,
          `mdev:${m.id}`,
          `sva:${m.parent}:${e.pasid}`,
          `proc:${v}`,
        );
      }
    }
  }
  return null;
}

function holderOf(scope: Scope, s: State, p: number): Offender | null {
  for (let i = 0; i < s.ioasids.length; i++) if (s.ioasids[i]?.pasid === p) return found(ioasidWords(s, i + 1), `ioasid:${i + 1}`);
  for (let d = 0; d < s.tables.length; d++) if (s.tables[d]!.some((e) => e.pasid === p)) return found(`${scope.devices[d]!.kind} ${d + 1}'s table entry for it`, `entry:${d + 1}:${p}`);
  for (let v = 0; v < s.vms.length; v++) {
    const e = s.vms[v]!.entries.find((x) => x.pasid === p);
    if (e) return found(`VM ${v + 1}'s ENQCMD-table entry`, `kvm:${v + 1}:${e.vpasid}`);
  }
  for (let d = 0; d < s.queues.length; d++) {
    const i = s.queues[d]!.findIndex((x) => x.pasid === p);
    if (i >= 0) return found(`a descriptor queued by process ${s.queues[d]![i]!.issuer} on swq ${d + 1}`, `descriptor:${d + 1}:${i}`);
  }
  // §10: SVA entries are table entries, and an mm holding a PASID is a holder.
  for (let d = 0; d < (s.sva?.length ?? 0); d++) {
    const e = s.sva![d]!.find((x) => x.pasid === p);
    if (e) return found(`swq ${d + 1}'s SVA entry for process ${e.proc}`, `sva:${d + 1}:${p}`);
  }
  const mm = s.mms?.findIndex((m) => m.pasid === p) ?? -1;
  if (mm >= 0) return found(`process ${mm + 1}'s mm`, `proc:${mm + 1}`);
  return null;
}

/** One sentence naming what violates `inv` in `s`; a generic one if nothing specific is found. */
export function offender(scope: Scope, s: State, inv: InvariantName): string {
  return offenderAt(scope, s, inv).text;
}

/** The sentence of `offender` and the objects it names (none for the generic sentence). */
export function offenderAt(scope: Scope, s: State, inv: InvariantName): Offender {
  return specific(scope, s, inv) ?? found(`${inv} is violated`);
}

/** Per invariant, what in a state violates it (null: nothing specific found). */
const SPECIFIC: { readonly [I in InvariantName]: (scope: Scope, s: State) => Offender | null } = {
  'no-cross-tenant-dma': crossTenant,
  'destroyed-blocks-dma': unblockedEntry,
  'explicit-vm-authorization': unauthorizedKvmEntry,
  'explicit-mdev-authorization': unallowedMdevEntry,
  'recycle-at-zero': recycledWhileHeld,
  'no-leak': leakedPasid,
  'pasid-unique': sharedPasid,
  'quota': overQuota,
  'refcount-exact': wrongRefcount,
};

function specific(scope: Scope, s: State, inv: InvariantName): Offender | null {
  return SPECIFIC[inv](scope, s);
}

/** destroyed-blocks-dma: a table entry of a destroyed IOASID that still translates. */
function unblockedEntry(scope: Scope, s: State): Offender | null {
  for (let d = 0; d < s.tables.length; d++) {
    for (const e of s.tables[d]!) {
      const io = s.ioasids[e.ioasid - 1]!;
      if (io.handle === 0 && !io.blocked) {
        return found(
          `${scope.devices[d]!.kind} ${d + 1}'s entry for PASID ${e.pasid}${e.mdev ? ` (via mdev ${e.mdev})` : ''} still translates to ${ioasidWords(s, e.ioasid)}: DMA is not blocked`,
          `entry:${d + 1}:${e.pasid}`,
          `ioasid:${e.ioasid}`,
        );
      }
    }
  }
  return null;
}

/** explicit-vm-authorization: a KVM entry not made by kvm_map_pasid, or standing while its VM is gone or its table disabled, or to another process's IOASID. */
function unauthorizedKvmEntry(scope: Scope, s: State): Offender | null {
  for (let v = 0; v < s.vms.length; v++) {
    const vm = s.vms[v]!;
    for (const e of vm.entries) {
      const owner = scope.vms[v]!.owner;
      const at = [`kvm:${v + 1}:${e.vpasid}`, `ioasid:${e.ioasid}`] as const;
      if (!e.explicit) return found(`VM ${v + 1}'s ENQCMD table maps vPASID ${e.vpasid} -> PASID ${e.pasid} (${ioasidWords(s, e.ioasid)}) although KVM was never told to (no kvm_map_pasid${vm.enabled ? '' : ', table not enabled'})`, ...at);
      if (!vm.alive || !vm.enabled) return found(`VM ${v + 1}'s ENQCMD table has vPASID ${e.vpasid} -> PASID ${e.pasid} while ${vm.alive ? 'the table is disabled' : 'the VM is gone'}`, ...at);
      if (ownerOf(s, e.ioasid) !== owner) return found(`VM ${v + 1} (process ${owner}'s) maps vPASID ${e.vpasid} to ${ioasidWords(s, e.ioasid)}`, ...at);
    }
  }
  return null;
}

/** explicit-mdev-authorization: a parent-table entry made through an mdev that was not allowed PASID use. */
function unallowedMdevEntry(_scope: Scope, s: State): Offender | null {
  for (let d = 0; d < s.tables.length; d++) {
    const e = s.tables[d]!.find((x) => x.mdev !== 0 && !x.allowed);
    if (e) return found(`swq ${d + 1}'s entry for PASID ${e.pasid} via mdev ${e.mdev} (to ${ioasidWords(s, e.ioasid)}) was made while mdev ${e.mdev} was not allowed PASID use`, `entry:${d + 1}:${e.pasid}`, `mdev:${e.mdev}`, `ioasid:${e.ioasid}`);
  }
  return null;
}

/** recycle-at-zero: a free PASID something still holds. */
function recycledWhileHeld(scope: Scope, s: State): Offender | null {
  for (let p = 1; p <= scope.pasids; p++) {
    const h = isFree(s, p) ? holderOf(scope, s, p) : null;
    if (h) return found(`PASID ${p} is back in the free pool while ${h.text} still holds it`, `pasid:${p}`, ...h.refs);
  }
  return null;
}

/** no-leak: a taken PASID that nothing can release. */
function leakedPasid(scope: Scope, s: State): Offender | null {
  for (let p = 1; p <= scope.pasids; p++) {
    if (isFree(s, p)) continue;
    const parked = s.ioasids.findIndex((io) => io?.pasid === p);
    const live = s.ioasids.some((io) => io?.pasid === p && io.handle !== 0);
    const h = live ? 'live' : holderOf(scope, { ...s, ioasids: s.ioasids.map((io) => (io && io.handle === 0 ? null : io)) }, p);
    if (!h) return found(`PASID ${p} is out of the free pool but nothing can release it${parked >= 0 ? ` (parked by ${ioasidWords(s, parked + 1)})` : ''}`, `pasid:${p}`, ...(parked >= 0 ? [`ioasid:${parked + 1}` as const] : []));
  }
  return null;
}

/** pasid-unique: two IOASIDs holding one PASID. */
function sharedPasid(_scope: Scope, s: State): Offender | null {
  const by = new Map<number, number>();
  for (let i = 0; i < s.ioasids.length; i++) {
    const p = s.ioasids[i]?.pasid ?? 0;
    if (p === 0) continue;
    const other = by.get(p);
    if (other !== undefined) return found(`${ioasidWords(s, other)} and ${ioasidWords(s, i + 1)} both hold PASID ${p}`, `ioasid:${other}`, `ioasid:${i + 1}`, `pasid:${p}`);
    by.set(p, i + 1);
  }
  return null;
}

/** quota: a file with more PASIDs charged than its quota. */
function overQuota(scope: Scope, s: State): Offender | null {
  const n = new Map<number, number>();
  for (const io of s.ioasids) if (io && io.pasid !== 0) n.set(io.file, (n.get(io.file) ?? 0) + 1);
  for (const [file, c] of n) {
    const f = s.files[file - 1];
    if (c > scope.quota) {
      const charged = s.ioasids.flatMap((io, i) => (io && io.file === file && io.pasid !== 0 ? [`ioasid:${i + 1}` as const] : []));
      return found(`${f ? `process ${f.proc}'s fd ${f.fd === 0 ? '(closed)' : f.fd}` : `file ${file}`} has ${c} PASIDs charged (live + parked), over its quota of ${scope.quota}`, `file:${file}`, ...charged);
    }
  }
  return null;
}

/** refcount-exact: an IOASID whose users count differs from its holders. */
function wrongRefcount(_scope: Scope, s: State): Offender | null {
  for (let i = 0; i < s.ioasids.length; i++) {
    const io = s.ioasids[i];
    if (!io) continue;
    let holders = io.handle !== 0 ? 1 : 0;
    for (const t of s.tables) holders += t.filter((e) => e.ioasid === i + 1).length;
    for (const vm of s.vms) holders += vm.entries.filter((e) => e.ioasid === i + 1).length;
    if (holders !== io.users || io.users <= 0) return found(`${ioasidWords(s, i + 1)} counts ${io.users} users but has ${holders} holders`, `ioasid:${i + 1}`);
  }
  return null;

}

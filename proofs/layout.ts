/**
 * The fixed shape of the symbolic state for one (scope, variant): how many
 * file and ioasid slots it has, and the notification keys of
 * `notifier-cleanup`.
 *
 * Slot counts are upper bounds on what any reachable state uses, so that the
 * bounded encoding is exact; the `slots-suffice` obligation of prove() checks
 * each bound inductively:
 * - ioasids: one per PASID (an IOASID holds its PASID until it is freed), plus,
 *   in the variants that recycle at destroy, one PASID-less destroyed IOASID per
 *   entry that can still hold it (table keys (device, pasid), KVM keys (vm, vpasid));
 * - files: the open ones (procs x fdsPerProc), plus closed ones, each kept only
 *   while something refers to it: a VM's presented FD, an mdev's allowance, or
 *   an ioasid charged to it.
 */
import { notifies, recyclesAtDestroy } from '../model/rules';
import type { Rules, Scope } from '../model/index';

/** A pending notification is identified by the entry it asks to release. */
export interface NoteKey {
  readonly holder: 'pdev' | 'parent' | 'kvm';
  /** device id (pdev, parent) or vm id (kvm) */
  readonly id: number;
  /** pasid (pdev, parent) or vpasid (kvm) */
  readonly key: number;
}

export interface Layout {
  readonly scope: Scope;
  /** the design's rules: every rule-dependent part of the encoding reads them */
  readonly rules: Rules;
  readonly files: number;
  readonly ioasids: number;
  /** true for a swq device (it has a queue), per device index */
  readonly swq: readonly boolean[];
  /** notifier-cleanup only: every key, in the order destroy appends notifications */
  readonly noteKeys: readonly NoteKey[];
  /** ▶ §10: the scope has SVA (per-process mms, per-swq SVA entries); false: the state has none of it */
  readonly sva: boolean;
}

/** Entry keys: one per (device, pasid) and per (vm, vpasid). */
export function entryKeys(scope: Scope): number {
  return scope.devices.length * scope.pasids + scope.vms.length * scope.vpasids;
}

export function layoutOf(scope: Scope, rules: Rules): Layout {
  const ioasids = scope.pasids + (recyclesAtDestroy(rules) ? entryKeys(scope) : 0);
  const files = scope.procs * scope.fdsPerProc + scope.vms.length + scope.mdevs.length + ioasids;
  const noteKeys: NoteKey[] = [];
  if (notifies(rules)) {
    // notifyHolders' order: pdev tables by device, then swq tables, then KVM tables by VM.
    for (const kind of ['pdev', 'swq'] as const) {
      for (const d of scope.devices) {
        if (d.kind !== kind) continue;
        for (let p = 1; p <= scope.pasids; p++) noteKeys.push({ holder: kind === 'pdev' ? 'pdev' : 'parent', id: d.id, key: p });
      }
    }
    for (const v of scope.vms) for (let vp = 1; vp <= scope.vpasids; vp++) noteKeys.push({ holder: 'kvm', id: v.id, key: vp });
  }
  return { scope, rules, files, ioasids, swq: scope.devices.map((d) => d.kind === 'swq'), noteKeys, sva: scope.sva === true };
}

/** Index in `noteKeys` of a key, or -1 (no notifications in this variant). */
export function noteIndex(lay: Layout, holder: NoteKey['holder'], id: number, key: number): number {
  return lay.noteKeys.findIndex((k) => k.holder === holder && k.id === id && k.key === key);
}

/**
 * Attacks run to the end: from the state where a DMA-path invariant first
 * breaks, the shortest continuation that makes the breach observable, a call
 * whose result shows the wrong thing happening:
 *  - `no-cross-tenant-dma`: a `dma` or `swq_exec` whose result is
 *    `ok:<P>` for a process P other than the pdev's owner or the descriptor's
 *    issuer;
 *  - `destroyed-blocks-dma`: a `dma` or `swq_exec` that translates through an
 *    entry pointing at a destroyed IOASID and reaches memory (`ok:<P>`);
 *  - `explicit-vm-authorization`: a descriptor queued by `enqcmd` through a KVM
 *    entry that was not explicitly authorized, run by its swq and reaching
 *    memory;
 *  - `explicit-mdev-authorization`: a `swq_exec` that reaches memory through
 *    a parent-table entry made while its mdev was not allowed PASID use.
 *
 * A breadth-first search over model/step.ts from the violating state, trying
 * `dma` too (it never changes state, which is why the explorer skips it). The
 * search tracks at most one "tainted" descriptor for the VM authorization
 * goal: the one queued through the unauthorized entry.
 */
import { type AnyAction as Action, makeAction } from '../../model/actions';
import { scopeCandidates } from '../../model/candidates';
import type { InvariantName } from '../../model/invariants';
import type { Scope } from '../../model/scope';
import { type State, ownerOf, svaEntry } from '../../model/state';
import { step } from '../../model/step';
import type { Rules } from '../../model/rules';
import { Encoder } from './encode';

/** The invariants whose violations get a witness continuation. */
export const WITNESSED: readonly InvariantName[] = [
  'no-cross-tenant-dma',
  'destroyed-blocks-dma',
  'explicit-vm-authorization',
  'explicit-mdev-authorization',
];

export interface Witness {
  /** the continuation, from the violating state; its last call shows the breach */
  readonly actions: readonly Action[];
  /** the breach the last call shows, in domain words */
  readonly breach: string;
}

export interface WitnessLimits {
  /** the longest continuation searched (default 8) */
  readonly maxDepth?: number;
  /** stop after this many distinct states (default 300,000) */
  readonly maxStates?: number;
}

/** The calls the search tries: every state-changing candidate, and every `dma` of every pdev. */
export function witnessActions(scope: Scope, rules: Rules): Action[] {
  const dmas = scope.devices
    .filter((d) => d.kind === 'pdev')
    .flatMap((d) => Array.from({ length: scope.pasids }, (_, i) => makeAction('dma', [d.id, i + 1])));
  return [...scopeCandidates(scope, rules), ...dmas];
}

/** No taint; else (parent device, position in its queue + 1) of the descriptor queued without authorization. */
type Taint = number;
const NO_TAINT = 0;
const taintOf = (dev: number, pos: number): Taint => dev * 256 + pos + 1;
const taintDev = (t: Taint): number => Math.floor(t / 256);
const taintPos = (t: Taint): number => (t % 256) - 1;

const ioasidName = (s: State, id: number): string => {
  const io = s.ioasids[id - 1];
  if (!io) return `a freed IOASID`;
  const f = s.files[io.file - 1];
  const who = f ? `process ${f.proc}` : 'a closed file';
  if (io.handle === 0) return `${who}'s destroyed IOASID`;
  return `${who}'s IOASID (fd ${f?.fd ?? '?'}, handle ${io.handle})`;
};

/** The table entry a translation on `dev` with `pasid` uses, if any. */
const entryOf = (s: State, dev: number, pasid: number) => s.tables[dev - 1]!.find((e) => e.pasid === pasid);

/** Whether a KVM entry of `vm` for `vpasid` is one the design did not authorize. */
function unauthorizedKvm(scope: Scope, s: State, vm: number, vpasid: number): string | null {
  const v = s.vms[vm - 1]!;
  const e = v.entries.find((x) => x.vpasid === vpasid);
  if (!e) return null;
  if (!e.explicit) return `an ENQCMD-table entry made implicitly (vPASID ${vpasid} -> PASID ${e.pasid}, never mapped by kvm_map_pasid)`;
  if (!v.enabled) return `an ENQCMD-table entry of VM ${vm} whose table was never enabled`;
  const owner = scope.vms[vm - 1]!.owner;
  if (ownerOf(s, e.ioasid) !== owner) return `an ENQCMD-table entry pointing at ${ioasidName(s, e.ioasid)}, not one of process ${owner}'s`;
  return null;
}

/** The breach a call shows in `inv`'s terms, or null. `s` is the state before the call. */
function breachOf(scope: Scope, s: State, a: Action, result: string, inv: InvariantName, taint: Taint): string | null {
  const landed = /^ok:(\d+)$/.exec(result);
  if (a.type === 'dma' && landed) {
    const dev = scope.devices[a.dev - 1]!;
    const e = entryOf(s, a.dev, a.pasid)!;
    const target = Number(landed[1]);
    if (inv === 'no-cross-tenant-dma' && dev.kind === 'pdev' && target !== dev.owner) {
      return `pdev ${a.dev} (process ${dev.owner}'s) did DMA with PASID ${a.pasid} and it landed in process ${target}'s memory (${ioasidName(s, e.ioasid)})`;
    }
    if (inv === 'destroyed-blocks-dma' && s.ioasids[e.ioasid - 1]!.handle === 0) {
      return `pdev ${a.dev} did DMA with PASID ${a.pasid} and it reached ${ioasidName(s, e.ioasid)} (not blocked): result ${result}`;
    }
    return null;
  }
  if (a.type === 'swq_exec' && landed) {
    const head = s.queues[a.dev - 1]![0]!;
    const target = Number(landed[1]);
    const what = `the descriptor issued by process ${head.issuer} with PASID ${head.pasid}, run by swq ${a.dev}`;
    const e = entryOf(s, a.dev, head.pasid);
    if (!e) {
      // §10: no mdev entry for the PASID, so an SVA binding translated it
      const b = svaEntry(s, a.dev, head.pasid);
      if (inv === 'no-cross-tenant-dma' && b && target !== head.issuer) return `${what}, landed in process ${target}'s address space (its SVA binding of PASID ${head.pasid})`;
      return null;
    }
    if (inv === 'no-cross-tenant-dma' && target !== head.issuer) {
      return `${what}, landed in process ${target}'s memory (${ioasidName(s, e.ioasid)}${e.mdev ? ` via mdev ${e.mdev}` : ''})`;
    }
    if (inv === 'destroyed-blocks-dma' && s.ioasids[e.ioasid - 1]!.handle === 0) {
      return `${what}, reached ${ioasidName(s, e.ioasid)} (not blocked): result ${result}`;
    }
    if (inv === 'explicit-mdev-authorization' && e.mdev !== 0 && !e.allowed) {
      return `${what}, reached process ${target}'s memory through mdev ${e.mdev}'s entry, made while mdev ${e.mdev} was not allowed PASID use`;
    }
    if (inv === 'explicit-vm-authorization' && taint !== NO_TAINT && taintDev(taint) === a.dev && taintPos(taint) === 0) {
      return `${what}, queued through an ENQCMD entry KVM was never told to make, reached process ${target}'s memory (${ioasidName(s, e.ioasid)})`;
    }
  }
  return null;
}

/** The taint after a call: set by an unauthorized enqcmd, moved by swq_exec, dropped if its queue changes otherwise. */
function nextTaint(scope: Scope, s: State, t: State, a: Action, result: string, inv: InvariantName, taint: Taint): Taint {
  if (inv !== 'explicit-vm-authorization') return NO_TAINT;
  if (taint === NO_TAINT) {
    if (a.type !== 'enqcmd' || result !== 'queued' || unauthorizedKvm(scope, s, a.vm, a.vpasid) === null) return NO_TAINT;
    const parent = scope.mdevs[a.mdev - 1]!.parent;
    return taintOf(parent, t.queues[parent - 1]!.length - 1);
  }
  const dev = taintDev(taint);
  if (a.type === 'swq_exec' && a.dev === dev) return taintPos(taint) === 0 ? NO_TAINT : taint - 1;
  const before = s.queues[dev - 1]!;
  const after = t.queues[dev - 1]!;
  const unchanged = before === after || (after.length >= before.length && before.every((d, i) => after[i] === d));
  return unchanged ? taint : NO_TAINT;
}

/**
 * The shortest continuation from `from` whose last call shows `inv`'s breach,
 * or null if none exists within the limits (or `inv` has no observable form).
 */
export function findWitness(scope: Scope, rules: Rules, from: State, inv: InvariantName, limits: WitnessLimits = {}): Witness | null {
  if (!WITNESSED.includes(inv)) return null;
  const maxDepth = limits.maxDepth ?? 8;
  const maxStates = limits.maxStates ?? 300_000;
  const actions = witnessActions(scope, rules);
  const enc = new Encoder(scope);
  const seen = new Set<string>();
  const key = (s: State, taint: Taint): string => {
    enc.encode(s);
    return `${taint}:${enc.words.subarray(0, enc.nWords).join(',')}`;
  };
  // Nodes: parent node and action index, to rebuild the continuation.
  const parent: number[] = [-1];
  const via: number[] = [-1];
  seen.add(key(from, NO_TAINT));
  let frontier: { node: number; s: State; taint: Taint }[] = [{ node: 0, s: from, taint: NO_TAINT }];
  const pathTo = (node: number, last: number): Action[] => {
    const out: Action[] = [actions[last]!];
    for (let n = node; parent[n]! >= 0; n = parent[n]!) out.push(actions[via[n]!]!);
    return out.reverse();
  };
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { node, s, taint } of frontier) {
      for (let i = 0; i < actions.length; i++) {
        const a = actions[i]!;
        const o = step(scope, rules, s, a);
        const breach = breachOf(scope, s, a, o.result, inv, taint);
        if (breach !== null) return { actions: pathTo(node, i), breach };
        const t = nextTaint(scope, s, o.state, a, o.result, inv, taint);
        if (o.state === s && t === taint) continue;
        const k = key(o.state, t);
        if (seen.has(k)) continue;
        if (seen.size >= maxStates) return null;
        seen.add(k);
        parent.push(node);
        via.push(i);
        next.push({ node: parent.length - 1, s: o.state, taint: t });
      }
    }
    frontier = next;
  }
  return null;
}

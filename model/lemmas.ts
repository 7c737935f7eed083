/**
 * The auxiliary invariants (lemmas) on a concrete state: the twin of each
 * formula of proofs/aux.ts, which Z3 proves inductive to make the nine
 * invariants of §4 inductive. The explorer can check them in every reachable
 * state (`explore --lemmas`): a lemma Z3 proved at a scope but an explored
 * state of that scope breaks means the encoding drifted from this model. A
 * test holds each twin to its formula on reachable states of every preset.
 *
 * At an SVA scope (§10) some say more (`svaStatement`: their formula and twin
 * read the mms and SVA entries there, and nothing more elsewhere), and the
 * lemmas marked `sva: 'only'` apply there alone (lemmasAt).
 */
import { type Rules, recyclesAtDestroy } from './rules';
import type { Scope } from './scope';
import { type IoasidObj, type State, isFree } from './state';

export interface Lemma {
  readonly name: string;
  readonly statement: string;
  /**
   * 'flawed': not needed to prove the reference (prove leaves it out there), but
   * true in designs where facts it would follow from fail.
   */
  readonly only?: 'flawed';
  /** ▶ §10: a fact of the SVA extension alone, checked and proved only at SVA scopes */
  readonly sva?: 'only';
  /** what the lemma says besides at an SVA scope (§10); none: it reads nothing of §10 */
  readonly svaStatement?: string;
  readonly holds: (scope: Scope, rules: Rules, s: State) => boolean;
}

const ids = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
const within = (x: number, lo: number, hi: number): boolean => x >= lo && x <= hi;
/** The process of file `id`, 0 if there is no such file (as proofs/lookup.ts reads a free slot). */
const fileProc = (s: State, id: number): number => s.files[id - 1]?.proc ?? 0;
const fileExists = (s: State, id: number): boolean => id >= 1 && s.files[id - 1] != null;
const ioAt = (s: State, id: number): IoasidObj | undefined => (id >= 1 ? (s.ioasids[id - 1] ?? undefined) : undefined);
const liveIoasids = (s: State): IoasidObj[] => s.ioasids.filter((io): io is IoasidObj => io !== null);
const ioPasid = (s: State, id: number): number => ioAt(s, id)?.pasid ?? 0;
/** The owner of ioasid `id` is `p`: false if there is no such ioasid or file. */
const ownerIs = (s: State, id: number, p: number): boolean => {
  const io = ioAt(s, id);
  return io !== undefined && fileExists(s, io.file) && fileProc(s, io.file) === p;
};
const allEntries = (s: State) => [...s.tables.flat(), ...s.vms.flatMap((v) => v.entries)];

export const LEMMAS: readonly Lemma[] = [
  {
    name: 'wf-files',
    statement: 'a file slot is free (all zero) or holds a process 1..procs and an fd number 0..fdsPerProc (0: closed)',
    holds: (scope, _r, s) => s.files.every((f) => f === null || (within(f.proc, 1, scope.procs) && within(f.fd, 0, scope.fdsPerProc))),
  },
  {
    name: 'fd-unique',
    statement: 'no two open files of a process have the same fd number (as a count, so slot bounds follow by arithmetic)',
    holds: (scope, _r, s) =>
      ids(scope.procs).every((p) => ids(scope.fdsPerProc).every((fd) => s.files.filter((f) => f !== null && f.proc === p && f.fd === fd).length <= 1)),
  },
  {
    name: 'file-gc',
    statement: 'a closed file is kept only while an ioasid, a VM (presented) or an mdev (allowed) refers to it; nothing refers to a free slot',
    holds: (_scope, _r, s) =>
      s.files.every((f, i) => {
        const id = i + 1;
        if (f === null || f.fd !== 0) return true;
        return liveIoasids(s).some((io) => io.file === id) || s.vms.some((v) => v.presented === id) || s.allowed.some((a) => a === id);
      }) &&
      liveIoasids(s).every((io) => fileExists(s, io.file)) &&
      s.vms.every((v) => v.presented === 0 || fileExists(s, v.presented)) &&
      s.allowed.every((a) => a === 0 || fileExists(s, a)),
  },
  {
    name: 'wf-ioasids',
    statement: 'an ioasid slot is free (all zero) or has a handle 0..quota and a PASID 1..pasids (0 possible only once destroyed, where destroy recycles)',
    holds: (scope, rules, s) => {
      const minPasid = recyclesAtDestroy(rules) ? 0 : 1;
      return liveIoasids(s).every((io) => within(io.handle, 0, scope.quota) && within(io.pasid, minPasid, scope.pasids) && (io.handle === 0 || io.pasid >= 1));
    },
  },
  {
    name: 'presented-owner',
    statement: "a VM's presented FD is a file of the VM's owner",
    holds: (scope, _r, s) => s.vms.every((v, i) => v.presented === 0 || (fileExists(s, v.presented) && fileProc(s, v.presented) === scope.vms[i]!.owner)),
  },
  {
    name: 'allowed-owner',
    statement: "the FD an mdev is allowed PASID use for is a file of the mdev's owner",
    holds: (scope, _r, s) => s.allowed.every((a, i) => a === 0 || (fileExists(s, a) && fileProc(s, a) === scope.mdevs[i]!.owner)),
  },
  {
    name: 'entry-pasid',
    statement: 'a table entry keyed by PASID p points at an IOASID that holds p',
    holds: (_scope, _r, s) => s.tables.every((t) => t.every((e) => ioPasid(s, e.ioasid) === e.pasid)),
  },
  {
    name: 'kvm-pasid',
    statement: "a KVM entry's raw PASID is the one its IOASID holds",
    holds: (_scope, _r, s) => s.vms.every((v) => v.entries.every((e) => ioPasid(s, e.ioasid) === e.pasid)),
  },
  {
    name: 'desc-owner',
    statement: "a queued descriptor's PASID is held by an IOASID of its issuer (the drain keeps it so)",
    svaStatement: "or by its issuer's mm (sva_submit)",
    holds: (_scope, _r, s) =>
      s.queues.every((q) =>
        q.every(
          (x) =>
            liveIoasids(s).some((io) => io.pasid === x.pasid && fileExists(s, io.file) && fileProc(s, io.file) === x.issuer) ||
            (s.mms ?? []).some((m, i) => i + 1 === x.issuer && m.pasid !== 0 && m.pasid === x.pasid),
        ),
      ),
  },
  {
    name: 'pasid-held',
    statement: 'a PASID outside the free pool is held by some IOASID (live or parked)',
    svaStatement: 'or by some mm',
    holds: (scope, _r, s) =>
      ids(scope.pasids).every((p) => isFree(s, p) || liveIoasids(s).some((io) => io.pasid === p) || (s.mms ?? []).some((m) => m.pasid === p)),
  },
  {
    name: 'free-no-ioasid',
    statement: 'a PASID in the free pool is held by no IOASID, live or parked (the IOASID half of recycle-at-zero)',
    holds: (scope, _r, s) => ids(scope.pasids).every((p) => !isFree(s, p) || !liveIoasids(s).some((io) => io.pasid === p)),
  },
  {
    name: 'free-no-entry',
    statement: 'a PASID in the free pool keys no table entry and is carried by no KVM entry (the entry half of recycle-at-zero)',
    holds: (scope, _r, s) =>
      ids(scope.pasids).every((p) => !isFree(s, p) || (!s.tables.some((t) => t.some((e) => e.pasid === p)) && !s.vms.some((v) => v.entries.some((e) => e.pasid === p)))),
  },
  {
    name: 'entry-owner',
    only: 'flawed',
    statement: "a table entry points at an IOASID of the entry's owner (the pdev's owner, or the mdev's): entries never cross tenants",
    holds: (scope, _r, s) =>
      scope.devices.every((dev, d) =>
        s.tables[d]!.every((e) =>
          dev.kind === 'pdev'
            ? ownerIs(s, e.ioasid, dev.owner)
            : scope.mdevs.some((m) => m.parent === dev.id && e.mdev === m.id && ownerIs(s, e.ioasid, m.owner)),
        ),
      ),
  },
  {
    name: 'wf-queues',
    statement: 'a swq queue holds 0..swqDepth descriptors, and its slots past the end are zero',
    holds: (scope, _r, s) => s.queues.every((q, d) => q.length <= (scope.devices[d]!.kind === 'swq' ? scope.swqDepth : 0)),
  },
  {
    name: 'slot-accounting',
    only: 'flawed',
    statement:
      'every used slot is accounted for by something that can account for one slot only: a file by its (proc, fd) or a referrer, an ioasid by its PASID or (recycling variants) an entry holding it',
    holds: (scope, rules, s) => {
      const filesOk = s.files.every((f, i) => {
        if (f === null) return true;
        const id = i + 1;
        const keyed = within(f.proc, 1, scope.procs) && within(f.fd, 1, scope.fdsPerProc);
        return keyed || liveIoasids(s).some((io) => io.file === id) || s.vms.some((v) => v.presented === id) || s.allowed.some((a) => a === id);
      });
      const pasidsOk = ids(scope.pasids).every((p) => liveIoasids(s).filter((io) => io.pasid === p).length <= 1);
      const ioasidsOk = s.ioasids.every(
        (io, j) => io === null || within(io.pasid, 1, scope.pasids) || (recyclesAtDestroy(rules) && allEntries(s).some((e) => e.ioasid === j + 1)),
      );
      return filesOk && pasidsOk && ioasidsOk;
    },
  },
  {
    name: 'notes-wf',
    statement: 'notifier-cleanup: pending notifications have ranks 0..n-1, all distinct, and each names an existing entry',
    holds: (_scope, _r, s) =>
      s.notifications.every((n) =>
        n.holder === 'kvm' ? (s.vms[n.id - 1]?.entries.some((e) => e.vpasid === n.key) ?? false) : (s.tables[n.id - 1]?.some((e) => e.pasid === n.key) ?? false),
      ),
  },
  // ---- §10, SVA scopes only ----
  {
    name: 'wf-sva',
    sva: 'only',
    statement: 'an mm holds a PASID 0..pasids, none once it has no users; an SVA slot is free (process 0) or names a process 1..procs',
    holds: (scope, _r, s) =>
      (s.mms ?? []).every((m) => within(m.pasid, 0, scope.pasids) && (m.users !== 0 || m.pasid === 0)) &&
      (s.sva ?? []).every((t) => t.every((e) => within(e.proc, 1, scope.procs))),
  },
  {
    name: 'sva-pasid',
    sva: 'only',
    statement: "an SVA entry keyed by PASID p is of a process whose mm holds p (the bindings' mm references keep it so)",
    holds: (_scope, _r, s) => (s.sva ?? []).every((t) => t.every((e) => s.mms?.[e.proc - 1]?.pasid === e.pasid)),
  },
  {
    name: 'free-no-mm',
    sva: 'only',
    statement: 'a PASID in the free pool is held by no mm (an mm gives its PASID back only as it lets go of it)',
    holds: (scope, _r, s) => ids(scope.pasids).every((p) => !isFree(s, p) || !(s.mms ?? []).some((m) => m.pasid === p)),
  },
  {
    name: 'free-no-sva',
    sva: 'only',
    statement: 'a PASID in the free pool keys no SVA entry (the SVA half of recycle-at-zero)',
    holds: (scope, _r, s) => ids(scope.pasids).every((p) => !isFree(s, p) || !(s.sva ?? []).some((t) => t.some((e) => e.pasid === p))),
  },
];

export const LEMMA_NAMES: readonly string[] = LEMMAS.map((l) => l.name);

/** The lemmas of a scope: all but §10's own at a scope without SVA. */
export function lemmasAt(scope: Scope, lemmas: readonly Lemma[] = LEMMAS): Lemma[] {
  return lemmas.filter((l) => l.sva !== 'only' || scope.sva === true);
}

/** A lemma's statement at a scope: at an SVA scope with what it says besides there. */
export function lemmaStatement(l: Lemma, scope: Scope): string {
  return scope.sva === true && l.svaStatement ? `${l.statement}, ${l.svaStatement}` : l.statement;
}

export const LEMMA_BY_NAME: Readonly<Record<string, Lemma>> = Object.fromEntries(LEMMAS.map((l) => [l.name, l]));

/** The lemmas of the scope (lemmasAt) a state breaks. */
export function brokenLemmas(scope: Scope, rules: Rules, s: State, lemmas: readonly Lemma[] = LEMMAS): string[] {
  return lemmasAt(scope, lemmas).filter((l) => !l.holds(scope, rules, s)).map((l) => l.name);
}

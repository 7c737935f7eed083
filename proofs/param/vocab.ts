/**
 * The vocabulary of the parametric encoding: uninterpreted sorts (logic.ts)
 * and the symbols over them. A model state (model/state.ts) of any scope is
 * one finite structure of this vocabulary (structure.ts builds it); the
 * proofs range over all of them at once.
 *
 * Sorts: Proc, File (an open or closed /dev/ioasid file), Io (an IOASID
 * object), Pasid, Dev, Mdev, Vm, Vpasid, Ent (a holder entry: a pdev table
 * entry, a parent-table entry made through an mdev, or a KVM entry; its kind
 * is rigid), Desc (a queued work descriptor).
 *
 * Function graph between sorts (for EPR): Ent -> Dev, Mdev, Vm, Vpasid, Pasid,
 * Io; Desc -> Dev, Pasid, Proc; Io -> File, Pasid; File -> Proc; Mdev -> Dev,
 * Proc, Vm; Vm -> File, Proc; Dev -> Proc. It is acyclic, so the uninterpreted
 * part of every universally quantified formula is in EPR. Table lookups are
 * quantified over Ent (no function back from Pasid or Io to Ent) for that
 * reason. Int appears in the refcount, the ghost counters and their ranks.
 */
import type { ElemSort, Signature, SortName } from './logic';

export type Kind = 'static' | 'state' | 'ghost';

export interface Sym extends Signature {
  readonly kind: Kind;
  /**
   * When the symbol's value at these arguments means anything (e.g. the file
   * of an Io only while the Io is used). Undefined: always. The conformance
   * test compares only meaningful values; formulas read only those.
   */
  readonly relevantIf?: string;
}

const s = (domain: ElemSort[], range: SortName, kind: Kind, relevantIf?: string): Sym => ({
  domain,
  range,
  kind,
  ...(relevantIf ? { relevantIf } : {}),
});

/** ▶ Every symbol, by name. */
export const VOCAB = {
  // ---- the scope's topology (DESIGN §2), rigid
  isPdev: s(['Dev'], 'Bool', 'static'),
  devOwner: s(['Dev'], 'Proc', 'static', 'isPdev'),
  mParent: s(['Mdev'], 'Dev', 'static'),
  mOwner: s(['Mdev'], 'Proc', 'static'),
  mVm: s(['Mdev'], 'Vm', 'static'),
  vmOwner: s(['Vm'], 'Proc', 'static'),
  /** the kind of an entry element: pdev entry, parent entry through an mdev, KVM entry (exactly one) */
  isP: s(['Ent'], 'Bool', 'static'),
  isM: s(['Ent'], 'Bool', 'static'),
  isK: s(['Ent'], 'Bool', 'static'),
  /** the scope's quota */
  Q: s([], 'Int', 'static'),

  // ---- the state (model/state.ts)
  alive: s(['Proc'], 'Bool', 'state'),
  fUsed: s(['File'], 'Bool', 'state'),
  fProc: s(['File'], 'Proc', 'state', 'fUsed'),
  /** the file has an fd number (not closed) */
  fOpen: s(['File'], 'Bool', 'state', 'fUsed'),
  iUsed: s(['Io'], 'Bool', 'state'),
  iFile: s(['Io'], 'File', 'state', 'iUsed'),
  /** the IOASID has a handle (not destroyed) */
  iLive: s(['Io'], 'Bool', 'state', 'iUsed'),
  /** the IOASID holds a PASID (pasid != 0) */
  iHas: s(['Io'], 'Bool', 'state', 'iUsed'),
  iPasid: s(['Io'], 'Pasid', 'state', 'iHasPasid'),
  iBlocked: s(['Io'], 'Bool', 'state', 'iUsed'),
  /** the refcount */
  users: s(['Io'], 'Int', 'state', 'iUsed'),
  free: s(['Pasid'], 'Bool', 'state'),
  eUsed: s(['Ent'], 'Bool', 'state'),
  eDev: s(['Ent'], 'Dev', 'state', 'usedP'),
  eMdev: s(['Ent'], 'Mdev', 'state', 'usedM'),
  eVm: s(['Ent'], 'Vm', 'state', 'usedK'),
  eVp: s(['Ent'], 'Vpasid', 'state', 'usedK'),
  /** the table key (pdev, parent entries) or the raw PASID (KVM entries) */
  ePasid: s(['Ent'], 'Pasid', 'state', 'eUsed'),
  eIo: s(['Ent'], 'Io', 'state', 'eUsed'),
  /** ghost of §4: a table entry was made while its mdev was allowed */
  eAllowed: s(['Ent'], 'Bool', 'state', 'usedPM'),
  /** ghost of §4: a KVM entry was made by kvm_map_pasid */
  eExplicit: s(['Ent'], 'Bool', 'state', 'usedK'),
  /** a notification for this entry is pending (recycle: notifier) */
  note: s(['Ent'], 'Bool', 'state', 'eUsed'),
  allowedSome: s(['Mdev'], 'Bool', 'state'),
  allowed: s(['Mdev'], 'File', 'state', 'allowedSome'),
  vmAlive: s(['Vm'], 'Bool', 'state'),
  vmHasPres: s(['Vm'], 'Bool', 'state'),
  vmPres: s(['Vm'], 'File', 'state', 'vmHasPres'),
  vmEnabled: s(['Vm'], 'Bool', 'state'),
  dUsed: s(['Desc'], 'Bool', 'state'),
  dDev: s(['Desc'], 'Dev', 'state', 'dUsed'),
  dPasid: s(['Desc'], 'Pasid', 'state', 'dUsed'),
  dIssuer: s(['Desc'], 'Proc', 'state', 'dUsed'),

  // ---- ghost counters and ranks: the meaning of counting (encoding.ts, `counted`)
  /** the number of entries holding an Io */
  nE: s(['Io'], 'Int', 'ghost', 'iUsed'),
  rankE: s(['Ent'], 'Int', 'ghost', 'eUsed'),
  /** PASIDs charged to a file: its used Ios that hold one */
  nCh: s(['File'], 'Int', 'ghost', 'fUsed'),
  rankCh: s(['Io'], 'Int', 'ghost', 'iHasPasid'),
  /** live Ios of a file (quotaCounts: live) */
  nLive: s(['File'], 'Int', 'ghost', 'fUsed'),
  rankLive: s(['Io'], 'Int', 'ghost', 'iLiveUsed'),
} as const satisfies Record<string, Sym>;

export type SymName = keyof typeof VOCAB;
export const SYM_NAMES = Object.keys(VOCAB) as SymName[];
export const STATE_SYMS = SYM_NAMES.filter((n) => VOCAB[n].kind !== 'static');

/** A state as the formulas see it: each symbol as a function of terms. */
export interface St<T> {
  f(name: SymName, ...args: T[]): T;
}

/** The state named by the vocabulary's own symbols (the pre-state of every VC). */
export function symbolic<T>(L: { app(name: string, args: readonly T[]): T }): St<T> {
  return { f: (name, ...args) => L.app(name, args) };
}

/** An update: new definitions of some symbols, as functions of their arguments over the previous state. */
export type Update<T> = Partial<Record<SymName, (...args: T[]) => T>>;

/** The state after `u`: updated symbols by their definitions, the others as in `s` (macro expansion, no frame axioms). */
export function apply<T>(s: St<T>, u: Update<T>): St<T> {
  return {
    f: (name, ...args) => {
      const def = u[name];
      return def ? def(...args) : s.f(name, ...args);
    },
  };
}

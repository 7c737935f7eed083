/**
 * ▶ The parametric encoding of DESIGN.md §2-§4 for every scope at once, read
 * from a design's rules (model/rules.ts), never from a preset's name.
 *
 * - Scope axioms: the topology rules of §2 as formulas over the static symbols.
 * - Claims: the nine invariants of §4 and the auxiliary invariants the proof
 *   needs, each a universally quantified formula (a few are ∀∃, named below).
 * - Transitions: each action of §3 as a guard and an effect over the
 *   pre-state, its arguments existentially chosen (Skolem constants of the VC).
 *
 * ▶ Abstractions (each an over-approximation: every model step is one
 * transition here, or a chain of them; spec/proofs/param.test.ts checks it):
 *
 *  1. fd numbers and ioasid handles are not modelled: a call names an open
 *     file of the caller (resp. a live IOASID of the file), any one. No
 *     `-EMFILE`: `open` may always succeed. The invariants never read numbers.
 *  2. `alloc` takes any free PASID, not the lowest.
 *  3. A swq queue is a set of descriptor elements: `swq_exec` removes any
 *     descriptor of the device, not the oldest; `enqcmd` may always queue (no
 *     swqDepth bound, so no `retry`). No invariant reads the order.
 *  4. The notification FIFO of `recycle: notifier` is a set of pending entries:
 *     `deliver` releases any one of them, not the oldest.
 *  5. Compound calls are chains of single steps (Ivy style): `close` is
 *     `destroy` of each live IOASID then `close` (the file loses its fd);
 *     `vm_destroy` is `kvm_unmap_pasid` of each entry then `vm_destroy` of a
 *     VM without entries; `exit` is `vm_destroy`, `detach`, `mdev_detach` and
 *     `close` chains, then `exit` (the process is gone, its mdevs' allowances
 *     cleared). `alloc` under `kvmAuth: implicit` is `alloc` then one
 *     `alloc:implicit-map` per VM entry it adds; that step is allowed at any
 *     time (for any live IOASID of the VM's owner, any vpasid). The slot
 *     collection of model/draft.ts's freeze() is the step `file_gc`. Under
 *     destroyInUse=busy (§9) `close` destroys only the IOASIDs with users 1
 *     (the others stay live, -EBUSY is a guard of `destroy`), and the release
 *     that brings a live IOASID of a closed file back to the FD's one
 *     reference destroys and recycles it in the same step (`put`).
 *  6. Results are not modelled: a call that fails changes nothing (§3), so it
 *     preserves every claim; each transition is the call's success branch, with
 *     the guards of §3 that decide success (errors, authorizations) exactly.
 *
 * ▶ Counting. `refcount-exact` and `quota` count. The encoding keeps the
 * model's refcount `users` and adds ghost counters (nE: entries per IOASID, nCh:
 * charged IOASIDs per file, nLive: live IOASIDs per file) each with a ghost
 * rank, and proves by induction the claims `count-*`: the rank is a bijection
 * from the counted set onto 1..n. In every finite structure that makes n the
 * set's size, so `users = [live] + nE` is the model's refcount-exact, and
 * `nCh <= Q` is its quota, for every scope.
 */
import {
  type Rules,
  blocksOnDestroy,
  busyOnDestroy,
  drainsOnRecycle,
  implicitKvm,
  implicitMdev,
  notifies,
  quotaCountsLiveOnly,
  recyclesAtDestroy,
} from '../../model/rules';
import type { ElemSort, Logic } from './logic';
import { type St, type SymName, type Update, apply } from './vocab';

export interface Claim {
  readonly name: string;
  readonly kind: 'invariant' | 'aux';
  readonly statement: string;
  /** outside EPR, and why (undefined: the formula is universal over uninterpreted sorts) */
  readonly notEpr?: string;
  /**
   * Claims that give this one its meaning (the ghost counters' claims of the
   * two counting invariants): it is reported proved only if they are too.
   */
  readonly needs?: readonly string[];
  readonly formula: <T>(L: Logic<T>, s: St<T>) => T;
}

export interface Param {
  readonly name: string;
  readonly sort: ElemSort;
}

export interface Transition {
  /** a transition name: the model action it is (or is part of), see abstraction 5 */
  readonly name: string;
  /** the model action whose obligation this is */
  readonly action: string;
  readonly params: readonly Param[];
  readonly guard: <T>(L: Logic<T>, s: St<T>, a: Record<string, T>) => T;
  readonly effect: <T>(L: Logic<T>, s: St<T>, a: Record<string, T>) => St<T>;
}

// ---------------------------------------------------------------- helpers

const isTable = <T>(L: Logic<T>, s: St<T>, e: T): T => L.or(s.f('isP', e), s.f('isM', e));
/** The device whose PASID table holds a table entry. */
const tableDev = <T>(L: Logic<T>, s: St<T>, e: T): T => L.ite(s.f('isP', e), s.f('eDev', e), s.f('mParent', s.f('eMdev', e)));
/** Whose address space a path through the entry must end in: the pdev's owner, the mdev's, the VM's. */
const entOwner = <T>(L: Logic<T>, s: St<T>, e: T): T =>
  L.ite(s.f('isP', e), s.f('devOwner', s.f('eDev', e)), L.ite(s.f('isM', e), s.f('mOwner', s.f('eMdev', e)), s.f('vmOwner', s.f('eVm', e))));
/** model/state.ts ownerOf(io) = p (0 when the IOASID or its file is gone, which no process is). */
const ownerIs = <T>(L: Logic<T>, s: St<T>, io: T, p: T): T =>
  L.and(s.f('iUsed', io), s.f('fUsed', s.f('iFile', io)), L.eq(s.f('fProc', s.f('iFile', io)), p));
const holdsPasid = <T>(L: Logic<T>, s: St<T>, io: T, p: T): T => L.and(s.f('iUsed', io), s.f('iHas', io), L.eq(s.f('iPasid', io), p));
/** A DMA through table entry e' does not end in process p: it is blocked (or faults: the IOASID is gone). */
const reachesOnly = <T>(L: Logic<T>, s: St<T>, e: T, p: T): T => {
  const io = s.f('eIo', e);
  return L.or(s.f('iBlocked', io), L.not(L.and(s.f('iUsed', io), s.f('fUsed', s.f('iFile', io)))), L.eq(s.f('fProc', s.f('iFile', io)), p));
};
/** Every table entry of device `dev` keyed by `pasid` reaches only process p (a lookup: at most one, see `table-unique`). */
const lookupReachesOnly = <T>(L: Logic<T>, s: St<T>, dev: T, pasid: T, p: T): T =>
  L.forall(['Ent'], (e) =>
    L.implies(L.and(s.f('eUsed', e), isTable(L, s, e), L.eq(tableDev(L, s, e), dev), L.eq(s.f('ePasid', e), pasid)), reachesOnly(L, s, e, p)),
  );

/**
 * A counted set: members of sort `sort`, each of one owner; `n(o)` its size,
 * witnessed by `rank`, a bijection from o's members onto 1..n(o).
 */
interface Counted {
  readonly sort: ElemSort;
  readonly ownerSort: ElemSort;
  readonly member: <T>(L: Logic<T>, s: St<T>, x: T) => T;
  readonly owner: <T>(L: Logic<T>, s: St<T>, x: T) => T;
  readonly ownerUsed: <T>(L: Logic<T>, s: St<T>, o: T) => T;
  readonly n: SymName;
  readonly rank: SymName;
}

const ENTRIES: Counted = {
  sort: 'Ent',
  ownerSort: 'Io',
  member: (_L, s, x) => s.f('eUsed', x),
  owner: (_L, s, x) => s.f('eIo', x),
  ownerUsed: (_L, s, o) => s.f('iUsed', o),
  n: 'nE',
  rank: 'rankE',
};
const CHARGED: Counted = {
  sort: 'Io',
  ownerSort: 'File',
  member: (L, s, x) => L.and(s.f('iUsed', x), s.f('iHas', x)),
  owner: (_L, s, x) => s.f('iFile', x),
  ownerUsed: (_L, s, o) => s.f('fUsed', o),
  n: 'nCh',
  rank: 'rankCh',
};
const LIVE: Counted = {
  sort: 'Io',
  ownerSort: 'File',
  member: (L, s, x) => L.and(s.f('iUsed', x), s.f('iLive', x)),
  owner: (_L, s, x) => s.f('iFile', x),
  ownerUsed: (_L, s, o) => s.f('fUsed', o),
  n: 'nLive',
  rank: 'rankLive',
};

function countedFormula<T>(L: Logic<T>, s: St<T>, c: Counted): T {
  const one = L.int(1);
  const rank = (x: T): T => s.f(c.rank, x);
  const n = (o: T): T => s.f(c.n, o);
  return L.and(
    L.forall([c.ownerSort], (o) => L.implies(c.ownerUsed(L, s, o), L.le(L.int(0), n(o)))),
    L.forall([c.sort], (x) =>
      L.implies(c.member(L, s, x), L.and(c.ownerUsed(L, s, c.owner(L, s, x)), L.le(one, rank(x)), L.le(rank(x), n(c.owner(L, s, x))))),
    ),
    L.forall([c.sort, c.sort], (x, y) =>
      L.implies(
        L.and(c.member(L, s, x), c.member(L, s, y), L.eq(c.owner(L, s, x), c.owner(L, s, y)), L.eq(rank(x), rank(y))),
        L.eq(x, y),
      ),
    ),
    // Onto 1..n: the top rank is taken, and below every rank above 1 the next one down is.
    L.forall([c.ownerSort], (o) =>
      L.implies(
        L.and(c.ownerUsed(L, s, o), L.le(one, n(o))),
        L.exists([c.sort], (x) => L.and(c.member(L, s, x), L.eq(c.owner(L, s, x), o), L.eq(rank(x), n(o)))),
      ),
    ),
    L.forall([c.sort], (x) =>
      L.implies(
        L.and(c.member(L, s, x), L.lt(one, rank(x))),
        L.exists([c.sort], (y) => L.and(c.member(L, s, y), L.eq(c.owner(L, s, y), c.owner(L, s, x)), L.eq(rank(y), L.sub(rank(x), one)))),
      ),
    ),
  );
}

/** x joins owner o's counted set (when `when`). */
function countAdd<T>(L: Logic<T>, s: St<T>, c: Counted, x: T, o: T, when: T): Update<T> {
  return {
    [c.n]: (y: T) => L.ite(L.and(when, L.eq(y, o)), L.add(s.f(c.n, o), L.int(1)), s.f(c.n, y)),
    [c.rank]: (y: T) => L.ite(L.and(when, L.eq(y, x)), L.add(s.f(c.n, o), L.int(1)), s.f(c.rank, y)),
  };
}

/** x (a member, of owner o) leaves its counted set (when `when`): the member of top rank takes x's rank. */
function countRemove<T>(L: Logic<T>, s: St<T>, c: Counted, x: T, when: T): Update<T> {
  const o = c.owner(L, s, x);
  return {
    [c.n]: (y: T) => L.ite(L.and(when, L.eq(y, o)), L.sub(s.f(c.n, o), L.int(1)), s.f(c.n, y)),
    [c.rank]: (y: T) =>
      L.ite(
        L.and(when, c.member(L, s, y), L.eq(c.owner(L, s, y), o), L.eq(s.f(c.rank, y), s.f(c.n, o))),
        s.f(c.rank, x),
        s.f(c.rank, y),
      ),
  };
}

const merge = <T>(...us: Update<T>[]): Update<T> => Object.assign({}, ...us) as Update<T>;
const set1 = <T>(L: Logic<T>, s: St<T>, name: SymName, at: T, v: T): ((y: T) => T) => (y: T) => L.ite(L.eq(y, at), v, s.f(name, y));

// ---------------------------------------------------------------- scope axioms (§2)

/** The topology rules of DESIGN §2 (and src/scopes.ts): an mdev's parent is a swq, its VM is its owner's; an entry has one kind; quota >= 1. */
export function scopeAxioms<T>(L: Logic<T>, s: St<T>): T {
  return L.and(
    L.forall(['Mdev'], (m) => L.and(L.not(s.f('isPdev', s.f('mParent', m))), L.eq(s.f('vmOwner', s.f('mVm', m)), s.f('mOwner', m)))),
    L.forall(['Ent'], (e) =>
      L.and(
        L.or(s.f('isP', e), s.f('isM', e), s.f('isK', e)),
        L.not(L.and(s.f('isP', e), s.f('isM', e))),
        L.not(L.and(s.f('isP', e), s.f('isK', e))),
        L.not(L.and(s.f('isM', e), s.f('isK', e))),
      ),
    ),
    L.le(L.int(1), s.f('Q')),
  );
}

// ---------------------------------------------------------------- the initial state

/** model/state.ts initialState: every process alive, every PASID free, nothing else. */
export function initial<T>(L: Logic<T>, s: St<T>): T {
  return L.and(
    L.forall(['Proc'], (p) => s.f('alive', p)),
    L.forall(['Pasid'], (p) => s.f('free', p)),
    L.forall(['File'], (f) => L.not(s.f('fUsed', f))),
    L.forall(['Io'], (io) => L.not(s.f('iUsed', io))),
    L.forall(['Ent'], (e) => L.not(s.f('eUsed', e))),
    L.forall(['Desc'], (d) => L.not(s.f('dUsed', d))),
    L.forall(['Mdev'], (m) => L.not(s.f('allowedSome', m))),
    L.forall(['Vm'], (v) => L.and(s.f('vmAlive', v), L.not(s.f('vmHasPres', v)), L.not(s.f('vmEnabled', v)))),
  );
}

// ---------------------------------------------------------------- claims

const inv = (name: string, statement: string, formula: Claim['formula'], notEpr?: string, needs?: readonly string[]): Claim => ({
  name,
  kind: 'invariant',
  statement,
  formula,
  ...(notEpr ? { notEpr } : {}),
  ...(needs ? { needs } : {}),
});
const aux = (name: string, statement: string, formula: Claim['formula'], notEpr?: string): Claim => ({
  name,
  kind: 'aux',
  statement,
  formula,
  ...(notEpr ? { notEpr } : {}),
});

const COUNT_NOT_EPR = 'integer ranks, and ∀∃ within one sort (the rank below is taken)';

/** ▶ The nine invariants of DESIGN §4, as model/invariants.ts states them. */
export const INVARIANT_CLAIMS: readonly Claim[] = [
  inv('explicit-vm-authorization', 'every KVM entry is explicit, its VM alive with the table enabled, and its IOASID of the VM\'s owner', (L, s) =>
    L.forall(['Ent'], (e) =>
      L.implies(
        L.and(s.f('eUsed', e), s.f('isK', e)),
        L.and(
          s.f('vmAlive', s.f('eVm', e)),
          s.f('vmEnabled', s.f('eVm', e)),
          s.f('eExplicit', e),
          ownerIs(L, s, s.f('eIo', e), s.f('vmOwner', s.f('eVm', e))),
        ),
      ),
    ),
  ),
  inv('explicit-mdev-authorization', 'every parent-table entry made through an mdev was made while allowed', (L, s) =>
    L.forall(['Ent'], (e) => L.implies(L.and(s.f('eUsed', e), s.f('isM', e)), s.f('eAllowed', e))),
  ),
  inv('recycle-at-zero', 'a free PASID is held by no IOASID, entry or descriptor', (L, s) =>
    L.forall(['Pasid'], (p) =>
      L.implies(
        s.f('free', p),
        L.and(
          L.forall(['Io'], (io) => L.not(holdsPasid(L, s, io, p))),
          L.forall(['Ent'], (e) => L.not(L.and(s.f('eUsed', e), L.eq(s.f('ePasid', e), p)))),
          L.forall(['Desc'], (d) => L.not(L.and(s.f('dUsed', d), L.eq(s.f('dPasid', d), p)))),
        ),
      ),
    ),
  ),
  inv(
    'refcount-exact',
    "users = [live] + nE (nE: the IOASID's entries, see count-entries) and users > 0; every entry's IOASID exists",
    (L, s) =>
      L.and(
        L.forall(['Io'], (io) =>
          L.implies(
            s.f('iUsed', io),
            L.and(L.eq(s.f('users', io), L.add(L.ite(s.f('iLive', io), L.int(1), L.int(0)), s.f('nE', io))), L.lt(L.int(0), s.f('users', io))),
          ),
        ),
        L.forall(['Ent'], (e) => L.implies(s.f('eUsed', e), s.f('iUsed', s.f('eIo', e)))),
      ),
    'integer refcount (the EPR part is the entry -> IOASID link)',
    ['count-entries'],
  ),
  inv('pasid-unique', 'no two IOASIDs hold the same PASID', (L, s) =>
    L.forall(['Io', 'Io'], (a, b) =>
      L.implies(L.and(s.f('iUsed', a), s.f('iHas', a), s.f('iUsed', b), s.f('iHas', b), L.eq(s.f('iPasid', a), s.f('iPasid', b))), L.eq(a, b)),
    ),
  ),
  inv('destroyed-blocks-dma', 'every table entry of a destroyed IOASID is blocked', (L, s) =>
    L.forall(['Ent'], (e) =>
      L.implies(L.and(s.f('eUsed', e), isTable(L, s, e)), L.or(s.f('iLive', s.f('eIo', e)), s.f('iBlocked', s.f('eIo', e)))),
    ),
  ),
  inv('no-cross-tenant-dma', 'every path (table entry, queued descriptor, KVM entry through each mdev of its VM) ends in its own process or is blocked or faults', (L, s) =>
    L.and(
      L.forall(['Ent'], (e) => L.implies(L.and(s.f('eUsed', e), isTable(L, s, e)), reachesOnly(L, s, e, entOwner(L, s, e)))),
      L.forall(['Desc'], (d) => L.implies(s.f('dUsed', d), lookupReachesOnly(L, s, s.f('dDev', d), s.f('dPasid', d), s.f('dIssuer', d)))),
      L.forall(['Ent', 'Mdev'], (k, m) =>
        L.implies(
          L.and(s.f('eUsed', k), s.f('isK', k), L.eq(s.f('mVm', m), s.f('eVm', k))),
          lookupReachesOnly(L, s, s.f('mParent', m), s.f('ePasid', k), s.f('vmOwner', s.f('eVm', k))),
        ),
      ),
    ),
  ),
  inv('quota', 'per file, charged PASIDs (nCh, see count-charged) <= quota', (L, s) =>
    L.forall(['File'], (f) => L.implies(s.f('fUsed', f), L.le(s.f('nCh', f), s.f('Q')))),
    'integer counter',
    ['count-charged'],
  ),
  inv(
    'no-leak',
    'every PASID outside the free pool is held by a live IOASID, an entry or a descriptor',
    (L, s) =>
      L.forall(['Pasid'], (p) =>
        L.implies(
          L.not(s.f('free', p)),
          L.or(
            L.exists(['Io'], (io) => L.and(holdsPasid(L, s, io, p), s.f('iLive', io))),
            L.exists(['Ent'], (e) => L.and(s.f('eUsed', e), L.eq(s.f('ePasid', e), p))),
            L.exists(['Desc'], (d) => L.and(s.f('dUsed', d), L.eq(s.f('dPasid', d), p))),
          ),
        ),
      ),
    '∀Pasid ∃Io/Ent/Desc while Io, Ent and Desc have functions into Pasid: the quantifier alternation is not stratified',
  ),
];

/** The auxiliary invariants: facts of every reachable state of the reference that make the nine inductive. */
export function auxClaims(rules: Rules): Claim[] {
  const out: Claim[] = [
    aux('count-entries', "nE(io) is the number of entries holding io (a bijective rank onto 1..nE)", (L, s) => countedFormula(L, s, ENTRIES), COUNT_NOT_EPR),
    aux('count-charged', 'nCh(f) is the number of IOASIDs charged to f (a bijective rank onto 1..nCh)', (L, s) => countedFormula(L, s, CHARGED), COUNT_NOT_EPR),
    aux('entry-io', "every entry's IOASID exists", (L, s) => L.forall(['Ent'], (e) => L.implies(s.f('eUsed', e), s.f('iUsed', s.f('eIo', e))))),
    aux('io-file', "every IOASID's file exists", (L, s) => L.forall(['Io'], (io) => L.implies(s.f('iUsed', io), s.f('fUsed', s.f('iFile', io))))),
    aux('live-io', 'a live IOASID holds a PASID and is not blocked', (L, s) =>
      L.forall(['Io'], (io) => L.implies(L.and(s.f('iUsed', io), s.f('iLive', io)), L.and(s.f('iHas', io), L.not(s.f('iBlocked', io))))),
    ),
    aux('table-unique', 'a pdev table, a parent table and a VM table each have at most one entry per key', (L, s) =>
      L.forall(['Ent', 'Ent'], (a, b) =>
        L.implies(
          L.and(
            s.f('eUsed', a),
            s.f('eUsed', b),
            L.or(
              L.and(s.f('isP', a), s.f('isP', b), L.eq(s.f('eDev', a), s.f('eDev', b)), L.eq(s.f('ePasid', a), s.f('ePasid', b))),
              L.and(s.f('isM', a), s.f('isM', b), L.eq(s.f('mParent', s.f('eMdev', a)), s.f('mParent', s.f('eMdev', b))), L.eq(s.f('ePasid', a), s.f('ePasid', b))),
              L.and(s.f('isK', a), s.f('isK', b), L.eq(s.f('eVm', a), s.f('eVm', b)), L.eq(s.f('eVp', a), s.f('eVp', b))),
            ),
          ),
          L.eq(a, b),
        ),
      ),
    ),
    aux('pdev-entry', "a pdev entry's device is a pdev", (L, s) =>
      L.forall(['Ent'], (e) => L.implies(L.and(s.f('eUsed', e), s.f('isP', e)), s.f('isPdev', s.f('eDev', e)))),
    ),
    aux('entry-owner', "every entry's IOASID belongs to the entry's owner (pdev's, mdev's, VM's)", (L, s) =>
      L.forall(['Ent'], (e) => L.implies(s.f('eUsed', e), ownerIs(L, s, s.f('eIo', e), entOwner(L, s, e)))),
    ),
    aux('kvm-vm-alive', "a KVM entry's VM is alive", (L, s) =>
      L.forall(['Ent'], (e) => L.implies(L.and(s.f('eUsed', e), s.f('isK', e)), s.f('vmAlive', s.f('eVm', e)))),
    ),
    aux('presented-owner', "a VM's presented file exists and is its owner's", (L, s) =>
      L.forall(['Vm'], (v) =>
        L.implies(s.f('vmHasPres', v), L.and(s.f('fUsed', s.f('vmPres', v)), L.eq(s.f('fProc', s.f('vmPres', v)), s.f('vmOwner', v)))),
      ),
    ),
    aux('allowed-owner', "an mdev's allowed file exists and is its owner's", (L, s) =>
      L.forall(['Mdev'], (m) =>
        L.implies(s.f('allowedSome', m), L.and(s.f('fUsed', s.f('allowed', m)), L.eq(s.f('fProc', s.f('allowed', m)), s.f('mOwner', m)))),
      ),
    ),
    aux('desc-swq', "a descriptor's device is a swq", (L, s) => L.forall(['Desc'], (d) => L.implies(s.f('dUsed', d), L.not(s.f('isPdev', s.f('dDev', d)))))),
    aux(
      'desc-owner',
      "a queued descriptor's PASID is held by an IOASID of its issuer (the drain keeps it so)",
      (L, s) =>
        L.forall(['Desc'], (d) =>
          L.implies(s.f('dUsed', d), L.exists(['Io'], (io) => L.and(holdsPasid(L, s, io, s.f('dPasid', d)), ownerIs(L, s, io, s.f('dIssuer', d))))),
        ),
      undefined,
    ),
  ];
  if (!recyclesAtDestroy(rules)) {
    out.push(
      aux('entry-pasid', 'every entry (table key or KVM raw PASID) carries the PASID its IOASID holds', (L, s) =>
        L.forall(['Ent'], (e) => L.implies(s.f('eUsed', e), holdsPasid(L, s, s.f('eIo', e), s.f('ePasid', e)))),
      ),
    );
  }
  if (quotaCountsLiveOnly(rules)) {
    out.push(aux('count-live', 'nLive(f) is the number of live IOASIDs of f (a bijective rank onto 1..nLive)', (L, s) => countedFormula(L, s, LIVE), COUNT_NOT_EPR));
  }
  return out;
}

// ---------------------------------------------------------------- transitions (§3)

const P = (name: string, sort: ElemSort): Param => ({ name, sort });

/** `f` is an open file of `proc` (the fd argument, abstraction 1). */
const openFileOf = <T>(L: Logic<T>, s: St<T>, f: T, proc: T): T => L.and(s.f('fUsed', f), s.f('fOpen', f), L.eq(s.f('fProc', f), proc));
/** `io` is a live IOASID of file `f` (the handle argument, abstraction 1). */
const liveOf = <T>(L: Logic<T>, s: St<T>, io: T, f: T): T => L.and(s.f('iUsed', io), s.f('iLive', io), L.eq(s.f('iFile', io), f));

/** Drains descriptors tagged with `pasid` (of device `dev` only, when given) when `when`. */
function drain<T>(L: Logic<T>, s: St<T>, pasid: T, when: T, dev?: T): Update<T> {
  return {
    dUsed: (d: T) =>
      L.and(s.f('dUsed', d), L.not(L.and(when, L.eq(s.f('dPasid', d), pasid), dev === undefined ? L.T : L.eq(s.f('dDev', d), dev)))),
  };
}

/** Recycles io's PASID when `when`: drained (if the rules drain), uncharged, back to the pool. */
function recycle<T>(L: Logic<T>, s: St<T>, rules: Rules, io: T, when: T): Update<T> {
  const p = s.f('iPasid', io);
  return merge(
    { free: (q: T) => L.or(s.f('free', q), L.and(when, L.eq(q, p))) },
    drainsOnRecycle(rules) ? drain(L, s, p, when) : {},
  );
}

/**
 * model/draft.ts put(): -1 users; at zero the IOASID is freed and, if it still
 * holds a PASID, that PASID recycled. destroyInUse=busy (§9, putInUse): a live
 * IOASID of a closed file whose last other holder lets go (users 2 -> the FD's
 * 1) is destroyed there and then, so it is freed and recycled too.
 */
function put<T>(L: Logic<T>, s: St<T>, rules: Rules, io: T): St<T> {
  const lastInUse = busyOnDestroy(rules)
    ? L.and(L.eq(s.f('users', io), L.int(2)), s.f('iLive', io), L.not(s.f('fOpen', s.f('iFile', io))))
    : L.F;
  const zero = L.or(L.eq(s.f('users', io), L.int(1)), lastInUse);
  const charged = L.and(zero, s.f('iHas', io));
  return apply(
    s,
    merge(
      {
        users: set1(L, s, 'users', io, L.ite(lastInUse, L.int(0), L.sub(s.f('users', io), L.int(1)))),
        iUsed: (x: T) => L.and(s.f('iUsed', x), L.not(L.and(zero, L.eq(x, io)))),
        iLive: (x: T) => L.and(s.f('iLive', x), L.not(L.and(lastInUse, L.eq(x, io)))),
      },
      recycle(L, s, rules, io, charged),
      countRemove(L, s, CHARGED, io, charged),
      countRemove(L, s, LIVE, io, lastInUse),
    ),
  );
}

/** Releases entry e: (mdev_detach: its parent's queue drained of the PASID first), removed, its note discarded, then put. */
function release<T>(L: Logic<T>, s: St<T>, rules: Rules, e: T, drainParent: T): St<T> {
  const s1 = apply(s, drain(L, s, s.f('ePasid', e), drainParent, s.f('mParent', s.f('eMdev', e))));
  const s2 = apply(
    s1,
    merge(
      { eUsed: (x: T) => L.and(s1.f('eUsed', x), L.not(L.eq(x, e))), note: (x: T) => L.and(s1.f('note', x), L.not(L.eq(x, e))) },
      countRemove(L, s1, ENTRIES, e, L.T),
    ),
  );
  return put(L, s2, rules, s1.f('eIo', e));
}

/** Adds a fresh entry e holding io (+1 users), with the given fields. */
function addEntry<T>(L: Logic<T>, s: St<T>, e: T, io: T, fields: Update<T>): St<T> {
  return apply(
    s,
    merge(
      {
        eUsed: set1(L, s, 'eUsed', e, L.T),
        eIo: set1(L, s, 'eIo', e, io),
        note: set1(L, s, 'note', e, L.F),
        users: set1(L, s, 'users', io, L.add(s.f('users', io), L.int(1))),
      },
      countAdd(L, s, ENTRIES, e, io, L.T),
      fields,
    ),
  );
}

const fresh = <T>(L: Logic<T>, s: St<T>, used: SymName, x: T): T => L.not(s.f(used, x));
const noEntry = <T>(L: Logic<T>, s: St<T>, at: (e: T) => T): T => L.forall(['Ent'], (e) => L.not(L.and(s.f('eUsed', e), at(e))));

/** ▶ The transitions of a design, in this order (one per model action, abstraction 5 aside): its rules decide guards and effects. */
export function transitions(rules: Rules): Transition[] {
  return [
    open(),
    close(rules),
    alloc(rules),
    ...(implicitKvm(rules) ? [allocImplicitMap()] : []),
    destroy(rules),
    attach(),
    detach(rules),
    mdevAllowPasid(),
    mdevAttach(rules),
    mdevDetach(rules),
    kvmSetIoasidFd(),
    kvmEnableEnqcmd(),
    kvmMapPasid(),
    kvmUnmapPasid(rules),
    vmDestroy(),
    exit(),
    enqcmd(rules),
    swqExec(),
    ...(notifies(rules) ? [deliver(rules)] : []),
    fileGc(),
  ];
}

/** The caller is alive and owns VM `vm`, which is alive (the VM argument's checks). */
const vmOf = <T>(L: Logic<T>, s: St<T>, a: Record<string, T>): T =>
  L.and(s.f('alive', a.proc!), L.eq(s.f('vmOwner', a.vm!), a.proc!), s.f('vmAlive', a.vm!));

// ---- files and IOASIDs

function open(): Transition {
  return {
    name: 'open',
    action: 'open',
    params: [P('proc', 'Proc'), P('file', 'File')],
    guard: (L, s, a) => L.and(s.f('alive', a.proc!), fresh(L, s, 'fUsed', a.file!)),
    effect: (L, s, a) =>
      apply(s, {
        fUsed: set1(L, s, 'fUsed', a.file!, L.T),
        fProc: set1(L, s, 'fProc', a.file!, a.proc!),
        fOpen: set1(L, s, 'fOpen', a.file!, L.T),
        nCh: set1(L, s, 'nCh', a.file!, L.int(0)),
        nLive: set1(L, s, 'nLive', a.file!, L.int(0)),
      }),
  };
}

function close(rules: Rules): Transition {
  const busy = busyOnDestroy(rules);
  return {
    name: 'close',
    action: 'close',
    params: [P('proc', 'Proc'), P('file', 'File')],
    guard: (L, s, a) =>
      L.and(
        s.f('alive', a.proc!),
        openFileOf(L, s, a.file!, a.proc!),
        // The chain has destroyed each live IOASID first; under busy (§9), each with users 1 (the others stay live).
        L.forall(['Io'], (io) => L.not(L.and(liveOf(L, s, io, a.file!), busy ? L.eq(s.f('users', io), L.int(1)) : L.T))),
      ),
    effect: (L, s, a) => apply(s, { fOpen: set1(L, s, 'fOpen', a.file!, L.F) }),
  };
}

function alloc(rules: Rules): Transition {
  return {
    name: 'alloc',
    action: 'alloc',
    params: [P('proc', 'Proc'), P('file', 'File'), P('io', 'Io'), P('pasid', 'Pasid')],
    guard: (L, s, a) =>
      L.and(
        s.f('alive', a.proc!),
        openFileOf(L, s, a.file!, a.proc!),
        L.lt(s.f(quotaCountsLiveOnly(rules) ? 'nLive' : 'nCh', a.file!), s.f('Q')),
        s.f('free', a.pasid!),
        fresh(L, s, 'iUsed', a.io!),
      ),
    effect: (L, s, a) => {
      const io = a.io!;
      return apply(
        s,
        merge(
          {
            free: set1(L, s, 'free', a.pasid!, L.F),
            iUsed: set1(L, s, 'iUsed', io, L.T),
            iFile: set1(L, s, 'iFile', io, a.file!),
            iLive: set1(L, s, 'iLive', io, L.T),
            iHas: set1(L, s, 'iHas', io, L.T),
            iPasid: set1(L, s, 'iPasid', io, a.pasid!),
            iBlocked: set1(L, s, 'iBlocked', io, L.F),
            users: set1(L, s, 'users', io, L.int(1)),
            nE: set1(L, s, 'nE', io, L.int(0)),
          },
          // Both counters are ghost state of the file; only one is read by the rules.
          countAddPair(L, s, io, a.file!),
        ),
      );
    },
  };
}

/** A KVM entry can be made for (vm, vpasid) in slot `ent`: none maps that vPASID yet, and the slot is a free KVM one. */
function kvmSlotFree<T>(L: Logic<T>, s: St<T>, a: Record<string, T>): T[] {
  return [noEntry(L, s, (e) => L.and(s.f('isK', e), L.eq(s.f('eVm', e), a.vm!), L.eq(s.f('eVp', e), a.vpasid!))), s.f('isK', a.ent!), fresh(L, s, 'eUsed', a.ent!)];
}

/** The KVM entry vm/vpasid -> the IOASID's PASID in slot `ent`, explicit (kvm_map_pasid) or not (an implicit map at alloc). */
function addKvmEntry<T>(L: Logic<T>, s: St<T>, a: Record<string, T>, explicit: T): St<T> {
  return addEntry(L, s, a.ent!, a.io!, {
    eVm: set1(L, s, 'eVm', a.ent!, a.vm!),
    eVp: set1(L, s, 'eVp', a.ent!, a.vpasid!),
    ePasid: set1(L, s, 'ePasid', a.ent!, s.f('iPasid', a.io!)),
    eExplicit: set1(L, s, 'eExplicit', a.ent!, explicit),
  });
}

function allocImplicitMap(): Transition {
  return {
    name: 'alloc:implicit-map',
    action: 'alloc',
    params: [P('vm', 'Vm'), P('vpasid', 'Vpasid'), P('io', 'Io'), P('ent', 'Ent')],
    guard: (L, s, a) =>
      L.and(
        s.f('vmAlive', a.vm!),
        s.f('iUsed', a.io!),
        s.f('iLive', a.io!),
        ownerIs(L, s, a.io!, s.f('vmOwner', a.vm!)),
        ...kvmSlotFree(L, s, a),
      ),
    effect: (L, s, a) => addKvmEntry(L, s, a, L.F),
  };
}

function destroy(rules: Rules): Transition {
  const busy = busyOnDestroy(rules);
  return {
    name: 'destroy',
    action: 'destroy',
    params: [P('proc', 'Proc'), P('file', 'File'), P('io', 'Io')],
    guard: (L, s, a) =>
      L.and(
        s.f('alive', a.proc!),
        openFileOf(L, s, a.file!, a.proc!),
        liveOf(L, s, a.io!, a.file!),
        // -EBUSY (§9): users besides the FD
        busy ? L.eq(s.f('users', a.io!), L.int(1)) : L.T,
      ),
    effect: (L, s, a) => {
      const io = a.io!;
      const now = recyclesAtDestroy(rules) ? L.T : L.F;
      const s1 = apply(
        s,
        merge(
          {
            iLive: set1(L, s, 'iLive', io, L.F),
            iBlocked: set1(L, s, 'iBlocked', io, blocksOnDestroy(rules) ? L.T : s.f('iBlocked', io)),
            iHas: set1(L, s, 'iHas', io, L.and(s.f('iHas', io), L.not(now))),
          },
          recycle(L, s, rules, io, now),
          countRemove(L, s, CHARGED, io, now),
          countRemove(L, s, LIVE, io, L.T),
          notifies(rules) ? noteHolders(L, s, io) : {},
        ),
      );
      return put(L, s1, rules, io);
    },
  };
}

// ---- a pdev's table

function attach(): Transition {
  return {
    name: 'attach',
    action: 'attach',
    params: [P('proc', 'Proc'), P('dev', 'Dev'), P('file', 'File'), P('io', 'Io'), P('ent', 'Ent')],
    guard: (L, s, a) =>
      L.and(
        s.f('alive', a.proc!),
        s.f('isPdev', a.dev!),
        L.eq(s.f('devOwner', a.dev!), a.proc!),
        openFileOf(L, s, a.file!, a.proc!),
        liveOf(L, s, a.io!, a.file!),
        noEntry(L, s, (e) => L.and(s.f('isP', e), L.eq(s.f('eDev', e), a.dev!), L.eq(s.f('ePasid', e), s.f('iPasid', a.io!)))),
        s.f('isP', a.ent!),
        fresh(L, s, 'eUsed', a.ent!),
      ),
    effect: (L, s, a) =>
      addEntry(L, s, a.ent!, a.io!, {
        eDev: set1(L, s, 'eDev', a.ent!, a.dev!),
        ePasid: set1(L, s, 'ePasid', a.ent!, s.f('iPasid', a.io!)),
        eAllowed: set1(L, s, 'eAllowed', a.ent!, L.T),
      }),
  };
}

function detach(rules: Rules): Transition {
  return {
    name: 'detach',
    action: 'detach',
    params: [P('proc', 'Proc'), P('dev', 'Dev'), P('ent', 'Ent')],
    guard: (L, s, a) =>
      L.and(
        s.f('alive', a.proc!),
        s.f('isPdev', a.dev!),
        L.eq(s.f('devOwner', a.dev!), a.proc!),
        s.f('eUsed', a.ent!),
        s.f('isP', a.ent!),
        L.eq(s.f('eDev', a.ent!), a.dev!),
      ),
    effect: (L, s, a) => release(L, s, rules, a.ent!, L.F),
  };
}

// ---- an mdev: its allowance, its parent's table

function mdevAllowPasid(): Transition {
  return {
    name: 'mdev_allow_pasid',
    action: 'mdev_allow_pasid',
    params: [P('proc', 'Proc'), P('mdev', 'Mdev'), P('file', 'File')],
    guard: (L, s, a) =>
      L.and(
        s.f('alive', a.proc!),
        L.eq(s.f('mOwner', a.mdev!), a.proc!),
        openFileOf(L, s, a.file!, a.proc!),
        // -EBUSY: allowed for another file still open (the same file: 0 and no change)
        L.not(L.and(s.f('allowedSome', a.mdev!), s.f('fOpen', s.f('allowed', a.mdev!)))),
      ),
    effect: (L, s, a) =>
      apply(s, { allowedSome: set1(L, s, 'allowedSome', a.mdev!, L.T), allowed: set1(L, s, 'allowed', a.mdev!, a.file!) }),
  };
}

function mdevAttach(rules: Rules): Transition {
  return {
    name: 'mdev_attach',
    action: 'mdev_attach',
    params: [P('proc', 'Proc'), P('mdev', 'Mdev'), P('file', 'File'), P('io', 'Io'), P('ent', 'Ent')],
    guard: (L, s, a) => {
      const allowed = L.and(s.f('allowedSome', a.mdev!), L.eq(s.f('allowed', a.mdev!), a.file!));
      return L.and(
        s.f('alive', a.proc!),
        L.eq(s.f('mOwner', a.mdev!), a.proc!),
        openFileOf(L, s, a.file!, a.proc!),
        implicitMdev(rules) ? L.T : allowed,
        liveOf(L, s, a.io!, a.file!),
        noEntry(L, s, (e) =>
          L.and(s.f('isM', e), L.eq(s.f('mParent', s.f('eMdev', e)), s.f('mParent', a.mdev!)), L.eq(s.f('ePasid', e), s.f('iPasid', a.io!))),
        ),
        s.f('isM', a.ent!),
        fresh(L, s, 'eUsed', a.ent!),
      );
    },
    effect: (L, s, a) =>
      addEntry(L, s, a.ent!, a.io!, {
        eMdev: set1(L, s, 'eMdev', a.ent!, a.mdev!),
        ePasid: set1(L, s, 'ePasid', a.ent!, s.f('iPasid', a.io!)),
        eAllowed: set1(L, s, 'eAllowed', a.ent!, L.and(s.f('allowedSome', a.mdev!), L.eq(s.f('allowed', a.mdev!), a.file!))),
      }),
  };
}

function mdevDetach(rules: Rules): Transition {
  return {
    name: 'mdev_detach',
    action: 'mdev_detach',
    params: [P('proc', 'Proc'), P('mdev', 'Mdev'), P('ent', 'Ent')],
    guard: (L, s, a) =>
      L.and(s.f('alive', a.proc!), L.eq(s.f('mOwner', a.mdev!), a.proc!), s.f('eUsed', a.ent!), s.f('isM', a.ent!), L.eq(s.f('eMdev', a.ent!), a.mdev!)),
    effect: (L, s, a) => release(L, s, rules, a.ent!, L.T),
  };
}

// ---- a VM: its presented file, its PASID table

function kvmSetIoasidFd(): Transition {
  return {
    name: 'kvm_set_ioasid_fd',
    action: 'kvm_set_ioasid_fd',
    params: [P('proc', 'Proc'), P('vm', 'Vm'), P('file', 'File')],
    guard: (L, s, a) =>
      L.and(vmOf(L, s, a), openFileOf(L, s, a.file!, a.proc!), L.not(L.and(s.f('vmHasPres', a.vm!), s.f('fOpen', s.f('vmPres', a.vm!))))),
    effect: (L, s, a) => apply(s, { vmHasPres: set1(L, s, 'vmHasPres', a.vm!, L.T), vmPres: set1(L, s, 'vmPres', a.vm!, a.file!) }),
  };
}

function kvmEnableEnqcmd(): Transition {
  return {
    name: 'kvm_enable_enqcmd',
    action: 'kvm_enable_enqcmd',
    params: [P('proc', 'Proc'), P('vm', 'Vm')],
    guard: (L, s, a) => L.and(vmOf(L, s, a), s.f('vmHasPres', a.vm!)),
    effect: (L, s, a) => apply(s, { vmEnabled: set1(L, s, 'vmEnabled', a.vm!, L.T) }),
  };
}

function kvmMapPasid(): Transition {
  return {
    name: 'kvm_map_pasid',
    action: 'kvm_map_pasid',
    params: [P('proc', 'Proc'), P('vm', 'Vm'), P('vpasid', 'Vpasid'), P('io', 'Io'), P('ent', 'Ent')],
    guard: (L, s, a) =>
      L.and(
        vmOf(L, s, a),
        s.f('vmEnabled', a.vm!),
        s.f('vmHasPres', a.vm!),
        s.f('fOpen', s.f('vmPres', a.vm!)),
        liveOf(L, s, a.io!, s.f('vmPres', a.vm!)),
        ...kvmSlotFree(L, s, a),
      ),
    effect: (L, s, a) => addKvmEntry(L, s, a, L.T),
  };
}

function kvmUnmapPasid(rules: Rules): Transition {
  return {
    name: 'kvm_unmap_pasid',
    action: 'kvm_unmap_pasid',
    params: [P('proc', 'Proc'), P('vm', 'Vm'), P('ent', 'Ent')],
    guard: (L, s, a) => L.and(vmOf(L, s, a), s.f('eUsed', a.ent!), s.f('isK', a.ent!), L.eq(s.f('eVm', a.ent!), a.vm!)),
    effect: (L, s, a) => release(L, s, rules, a.ent!, L.F),
  };
}

function vmDestroy(): Transition {
  return {
    name: 'vm_destroy',
    action: 'vm_destroy',
    params: [P('proc', 'Proc'), P('vm', 'Vm')],
    guard: (L, s, a) => L.and(vmOf(L, s, a), noEntry(L, s, (e) => L.and(s.f('isK', e), L.eq(s.f('eVm', e), a.vm!)))),
    effect: (L, s, a) =>
      apply(s, {
        vmAlive: set1(L, s, 'vmAlive', a.vm!, L.F),
        vmHasPres: set1(L, s, 'vmHasPres', a.vm!, L.F),
        vmEnabled: set1(L, s, 'vmEnabled', a.vm!, L.F),
      }),
  };
}

// ---- a process

function exit(): Transition {
  return {
    name: 'exit',
    action: 'exit',
    params: [P('proc', 'Proc')],
    guard: (L, s, a) => {
      const p = a.proc!;
      return L.and(
        s.f('alive', p),
        L.forall(['Vm'], (v) => L.implies(L.eq(s.f('vmOwner', v), p), L.not(s.f('vmAlive', v)))),
        noEntry(L, s, (e) => L.and(s.f('isP', e), L.eq(s.f('devOwner', s.f('eDev', e)), p))),
        noEntry(L, s, (e) => L.and(s.f('isM', e), L.eq(s.f('mOwner', s.f('eMdev', e)), p))),
        L.forall(['File'], (f) => L.not(openFileOf(L, s, f, p))),
      );
    },
    effect: (L, s, a) =>
      apply(s, {
        alive: set1(L, s, 'alive', a.proc!, L.F),
        allowedSome: (m) => L.and(s.f('allowedSome', m), L.not(L.eq(s.f('mOwner', m), a.proc!))),
      }),
  };
}

// ---- a swq: descriptors queued and executed

function enqcmd(rules: Rules): Transition {
  return {
    name: 'enqcmd',
    action: 'enqcmd',
    params: [P('vm', 'Vm'), P('mdev', 'Mdev'), P('ent', 'Ent'), P('desc', 'Desc')],
    guard: (L, s, a) =>
      L.and(
        L.eq(s.f('mVm', a.mdev!), a.vm!),
        s.f('vmAlive', a.vm!),
        implicitKvm(rules) ? L.T : s.f('vmEnabled', a.vm!),
        s.f('eUsed', a.ent!),
        s.f('isK', a.ent!),
        L.eq(s.f('eVm', a.ent!), a.vm!),
        fresh(L, s, 'dUsed', a.desc!),
      ),
    effect: (L, s, a) =>
      apply(s, {
        dUsed: set1(L, s, 'dUsed', a.desc!, L.T),
        dDev: set1(L, s, 'dDev', a.desc!, s.f('mParent', a.mdev!)),
        dPasid: set1(L, s, 'dPasid', a.desc!, s.f('ePasid', a.ent!)),
        dIssuer: set1(L, s, 'dIssuer', a.desc!, s.f('vmOwner', a.vm!)),
      }),
  };
}

function swqExec(): Transition {
  return {
    name: 'swq_exec',
    action: 'swq_exec',
    params: [P('dev', 'Dev'), P('desc', 'Desc')],
    guard: (L, s, a) => L.and(L.not(s.f('isPdev', a.dev!)), s.f('dUsed', a.desc!), L.eq(s.f('dDev', a.desc!), a.dev!)),
    effect: (L, s, a) => apply(s, { dUsed: set1(L, s, 'dUsed', a.desc!, L.F) }),
  };
}

// ---- the notifier (recycle: notifier) and the slot collection

function deliver(rules: Rules): Transition {
  return {
    name: 'deliver',
    action: 'deliver',
    params: [P('ent', 'Ent')],
    guard: (L, s, a) => L.and(s.f('eUsed', a.ent!), s.f('note', a.ent!)),
    // The holder releases as its own call would: mdev_detach drains its parent first.
    effect: (L, s, a) => release(L, s, rules, a.ent!, s.f('isM', a.ent!)),
  };
}

function fileGc(): Transition {
  return {
    name: 'file_gc',
    action: 'file_gc',
    params: [P('file', 'File')],
    guard: (L, s, a) => {
      const f = a.file!;
      return L.and(
        s.f('fUsed', f),
        L.not(s.f('fOpen', f)),
        L.forall(['Io'], (io) => L.not(L.and(s.f('iUsed', io), L.eq(s.f('iFile', io), f)))),
        L.forall(['Vm'], (v) => L.not(L.and(s.f('vmHasPres', v), L.eq(s.f('vmPres', v), f)))),
        L.forall(['Mdev'], (m) => L.not(L.and(s.f('allowedSome', m), L.eq(s.f('allowed', m), f)))),
      );
    },
    effect: (L, s, a) => apply(s, { fUsed: set1(L, s, 'fUsed', a.file!, L.F) }),
  };
}

/** recycle: notifier: one pending notification per entry holding io. */
function noteHolders<T>(L: Logic<T>, s: St<T>, io: T): Update<T> {
  return { note: (e: T) => L.or(s.f('note', e), L.and(s.f('eUsed', e), L.eq(s.f('eIo', e), io))) };
}

function countAddPair<T>(L: Logic<T>, s: St<T>, io: T, file: T): Update<T> {
  return merge(countAdd(L, s, CHARGED, io, file, L.T), countAdd(L, s, LIVE, io, file, L.T));
}

/** The model actions that never change the state (§3: `dma` observes; `deliver` outside notifier). */
export function stutterActions(rules: Rules): string[] {
  return notifies(rules) ? ['dma'] : ['dma', 'deliver'];
}

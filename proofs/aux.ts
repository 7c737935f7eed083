/**
 * Auxiliary invariants: the strengthening that makes the nine invariants of
 * DESIGN.md §4 inductive for `reference`. Each is one line of meaning, is a
 * fact of every reachable state of the reference design, and is itself proved
 * inductive by prove() (in a flawed variant some of them are refuted, which is
 * expected: they encode the reference's mechanisms).
 */
import { LEMMA_BY_NAME } from '../model/lemmas';
import * as L from './lookup';
import { recyclesAtDestroy } from '../model/rules';
import type { Encoding } from './symstep';
import type { SymState } from './symstate';
import type { B, N } from './z3';

export interface AuxInvariant {
  readonly name: string;
  readonly statement: string;
  /**
   * 'flawed': not needed to prove `reference` (left out there, it costs time),
   * but it holds in the flawed variants where facts it would follow from fail,
   * so Houdini keeps more of what is true there.
   */
  readonly only?: 'flawed';
  /** §10: only at SVA scopes (model/lemmas.ts) */
  readonly sva?: 'only';
  readonly formula: (enc: Encoding, s: SymState) => B;
}

const FORMULAS: readonly { readonly name: string; readonly formula: AuxInvariant['formula'] }[] = [
  {
    name: 'wf-files',
    formula: ({ sm, lay }, s) =>
      sm.and(
        ...s.files.map((f) =>
          sm.and(
            sm.implies(f.used, sm.and(sm.within(f.proc, 1, lay.scope.procs), sm.within(f.fd, 0, lay.scope.fdsPerProc))),
            sm.implies(sm.not(f.used), sm.and(sm.eq(f.proc, 0), sm.eq(f.fd, 0))),
          ),
        ),
      ),
  },
  {
    name: 'fd-unique',
    formula: ({ sm, lay }, s) => {
      const out: B[] = [];
      for (let p = 1; p <= lay.scope.procs; p++) {
        for (let fd = 1; fd <= lay.scope.fdsPerProc; fd++) {
          out.push(sm.le(sm.count(s.files.map((f) => sm.and(f.used, sm.eq(f.proc, p), sm.eq(f.fd, fd)))), 1));
        }
      }
      return sm.and(...out);
    },
  },
  {
    name: 'file-gc',
    formula: ({ sm }, s) =>
      sm.and(
        ...s.files.map((f, i) => {
          const id = i + 1;
          const referenced = sm.or(
            ...s.ioasids.map((io) => sm.and(io.used, sm.eq(io.file, id))),
            ...s.vms.map((v) => sm.eq(v.presented, id)),
            ...s.allowed.map((a) => sm.eq(a, id)),
          );
          return sm.implies(sm.and(f.used, sm.eq(f.fd, 0)), referenced);
        }),
        ...s.ioasids.map((io) => sm.implies(io.used, L.fileUsed(sm, s, io.file))),
        ...s.vms.map((v) => sm.or(sm.eq(v.presented, 0), L.fileUsed(sm, s, v.presented))),
        ...s.allowed.map((a) => sm.or(sm.eq(a, 0), L.fileUsed(sm, s, a))),
      ),
  },
  {
    name: 'wf-ioasids',
    formula: ({ sm, lay }, s) => {
      const minPasid = recyclesAtDestroy(lay.rules) ? 0 : 1;
      return sm.and(
        ...s.ioasids.map((io) =>
          sm.and(
            sm.implies(io.used, sm.and(sm.within(io.handle, 0, lay.scope.quota), sm.within(io.pasid, minPasid, lay.scope.pasids))),
            // a live ioasid always holds its PASID (only destroy can take it away)
            sm.implies(sm.and(io.used, sm.ne(io.handle, 0)), sm.ge(io.pasid, 1)),
            sm.implies(
              sm.not(io.used),
              sm.and(sm.eq(io.file, 0), sm.eq(io.handle, 0), sm.eq(io.pasid, 0), sm.not(io.blocked), sm.eq(io.users, 0)),
            ),
          ),
        ),
      );
    },
  },
  {
    name: 'presented-owner',
    formula: ({ sm, lay }, s) =>
      sm.and(
        ...s.vms.map((v, i) =>
          sm.or(sm.eq(v.presented, 0), L.fileProcIs(sm, s, v.presented, (p) => sm.eq(p, lay.scope.vms[i]!.owner), false)),
        ),
      ),
  },
  {
    name: 'allowed-owner',
    formula: ({ sm, lay }, s) =>
      sm.and(
        ...s.allowed.map((a, i) =>
          sm.or(sm.eq(a, 0), L.fileProcIs(sm, s, a, (p) => sm.eq(p, lay.scope.mdevs[i]!.owner), false)),
        ),
      ),
  },
  {
    name: 'entry-pasid',
    formula: ({ sm }, s) =>
      sm.and(...s.tables.flatMap((t) => t.map((e, p) => sm.implies(e.used, sm.eq(L.ioPasid(sm, s, e.ioasid), p + 1))))),
  },
  {
    name: 'kvm-pasid',
    formula: ({ sm }, s) =>
      sm.and(...s.vms.flatMap((v) => v.entries.map((e) => sm.implies(e.used, sm.eq(L.ioPasid(sm, s, e.ioasid), e.pasid))))),
  },
  {
    name: 'desc-owner',
    formula: ({ sm }, s) =>
      sm.and(
        ...s.queues.flatMap((q) =>
          q.slots.map((x, k) =>
            sm.implies(
              sm.lt(sm.int(k), q.len),
              sm.or(
                ...s.ioasids.map((io) =>
                  sm.and(io.used, sm.eq(io.pasid, x.pasid), L.fileProcIs(sm, s, io.file, (p) => sm.eq(p, x.issuer), false)),
                ),
                // §10: or the issuer's mm (sva_submit)
                ...s.mms.map((m, i) => sm.and(sm.eq(x.issuer, i + 1), sm.ne(m.pasid, 0), sm.eq(m.pasid, x.pasid))),
              ),
            ),
          ),
        ),
      ),
  },
  {
    name: 'pasid-held',
    formula: ({ sm }, s) =>
      sm.and(...s.free.map((f, i) => sm.or(f, ...s.ioasids.map((io) => sm.and(io.used, sm.eq(io.pasid, i + 1))), ...s.mms.map((m) => sm.eq(m.pasid, i + 1))))),
  },
  {
    name: 'free-no-ioasid',
    formula: ({ sm }, s) =>
      sm.and(...s.free.map((f, i) => sm.implies(f, sm.and(...s.ioasids.map((io) => sm.not(sm.and(io.used, sm.eq(io.pasid, i + 1)))))))),
  },
  {
    name: 'free-no-entry',
    formula: ({ sm }, s) =>
      sm.and(
        ...s.free.map((f, i) =>
          sm.implies(
            f,
            sm.and(
              ...s.tables.map((t) => sm.not(t[i]!.used)),
              ...s.vms.flatMap((v) => v.entries.map((e) => sm.not(sm.and(e.used, sm.eq(e.pasid, i + 1))))),
            ),
          ),
        ),
      ),
  },
  {
    name: 'entry-owner',
    formula: ({ sm, lay }, s) =>
      sm.and(
        ...lay.scope.devices.flatMap((dev, d) =>
          s.tables[d]!.map((e) => {
            const owner =
              dev.kind === 'pdev'
                ? (p: N) => sm.eq(p, dev.owner)
                : (p: N) => sm.or(...lay.scope.mdevs.filter((m) => m.parent === dev.id).map((m) => sm.and(sm.eq(e.mdev, m.id), sm.eq(p, m.owner))));
            return sm.implies(e.used, L.ownerIs(sm, s, e.ioasid, owner, false));
          }),
        ),
      ),
  },
  {
    name: 'wf-queues',
    formula: ({ sm }, s) =>
      sm.and(
        ...s.queues.flatMap((q) => [
          sm.within(q.len, 0, q.slots.length),
          ...q.slots.map((x, k) => sm.implies(sm.le(q.len, k), sm.and(sm.eq(x.issuer, 0), sm.eq(x.pasid, 0)))),
        ]),
      ),
  },
  {
    name: 'slot-accounting',
    formula: ({ sm, lay }, s) => {
      const { scope } = lay;
      const one = (bs: B[]): B => sm.le(sm.count(bs), 1);
      const some = (bs: B[]): B => sm.ge(sm.count(bs), 1);
      const out: B[] = [];
      // Referrers of files: ioasids, VMs (presented), mdevs (allowed); each names one file.
      const refs: ((i: number) => B)[] = [
        ...s.ioasids.map((io) => (i: number) => sm.and(io.used, sm.eq(io.file, i))),
        ...s.vms.map((v) => (i: number) => sm.eq(v.presented, i)),
        ...s.allowed.map((a) => (i: number) => sm.eq(a, i)),
      ];
      const fileIds = s.files.map((_, i) => i + 1);
      for (const r of refs) out.push(one(fileIds.map(r)));
      s.files.forEach((f, i) => {
        const keys: B[] = [];
        for (let p = 1; p <= scope.procs; p++) {
          for (let fd = 1; fd <= scope.fdsPerProc; fd++) keys.push(sm.and(sm.eq(f.proc, p), sm.eq(f.fd, fd)));
        }
        out.push(sm.implies(f.used, some([...keys, ...refs.map((r) => r(i + 1))])));
      });
      // Holders of ioasids: PASIDs (distinct, see pasid-unique) and entries (each points at one).
      const entries = [...s.tables.flat(), ...s.vms.flatMap((v) => v.entries)];
      const ioIds = s.ioasids.map((_, j) => j + 1);
      for (let p = 1; p <= scope.pasids; p++) out.push(one(s.ioasids.map((io) => sm.and(io.used, sm.eq(io.pasid, p)))));
      if (recyclesAtDestroy(lay.rules)) for (const e of entries) out.push(one(ioIds.map((j) => sm.and(e.used, sm.eq(e.ioasid, j)))));
      s.ioasids.forEach((io, j) => {
        const byPasid = Array.from({ length: scope.pasids }, (_, p) => sm.eq(io.pasid, p + 1));
        const byEntry = recyclesAtDestroy(lay.rules) ? entries.map((e) => sm.and(e.used, sm.eq(e.ioasid, j + 1))) : [];
        out.push(sm.implies(io.used, some([...byPasid, ...byEntry])));
      });
      return sm.and(...out);
    },
  },
  {
    name: 'notes-wf',
    formula: ({ sm, lay }, s) => {
      if (s.notes.length === 0) return sm.T;
      const n = sm.count(s.notes.map((x) => x.pend));
      const out: B[] = [];
      s.notes.forEach((x, k) => {
        const key = lay.noteKeys[k]!;
        const e = key.holder === 'kvm' ? s.vms[key.id - 1]!.entries[key.key - 1]! : s.tables[key.id - 1]![key.key - 1]!;
        out.push(sm.implies(x.pend, sm.and(e.used, sm.le(sm.int(0), x.rank), sm.lt(x.rank, n))));
        out.push(sm.implies(sm.not(x.pend), sm.eq(x.rank, 0)));
        s.notes.forEach((y, m) => {
          if (m > k) out.push(sm.implies(sm.and(x.pend, y.pend), sm.ne(x.rank, y.rank)));
        });
      });
      return sm.and(...out);
    },
  },
  // ---- §10, SVA scopes only ----
  {
    name: 'wf-sva',
    formula: ({ sm, lay }, s) =>
      sm.and(
        ...s.mms.map((m) => sm.and(sm.within(m.pasid, 0, lay.scope.pasids), sm.implies(sm.eq(m.users, 0), sm.eq(m.pasid, 0)))),
        ...s.sva.flat().map((e) => sm.and(sm.implies(e.used, sm.within(e.proc, 1, lay.scope.procs)), sm.implies(sm.not(e.used), sm.eq(e.proc, 0)))),
      ),
  },
  {
    name: 'sva-pasid',
    formula: ({ sm }, s) =>
      sm.and(
        ...s.sva.flatMap((t) =>
          t.map((e, p) => sm.implies(e.used, sm.or(...s.mms.map((m, k) => sm.and(sm.eq(e.proc, k + 1), sm.eq(m.pasid, p + 1)))))),
        ),
      ),
  },
  {
    name: 'free-no-mm',
    formula: ({ sm }, s) => sm.and(...s.free.map((f, i) => sm.implies(f, sm.and(...s.mms.map((m) => sm.ne(m.pasid, i + 1)))))),
  },
  {
    name: 'free-no-sva',
    formula: ({ sm }, s) =>
      sm.and(...s.free.map((f, i) => sm.implies(f, sm.and(...s.sva.filter((t) => t.length > 0).map((t) => sm.not(t[i]!.used)))))),
  },
];

/** Each formula with the statement (and scope of use) of its concrete twin in model/lemmas.ts: one text for both. */
export const AUX_INVARIANTS: readonly AuxInvariant[] = FORMULAS.map(({ name, formula }) => {
  const twin = LEMMA_BY_NAME[name];
  if (!twin) throw new Error(`bug: auxiliary invariant ${name} has no concrete twin in model/lemmas.ts`);
  return { name, statement: twin.statement, ...(twin.only ? { only: twin.only } : {}), ...(twin.sva ? { sva: twin.sva } : {}), formula };
});

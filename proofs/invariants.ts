/**
 * ▶ The nine invariants of DESIGN.md §4 (as §10 extends them at an SVA scope) as Z3 formulas over a symbolic state,
 * one per entry of the model's INVARIANTS registry (same names, same order).
 * Each is a transcription of the TypeScript predicate `holds` in
 * model/invariants.ts; the property test checks that the two agree.
 */
import type { InvariantName } from '../model/index';
import * as L from './lookup';
import type { Encoding } from './symstep';
import type { SymState } from './symstate';
import type { B, N } from './z3';

type Formula = (enc: Encoding, s: SymState) => B;

/** The owner of the mdev whose id is `mdev` (0 if none). */
function mdevOwner(enc: Encoding, mdev: N): N {
  const { sm } = enc;
  let e = sm.int(0);
  for (const m of [...enc.lay.scope.mdevs].reverse()) e = sm.ite(sm.eq(mdev, m.id), sm.int(m.owner), e);
  return e;
}

const FORMULAS: Readonly<Record<InvariantName, Formula>> = {
  'explicit-vm-authorization': ({ sm, lay }, s) =>
    sm.and(
      ...s.vms.flatMap((v, i) =>
        v.entries.map((e) =>
          sm.implies(
            e.used,
            sm.and(v.alive, v.enabled, e.explicit, L.ownerIs(sm, s, e.ioasid, (p) => sm.eq(p, lay.scope.vms[i]!.owner), false)),
          ),
        ),
      ),
    ),

  'explicit-mdev-authorization': ({ sm }, s) =>
    sm.and(...s.tables.flatMap((t) => t.map((e) => sm.implies(e.used, sm.or(sm.eq(e.mdev, 0), e.allowed))))),

  'recycle-at-zero': ({ sm }, s) => sm.and(...s.free.map((f, i) => sm.implies(f, sm.not(L.held(sm, s, i + 1, true))))),

  'refcount-exact': ({ sm, lay }, s) => {
    const entries = [...s.tables.flat(), ...s.vms.flatMap((v) => v.entries)];
    return sm.and(
      ...s.ioasids.map((io, j) => {
        const holders = sm.count([sm.and(io.used, sm.ne(io.handle, 0)), ...entries.map((e) => sm.and(e.used, sm.eq(e.ioasid, j + 1)))]);
        return sm.and(sm.eq(sm.ite(io.used, io.users, sm.int(0)), holders), sm.implies(io.used, sm.gt(io.users, 0)));
      }),
      // an entry pointing past the last slot points at nothing, whose users (0) cannot match
      ...entries.map((e) => sm.implies(e.used, sm.le(e.ioasid, lay.ioasids))),
      // §10: each mm's count is 1 while its process is alive, plus its bindings.
      ...s.mms.map((m, i) => sm.eq(m.users, sm.count([s.alive[i]!, ...s.sva.flat().map((e) => sm.and(e.used, sm.eq(e.proc, i + 1)))]))),
    );
  },

  'pasid-unique': ({ sm }, s) => {
    const out: B[] = [];
    s.ioasids.forEach((a, j) =>
      s.ioasids.forEach((b, k) => {
        if (k > j) out.push(sm.implies(sm.and(a.used, b.used, sm.ne(a.pasid, 0)), sm.ne(a.pasid, b.pasid)));
      }),
    );
    // §10: no two of IOASIDs holding a PASID and mms holding one.
    s.mms.forEach((m, i) => {
      for (const io of s.ioasids) out.push(sm.implies(sm.and(io.used, sm.ne(io.pasid, 0), sm.ne(m.pasid, 0)), sm.ne(io.pasid, m.pasid)));
      s.mms.forEach((n, k) => {
        if (k > i) out.push(sm.implies(sm.ne(m.pasid, 0), sm.ne(m.pasid, n.pasid)));
      });
    });
    return sm.and(...out);
  },

  'destroyed-blocks-dma': ({ sm }, s) =>
    sm.and(
      ...s.tables.flatMap((t) => t.map((e) => sm.implies(e.used, sm.or(L.ioLive(sm, s, e.ioasid), L.ioBlocked(sm, s, e.ioasid))))),
    ),

  'no-cross-tenant-dma': (enc, s) => {
    const { sm, lay } = enc;
    const { scope } = lay;
    const out: B[] = [];
    scope.devices.forEach((dev, d) => {
      s.tables[d]!.forEach((e, p) => {
        const owner = dev.kind === 'pdev' ? sm.int(dev.owner) : mdevOwner(enc, e.mdev);
        out.push(sm.implies(e.used, L.reachesOnly(sm, s, dev.id, sm.int(p + 1), owner)));
      });
      const q = s.queues[d]!;
      q.slots.forEach((x, k) => out.push(sm.implies(sm.lt(sm.int(k), q.len), L.reachesOnly(sm, s, dev.id, x.pasid, x.issuer))));
    });
    for (const m of scope.mdevs) {
      const owner = sm.int(scope.vms[m.vm - 1]!.owner);
      for (const e of s.vms[m.vm - 1]!.entries) out.push(sm.implies(e.used, L.reachesOnly(sm, s, m.parent, e.pasid, owner)));
    }
    return sm.and(...out);
  },

  quota: ({ sm, lay }, s) => {
    const charges = (file: N): N => L.charged(sm, s, file);
    return sm.and(...s.ioasids.map((io) => sm.implies(sm.and(io.used, sm.ne(io.pasid, 0)), sm.le(charges(io.file), lay.scope.quota))));
  },

  'no-leak': ({ sm }, s) => sm.and(...s.free.map((f, i) => sm.or(f, L.held(sm, s, i + 1, false)))),
};

export function invariantFormula(enc: Encoding, name: InvariantName, s: SymState): B {
  return FORMULAS[name](enc, s);
}

/**
 * `outcomes` at the sva scope: the reference's reachable states are searched
 * exhaustively (not with Z3) for every (action, result) of the SVA calls; each shortest trace is replayed on the
 * kernel. At `sva` the reference produces every §10 result but sva_bind's
 * -EBUSY (a PASID the mm could take is never in a device's table while free:
 * only the 2022 bug leaves one there), and the kernel agrees on every trace.
 */
import { describe, expect, it } from 'vitest';
import { svaOutcomesCommand, SVA_RESULTS } from '../../src/cli/commands/outcomes';
import { searchOutcomes } from '../../src/explore/outcomeSearch';
import { PRESETS, allScopeActions, isSvaActionType, presetDesign, step, initialState } from '../../model/index';
import { resolveScope } from '../../src/scopes';

interface Json {
  states: number;
  coverage: { reached: number; producible: number };
  pairs: { action: string; result: string; length: number; divergence: string | null }[];
  unproducible: string[];
}

describe('outcomes at an SVA scope', () => {
  it('covers the SVA calls on the kernel: 14 pairs, shortest traces, -EBUSY produced by none', () => {
    const out = svaOutcomesCommand({ scope: resolveScope('sva'), depth: 12, timeoutMs: 1000 });
    const j = out.json as Json;
    expect(out.exit).toBe(0);
    expect(j.states).toBe(36081); // the state space explore counts at sva
    expect(j.coverage).toEqual({ reached: 14, producible: 14 });
    expect(j.pairs.every((p) => p.divergence === null)).toBe(true);
    expect(j.unproducible).toEqual(['sva_bind -EBUSY']);
    expect(j.pairs.find((p) => p.action === 'sva_bind' && p.result === '-ENOSPC')!.length).toBe(4);
    const all = Object.entries(SVA_RESULTS).flatMap(([t, rs]) => rs.map((r) => `${t} ${r}`));
    expect([...j.pairs.map((p) => `${p.action} ${p.result}`), ...j.unproducible].sort()).toEqual(all.sort());
  });

  it('each hit is a trace whose last step returns its result on the model', () => {
    // a small SVA scope: one swq, one PASID, nothing of §3 but the processes
    const scope = { ...PRESETS.sva, pasids: 1, devices: [{ id: 1, kind: 'swq' as const }], mdevs: [], vms: [] };
    const rules = presetDesign('sva-free-at-mmput').rules;
    const r = searchOutcomes(scope, rules, allScopeActions(scope).filter((a) => isSvaActionType(a.type)));
    // under the 2022 bug the stale entry makes -EBUSY reachable: the search is not blind to it
    expect(r.hits.find((h) => h.type === 'sva_bind' && h.result === '-EBUSY')?.actions.length).toBe(3);
    for (const h of r.hits) {
      let s = initialState(scope);
      let last = '';
      for (const a of h.actions) ({ state: s, result: last } = step(scope, rules, s, a));
      expect(/^[1-9]/.test(last) ? 'N' : last, `${h.type} ${h.result}`).toBe(h.result);
    }
  });
});

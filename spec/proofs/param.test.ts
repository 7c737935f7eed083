/**
 * Holds the parametric encoding (proofs/param) to the model: on reachable
 * states of `tiny` (breadth-first, capped), every invariant formula evaluates
 * as model/invariants.ts says, the scope axioms and (designs expected to hold)
 * every auxiliary claim hold, every single model step of a non-compound action
 * is a transition of the encoding, and every compound step is a chain of them
 * (abstraction 5): the over-approximation contains the model.
 * Then the parametric proofs (PARAM_PROOFS=1): reference and iommufd-busy
 * proved, each flawed preset refuted where it is expected to break, with
 * decoded counter-models model/step.ts is asked about.
 */
import { describe, expect, it } from 'vitest';
import { ALL_VARIANT_NAMES, type Action, INVARIANT_BY_NAME, PRESETS, type Scope, type State, VARIANTS, type Variant, candidateActions, initialState, step, svaFreeAtMmput } from '../../model/index';
import { INVARIANT_CLAIMS, auxClaims, scopeAxioms, transitions } from '../../proofs/param/encoding';
import { EvalLogic, tuples } from '../../proofs/param/logic';
import { chainMatches, checkableEdge, numbered, postLayout, sameState } from './paramConformance';
import { claimHolds, guardHolds, postStructure, proveParametric } from '../../proofs/param/prove';
import { type Layout, toStructure } from '../../proofs/param/structure';
import { symbolic } from '../../proofs/param/vocab';

const tiny: Scope = PRESETS.tiny;

function reachable(scope: Scope, variant: Variant, cap: number): { states: State[]; edges: [State, Action, State][] } {
  const seen = new Map<string, State>();
  const init = initialState(scope);
  seen.set(JSON.stringify(init), init);
  const queue = [init];
  const edges: [State, Action, State][] = [];
  const actions = candidateActions(scope, VARIANTS[variant].rules);
  while (queue.length > 0 && seen.size < cap) {
    const s = queue.shift()!;
    for (const a of actions) {
      const out = step(scope, VARIANTS[variant].rules, s, a);
      if (out.state === s) continue;
      edges.push([s, a, out.state]);
      const k = JSON.stringify(out.state);
      if (!seen.has(k)) {
        seen.set(k, out.state);
        queue.push(out.state);
      }
    }
  }
  return { states: [...seen.values()], edges };
}

describe.each(['reference', 'no-drain', 'recycle-on-destroy', 'notifier-cleanup', 'implicit-kvm-enqcmd', 'iommufd-busy'] as const)('parametric encoding vs the model at tiny (%s)', (variant) => {
  const rules = VARIANTS[variant].rules;
  const { states, edges } = reachable(tiny, variant, 1500);

  it('every invariant formula evaluates as model/invariants.ts says; axioms (and reference aux) hold', () => {
    let falseSeen = 0;
    for (const s of states) {
      const lay: Layout = { files: s.files.length + 1, ios: s.ioasids.length + 1, descs: s.queues.flat().length + 1, descIds: numbered(s) };
      const st = toStructure(tiny, s, lay);
      const L = new EvalLogic(st);
      expect(scopeAxioms(L, symbolic(L))).toBe(true);
      for (const c of INVARIANT_CLAIMS) {
        const want = INVARIANT_BY_NAME[c.name as keyof typeof INVARIANT_BY_NAME].holds(tiny, s);
        if (!want) falseSeen++;
        expect({ c: c.name, v: claimHolds(st, c) }).toEqual({ c: c.name, v: want });
      }
      if (VARIANTS[variant].expectedToFail.length === 0) for (const c of auxClaims(rules)) expect({ c: c.name, v: claimHolds(st, c) }).toEqual({ c: c.name, v: true });
    }
    expect(states.length).toBeGreaterThan(500);
    if (VARIANTS[variant].expectedToFail.length > 0) expect(falseSeen).toBeGreaterThan(0);
  });

  it('every step of a non-compound action is a transition of the encoding', () => {
    const trs = transitions(rules);
    let checked = 0;
    for (const [pre, a, post] of edges) {
      // Compound steps, and steps that also collect a file (model/draft.ts freeze), are chains: the next test.
      if (!checkableEdge(pre, a, post, rules)) continue;
      const lay: Layout = { files: Math.max(pre.files.length, post.files.length) + 1, ios: Math.max(pre.ioasids.length, post.ioasids.length) + 1, descs: pre.queues.flat().length + 2, descIds: numbered(pre) };
      const st = toStructure(tiny, pre, lay);
      const want = toStructure(tiny, post, postLayout(pre, post, lay));
      const t = trs.find((x) => x.name === a.type)!;
      let found = false;
      for (const tup of tuples(st.size, t.params.map((p) => p.sort))) {
        const args = Object.fromEntries(t.params.map((p, i) => [p.name, tup[i]!]));
        if (!guardHolds(st, t, args)) continue;
        if (sameState(postStructure(st, t, args), want)) {
          found = true;
          break;
        }
      }
      expect({ step: `${a.type} ${JSON.stringify(a)}`, found }).toEqual({ step: `${a.type} ${JSON.stringify(a)}`, found: true });
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('every step of a compound action (close, vm_destroy, exit, implicit alloc, or one that collects a file) is a chain of its transitions', () => {
    const trs = transitions(rules);
    // Every one for the designs proved (their proofs rest on abstraction 5), every 4th (deterministic) for the flawed ones.
    const every = VARIANTS[variant].expectedToFail.length === 0 ? 1 : 4;
    const compound = edges.filter(([pre, a, post]) => !checkableEdge(pre, a, post, rules) && a.type !== 'dma').filter((_, i) => i % every === 0);
    for (const [pre, a, post] of compound) {
      expect({ step: `${a.type} ${JSON.stringify(a)}`, chain: chainMatches(tiny, trs, pre, a, post) }).toEqual({ step: `${a.type} ${JSON.stringify(a)}`, chain: true });
    }
    expect(compound.length).toBeGreaterThan(20);
  });
});

/** What breaks the topology rules of DESIGN §2 (the cross-references src/scopes.ts checks), none for a good scope. */
function topologyProblems(s: Scope): string[] {
  const out: string[] = [];
  const ids = (xs: readonly { id: number }[], what: string): void => xs.forEach((x, i) => x.id !== i + 1 && out.push(`${what} ${i}`));
  ids(s.devices, 'device');
  ids(s.mdevs, 'mdev');
  ids(s.vms, 'vm');
  for (const d of s.devices) if (d.kind === 'pdev' && (d.owner < 1 || d.owner > s.procs)) out.push(`pdev ${d.id} owner`);
  for (const v of s.vms) if (v.owner < 1 || v.owner > s.procs) out.push(`vm ${v.id} owner`);
  for (const m of s.mdevs) {
    if (s.devices[m.parent - 1]?.kind !== 'swq') out.push(`mdev ${m.id} parent`);
    if (s.vms[m.vm - 1]?.owner !== m.owner) out.push(`mdev ${m.id} vm`);
  }
  if (s.quota < 1 || s.pasids < 1 || s.procs < 1) out.push('sizes');
  return out;
}

// Z3 on a shared core: the reference about 40 s, each flawed design 40-150 s (README
// "Proofs: what is and is not covered"), so these run with PARAM_PROOFS=1 only
// (the conformance checks above always run).
describe.skipIf(!process.env.PARAM_PROOFS)('the parametric proof', () => {
  it('proves every obligation of the reference, for every scope', async () => {
    const r = await proveParametric(VARIANTS.reference.rules, { timeoutMs: 60_000 });
    expect(r.obligations.filter((o) => o.status !== 'proved')).toEqual([]);
    expect(r.claims.filter((c) => c.kind === 'invariant').map((c) => c.status)).toEqual(Array(9).fill('proved'));
    // No proof is vacuous: every transition is enabled in some structure of the axioms and all claims.
    expect(Object.entries(r.enabled).filter(([, v]) => v !== 'sat')).toEqual([]);
  }, 300_000);

  it('proves every obligation of iommufd-busy (DESIGN §9), for every scope', async () => {
    const r = await proveParametric(VARIANTS['iommufd-busy'].rules, { timeoutMs: 60_000 });
    expect(r.obligations.filter((o) => o.status !== 'proved')).toEqual([]);
    expect(Object.entries(r.enabled).filter(([, v]) => v !== 'sat')).toEqual([]);
  }, 300_000);

  // Every preset the design analysis expects to break something, read from its rules (those the encoding covers).
  const flawed = ALL_VARIANT_NAMES.map((v) => VARIANTS[v]).filter((p) => p.expectedToFail.length > 0 && !svaFreeAtMmput(p.rules));
  it.each(flawed.map((p) => [p.name, p] as const))('refutes what %s is expected to break, with decoded counter-models model/step.ts is asked about', async (_name, p) => {
    const r = await proveParametric(p.rules, { timeoutMs: 30_000, until: p.expectedToFail });
    for (const inv of p.expectedToFail) {
      const refuted = r.obligations.filter((o) => o.invariant === inv && o.status === 'refuted');
      expect({ inv, refuted: refuted.length > 0 }).toEqual({ inv, refuted: true });
      for (const o of refuted) {
        const c = o.counterModel!;
        // The decoded scope has the topology of DESIGN §2 (a scope file may exceed its size limits: the proof has none).
        expect(topologyProblems(c.scope)).toEqual([]);
        // The decoded post-state breaks the claim, as model/invariants.ts reads it.
        expect(INVARIANT_BY_NAME[inv].holds(c.scope, c.post)).toBe(false);
        // model/step.ts, asked again here, gives the verdict the counter-model records
        // (no model action: a part of a compound step, abstraction 5 of encoding.ts).
        if (c.action === null) {
          expect(['alloc:implicit-map', 'file_gc']).toContain(c.transition);
          expect(c.modelAgrees).toBeNull();
          continue;
        }
        const out = step(c.scope, p.rules, c.pre, c.action);
        const agrees = out.state !== c.pre && !INVARIANT_BY_NAME[inv].holds(c.scope, out.state);
        expect(c.modelAgrees).toBe(agrees);
      }
      // Each counter-model of a model action is a step the model takes, and it breaks the invariant there too.
      for (const o of refuted.filter((x) => x.counterModel!.action !== null)) expect({ inv, at: o.action, agrees: o.counterModel!.modelAgrees }).toEqual({ inv, at: o.action, agrees: true });
    }
  }, 600_000);
});

/**
 * The independence relation (model/independence.ts) against the step
 * function, and the explorer's reduction built on it (src/explore/sleep.ts).
 *
 * The reduction needs exactly this of every state p the BFS expands (p as the
 * explorer holds it: decoded from its encoding) and every ordered pair u, v of
 * candidate calls that `independent` relates, v changing p: u changes
 * x = p.v (decoded) iff it changes p, and if it does, v changes y = p.u
 * (decoded) and x.u and y.v encode alike. Of every pair that `absorbs`
 * relates (model/absorption.ts), u undoing v, u changing p: u changes x, and
 * x.u encodes as p.u. The first tests check both in every state within the
 * BFS depths below, for designs covering every value of every rule. The
 * others check what the reduction promises: the same states, in the same
 * order, the same counts and the same traces as without it.
 */
import { describe, expect, it } from 'vitest';
import { formatAction } from '../../model/actions';
import { scopeCandidates } from '../../model/candidates';
import { absorbs } from '../../model/absorption';
import { actor, enqcmdPasidSafeFrom, independent, independentIfSafe } from '../../model/independence';
import { PRESETS, type PresetName, type Scope } from '../../model/scope';
import type { State } from '../../model/state';
import { stepOf } from '../../model/step';
import { notifies } from '../../model/rules';
import { REFERENCE_DESIGN, presetDesign } from '../../model/variants';
import { decode } from '../../src/explore/decode';
import { Encoder } from '../../src/explore/encode';
import { explore } from '../../src/explore/explorer';
import { sleepSets } from '../../src/explore/sleep';

/**
 * Designs covering every value of every rule (sva-free-at-mmput at the SVA
 * scope), with a BFS depth: every state within it is checked (default has
 * every kind of object; the depths keep each case to a few seconds), and
 * `deep`, default with a queue two deep: there a queue can hold a descriptor
 * before enqcmd, which the presets' one-deep queues never do.
 */
const SCOPES: Record<PresetName | 'deep', Scope> = { ...PRESETS, deep: { ...PRESETS.default, swqDepth: 2 } };
const CASES: readonly [PresetName | 'deep', string, number][] = [
  ['default', 'reference', 13],
  ['default', 'no-drain', 13],
  ['default', 'recycle-on-destroy', 12],
  ['default', 'notifier-cleanup', 12],
  ['default', 'implicit-kvm-enqcmd', 12],
  ['default', 'implicit-mdev-pasid', 12],
  ['default', 'no-dma-block', 12],
  ['default', 'uncharge-on-destroy', 12],
  ['default', 'iommufd-busy', 14],
  ['sva', 'sva-free-at-mmput', 12],
  ['sva', 'reference', 12],
  ['deep', 'reference', 12],
  ['deep', 'recycle-on-destroy', 11],
];

/** Every pair the relations relate, checked in every state within `maxDepth` steps; with how many states and pairs. */
function checkRelation(
  scopeName: PresetName | 'deep',
  designName: string,
  maxDepth: number,
): { states: number; pairs: number; absorbedPairs: number; safePairs: number; drainPairs: number; failures: string[] } {
  const scope = SCOPES[scopeName];
  const design = presetDesign(designName as never);
  const actions = scopeCandidates(scope, design.rules);
  const steps = actions.map((a) => stepOf(scope, design.rules, a));
  const enc = new Encoder(scope, notifies(design.rules));
  const key = (s: State): string => {
    enc.encode(s);
    return enc.words.slice(0, enc.nWords).join(',');
  };
  const held = (s: State): State => {
    enc.encode(s);
    return decode(scope, new Uint8Array(enc.words.slice(0, enc.nWords).buffer));
  };
  // Every ordered pair: an inherited sleep set holds calls after v too.
  const rel = actions.map((v) => actions.map((u) => u !== v && independent(scope, design.rules, u, v)));
  const undoes = actions.map((v) => actions.map((u) => u !== v && absorbs(scope, design.rules, u, v)));
  // The pairs undone in some states only, with the test of a state v reached, as the explorer has them.
  const undoesIn = sleepSets(scope, design.rules, actions).undoesIn;
  // The pairs related in some states only: the process whose safety they need, or 0.
  const ifSafe = actions.map((v) => actions.map((u) => (u !== v && !independent(scope, design.rules, u, v) && independentIfSafe(scope, design.rules, u, v) ? actor(scope, u) : 0)));
  const states: State[] = [];
  explore(scope, design, { maxDepth, onState: (s) => states.push(held(s)) });
  let pairs = 0;
  let absorbedPairs = 0;
  let safePairs = 0;
  let drainPairs = 0;
  const failures: string[] = [];
  for (const p of states) {
    const after = steps.map((f) => f(p).state);
    const byU = new Map<number, State>();
    for (let v = 0; v < actions.length; v++) {
      if (after[v] === p) continue;
      const x = held(after[v]!);
      const safe = new Map<number, boolean>();
      const safeAt = (q: number): boolean => {
        if (!safe.has(q)) {
          const sx = enqcmdPasidSafeFrom(scope, x, actions[v]!, q);
          if (sx !== enqcmdPasidSafeFrom(scope, p, actions[v]!, q)) failures.push(`${formatAction(actions[v]!)} in state #${states.indexOf(p)}: safe from ${q} before it and not after, or the other way`);
          safe.set(q, sx);
        }
        return safe.get(q)!;
      };
      for (let u = 0; u < actions.length; u++) {
        const what = (): string => `${formatAction(actions[u]!)} / ${formatAction(actions[v]!)} in state #${states.indexOf(p)}`;
        const cond = undoesIn[v]!.find((c) => c.u === u);
        if (cond && (cond.toParent || after[u] !== p) && cond.test(x)) {
          drainPairs++;
          const xu = steps[u]!(x).state;
          if (xu === x) failures.push(`${what()}: the first does not change p.v, which it undoes here`);
          else if (key(xu) !== key(cond.toParent ? p : after[u]!)) failures.push(`${what()}: the first does not undo the second here`);
        }
        if (undoes[v]![u] && after[u] !== p) {
          absorbedPairs++;
          const xu = steps[u]!(x).state;
          if (xu === x) failures.push(`${what()}: the first changes p but not p.v, which it undoes`);
          else if (key(xu) !== key(after[u]!)) failures.push(`${what()}: the first does not undo the second`);
        }
        const q = ifSafe[v]![u]!;
        if (!rel[v]![u] && !(q > 0 && safeAt(q))) continue;
        if (q > 0) safePairs++;
        pairs++;
        const xu = steps[u]!(x).state;
        if ((xu !== x) !== (after[u] !== p)) {
          failures.push(`${what()}: the first changes p ${after[u] !== p}, p.v ${xu !== x}`);
          continue;
        }
        if (after[u] === p) continue;
        if (!byU.has(u)) byU.set(u, held(after[u]!));
        const y = byU.get(u)!;
        const yv = steps[v]!(y).state;
        if (yv === y) failures.push(`${what()}: the second does not change p.u`);
        else if (key(yv) !== key(xu)) failures.push(`${what()}: the two orders end in different states`);
      }
    }
    if (failures.length > 5) break;
  }
  return { states: states.length, pairs, absorbedPairs, safePairs, drainPairs, failures };
}

const rules = REFERENCE_DESIGN.rules;

describe('independent (model/independence.ts)', () => {
  for (const [scope, design, depth] of CASES) {
    it(`commutes and undoes as the reduction needs in every state within ${depth} steps: ${design} at ${scope}`, () => {
      const r = checkRelation(scope, design, depth);
      expect(r.failures).toEqual([]);
      expect(r.states).toBeGreaterThan(1000);
      expect(r.pairs).toBeGreaterThan(r.states);
      expect(r.absorbedPairs).toBeGreaterThan(r.states / 10);
      expect(r.safePairs).toBeGreaterThan(r.states / 10);
      expect(r.drainPairs).toBeGreaterThan(r.states / 100);
    }, 300_000);
  }

  it('relates no call to itself, is symmetric, and never relates an event but enqcmd, sva_submit and deliver', () => {
    for (const scope of [PRESETS.default, PRESETS.sva]) {
      const actions = scopeCandidates(scope, rules);
      for (const x of actions) {
        expect(independent(scope, rules, x, x)).toBe(false);
        for (const y of actions) expect(independent(scope, rules, x, y)).toBe(independent(scope, rules, y, x));
        if (['dma', 'swq_exec', 'exit_files'].includes(x.type)) expect(actions.some((y) => independent(scope, rules, x, y))).toBe(false);
      }
    }
  });

  it('relates deliver only to the private calls that read no entry', () => {
    const design = presetDesign('notifier-cleanup');
    const actions = scopeCandidates(PRESETS.default, design.rules);
    const deliver = actions.find((a) => a.type === 'deliver')!;
    const related = new Set(actions.filter((a) => independent(PRESETS.default, design.rules, deliver, a)).map((a) => a.type));
    expect([...related].sort()).toEqual(['kvm_enable_enqcmd', 'kvm_set_ioasid_fd', 'mdev_allow_pasid', 'open']);
  });

  it('relates two allocs of different processes never, an alloc and a private call of another process always', () => {
    const actions = scopeCandidates(PRESETS.default, rules);
    const alloc = (p: number) => actions.find((a) => a.type === 'alloc' && a.proc === p)!;
    const open2 = actions.find((a) => a.type === 'open' && a.proc === 2)!;
    expect(independent(PRESETS.default, rules, alloc(1), alloc(2))).toBe(false);
    expect(independent(PRESETS.default, rules, alloc(1), open2)).toBe(true);
  });
});

describe('absorbs (model/absorption.ts)', () => {
  const scope = PRESETS.default;
  const actions = scopeCandidates(scope, rules);
  const find = (pred: (a: (typeof actions)[number]) => boolean) => actions.find(pred)!;
  const exit1 = find((a) => a.type === 'exit' && a.proc === 1);
  const alloc = (p: number) => find((a) => a.type === 'alloc' && a.proc === p && a.fd === 1);

  it("has a process's exit undo its own calls only, and alloc only where the pool stays clean", () => {
    expect(absorbs(scope, rules, exit1, alloc(1))).toBe(true);
    expect(absorbs(scope, rules, exit1, alloc(2))).toBe(false);
    expect(absorbs(scope, rules, exit1, find((a) => a.type === 'open' && a.proc === 1))).toBe(true);
    const vm1 = scope.vms.find((v) => v.owner === 1)!;
    expect(absorbs(scope, rules, exit1, find((a) => a.type === 'enqcmd' && a.vm === vm1.id))).toBe(true);
    for (const name of ['no-drain', 'recycle-on-destroy', 'notifier-cleanup'] as const) {
      const r = presetDesign(name).rules;
      expect(absorbs(scope, r, exit1, alloc(1))).toBe(false);
      expect(absorbs(scope, r, exit1, find((a) => a.type === 'mdev_attach' && a.proc === 1))).toBe(false);
      expect(absorbs(scope, r, exit1, find((a) => a.type === 'destroy' && a.proc === 1))).toBe(true);
    }
  });

  it('has close undo destroy and alloc on its own file only, and nothing but exit, close and vm_destroy undo anything', () => {
    const close = (p: number) => find((a) => a.type === 'close' && a.proc === p && a.fd === 1);
    const destroy1 = find((a) => a.type === 'destroy' && a.proc === 1 && a.fd === 1);
    expect(absorbs(scope, rules, close(1), destroy1)).toBe(true);
    expect(absorbs(scope, rules, close(2), destroy1)).toBe(false);
    expect(absorbs(scope, rules, close(1), alloc(1))).toBe(true);
    expect(absorbs(scope, presetDesign('implicit-kvm-enqcmd').rules, close(1), alloc(1))).toBe(false);
    for (const u of actions) if (!['exit', 'close', 'vm_destroy'].includes(u.type)) expect(actions.some((v) => absorbs(scope, rules, u, v))).toBe(false);
  });
});

describe('the reduction (sleepSets)', () => {
  it('has the earlier independent calls of each call, and all of them', () => {
    const actions = scopeCandidates(PRESETS.default, rules);
    const s = sleepSets(PRESETS.default, rules, actions);
    let asleep = 0;
    for (let v = 0; v < actions.length; v++) {
      for (let u = 0; u < actions.length; u++) {
        const bit = (s.before[v * s.words + (u >>> 5)]! >>> (u & 31)) & 1;
        const any = (s.independent[v * s.words + (u >>> 5)]! >>> (u & 31)) & 1;
        expect(bit === 1).toBe(u < v && independent(PRESETS.default, rules, actions[u]!, actions[v]!));
        expect(any === 1).toBe(independent(PRESETS.default, rules, actions[u]!, actions[v]!));
        asleep += bit;
      }
    }
    expect(asleep).toBeGreaterThan(100);
  });

  // Whole explorations, with and without: cheap designs at tiny, the reference at default, notifier-cleanup (traces retraced) to depth 14, recycle-on-destroy with two-deep queues to depth 16.
  const RUNS: readonly [PresetName | 'deep', string, number][] = [
    ['tiny', 'reference', Infinity],
    ['tiny', 'no-drain', Infinity],
    ['tiny', 'implicit-kvm-enqcmd', Infinity],
    ['tiny', 'uncharge-on-destroy', Infinity],
    ['tiny', 'iommufd-busy', Infinity],
    ['tiny', 'notifier-cleanup', 14],
    ['default', 'reference', Infinity],
    ['deep', 'recycle-on-destroy', 16],
  ];
  for (const [scopeName, name, maxDepth] of RUNS) {
    it(`changes nothing the explorer reports: ${name} at ${scopeName}${maxDepth < Infinity ? ` to depth ${maxDepth}` : ''}`, () => {
      const design = presetDesign(name as never);
      const scope = SCOPES[scopeName];
      const run = (reduce: boolean) => {
        const enc = new Encoder(scope, notifies(design.rules));
        const order: string[] = [];
        const r = explore(scope, design, {
          reduce,
          maxDepth,
          onState: (s) => {
            enc.encode(s);
            order.push(enc.words.slice(0, enc.nWords).join(','));
          },
        });
        const traces = [...r.violations].map(([name, v]) => `${name}: ${v.actions.map(formatAction).join('; ')}`);
        return { states: r.states, transitions: r.transitions, calls: r.calls, depth: r.depth, traces, order, asleep: r.asleep, absorbed: r.absorbed };
      };
      const reduced = run(true);
      const full = run(false);
      expect(reduced.states).toBe(full.states);
      expect(reduced.transitions).toBe(full.transitions);
      expect(reduced.calls).toBe(full.calls);
      expect(reduced.depth).toBe(full.depth);
      expect(reduced.traces).toEqual(full.traces);
      expect(reduced.order).toEqual(full.order);
      expect(full.asleep).toBe(0);
      expect(full.absorbed).toBe(0);
      expect(reduced.asleep).toBeGreaterThan(reduced.calls / 20);
      expect(reduced.absorbed).toBeGreaterThan(0);
    }, 120_000);
  }
});

import { VARIANTS } from '../../model/variants';
// @vitest-environment node
/*
 * Solver-driven tests of the implementation (Z3 in its own file): for every
 * (action, result) pair the reference model can produce at `default`, Z3
 * finds a shortest trace, and every one replays on src/kernel/ without
 * divergence. Coverage is printed. Random walks check the other direction:
 * every pair a walk meets is one the solver found (so the pair enumeration
 * misses nothing, and what the proved invariants rule out never happens).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, PRESETS, type State, allActions, candidateActions, initialState, step } from '../../model/index';
import { type OutcomesResult, lastResult, outcomes } from '../../proofs/outcomes';
import { type Coverage, replayOutcomes } from '../../src/cli/commands/outcomes';
import { replaySteps } from '../../src/conformance/replay';
import { arbitraryAction } from '../../src/explore/arbitrary';
import { Prng } from '../../src/explore/prng';
import { resolveScope } from '../../src/scopes';
import { readTraceFile } from '../../src/trace/itf';

const scope = PRESETS.default;
const out = mkdtempSync(join(tmpdir(), 'ioasid-outcomes-'));
let r: OutcomesResult;
let c: Coverage;

beforeAll(async () => {
  r = await outcomes(scope, { timeoutMs: 60_000 });
  c = replayOutcomes({ scope: resolveScope('default'), depth: r.depth, out, timeoutMs: 60_000 }, r);
  console.log(
    `outcome coverage at default: ${c.reached}/${c.producible} producible (action, result) pairs replayed on the kernel; ` +
      `${r.unproducible.length} ruled out by the proved invariants; longest shortest trace ${Math.max(...c.pairs.map((p) => p.length))} steps; ${r.seconds.toFixed(1)}s`,
  );
}, 600_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const key = (type: string, result: string): string => `${type} ${result}`;

describe('outcomes: a shortest trace per producible (action, result), replayed on the kernel', () => {
  it('settles every pair: found, or ruled out by the proved invariants; none unknown, none cut off by the depth', () => {
    expect(r.unknown).toEqual([]);
    expect(r.unproducible.filter((u) => u.proof !== 'inductive')).toEqual([]);
    expect(r.found.length).toBeGreaterThan(50);
    // Pairs are distinct.
    expect(new Set(r.found.map((f) => key(f.type, f.result))).size).toBe(r.found.length);
  });

  it('every trace produces its pair on the model, and on the kernel with no divergence: 100% coverage', () => {
    for (const f of r.found) expect(lastResult(scope, f.actions), key(f.type, f.result)).toBe(f.result);
    expect(c.pairs.filter((p) => p.divergence !== null)).toEqual([]);
    expect(c.reached).toBe(c.producible);
  });

  it('the traces are ITF files that replay reads and accepts', () => {
    const files = readdirSync(out).filter((f) => f.endsWith('.itf.json'));
    expect(files.length).toBe(r.found.length);
    for (const f of files) {
      const t = readTraceFile(join(out, f));
      const rep = replaySteps(t.scope.scope, t.design.rules, t.steps);
      expect(rep.divergence, f).toBeNull();
      expect(t.steps.every((s) => s.expected !== undefined)).toBe(true);
    }
  });

  it('shortest: no pair is produced by a shorter trace (breadth-first over every call, up to 4 steps)', () => {
    // Every call, failed ones included, from every state within 3 steps of init.
    const all = allActions(scope);
    const cands = candidateActions(scope, VARIANTS['reference'].rules);
    const first = new Map<string, number>();
    let layer: State[] = [initialState(scope)];
    const seen = new Set<string>([JSON.stringify(layer[0])]);
    for (let len = 1; len <= 4; len++) {
      for (const s of layer) for (const a of all) {
        const k = key(a.type, step(scope, VARIANTS['reference'].rules, s, a).result);
        if (!first.has(k)) first.set(k, len);
      }
      if (len === 4) break;
      const next: State[] = [];
      for (const s of layer) for (const a of cands) {
        const t = step(scope, VARIANTS['reference'].rules, s, a).state;
        const j = JSON.stringify(t);
        if (!seen.has(j)) (seen.add(j), next.push(t));
      }
      layer = next;
    }
    for (const f of r.found) {
      const bfs = first.get(key(f.type, f.result));
      if (f.actions.length <= 4) expect(bfs, key(f.type, f.result)).toBe(f.actions.length);
      else expect(bfs, key(f.type, f.result)).toBeUndefined();
    }
  });

  it('random walks meet only pairs the solver found', () => {
    const seed = 20211124;
    console.log(`random walks: seed ${seed}`);
    const rng = new Prng(seed);
    const found = new Set(r.found.map((f) => key(f.type, f.result)));
    const cands = candidateActions(scope, VARIANTS['reference'].rules);
    const met = new Set<string>();
    for (let w = 0; w < 400; w++) {
      let s = initialState(scope);
      for (let i = 0; i < 40; i++) {
        const a: Action = rng.next() < 0.6 ? cands[rng.int(cands.length)]! : arbitraryAction(rng, scope);
        const o = step(scope, VARIANTS['reference'].rules, s, a);
        const k = key(a.type, o.result);
        met.add(k);
        expect(found.has(k), `walk ${w} step ${i}: ${k}`).toBe(true);
        s = o.state;
      }
    }
    expect(met.size).toBeGreaterThan(found.size / 2);
  });
});

import { VARIANTS } from '../../model/variants';
/*
 * `simulate`: seeded random walks. Same seed, same result; a flawed variant's
 * violation is found, shrunk to a walk no single step of which can go, and
 * written as a trace that replays to the violation; the reference holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_TYPES, INVARIANT_BY_NAME, INVARIANT_NAMES, PRESETS, initialState, step } from '../../model/index';
import { arbitraryAction } from '../../src/explore/arbitrary';
import { Prng } from '../../src/explore/prng';
import { readTraceFile } from '../../src/trace/itf';
import { runModel } from '../../src/trace/run';
import { runInProcess } from './run';

let dir = '';
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'ioasid-simulate-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SimJson {
  variant: string;
  seed: number;
  runs: number;
  steps: number;
  states?: number;
  calls: number;
  draws: number;
  seconds: number;
  invariants: Record<string, { holds: true } | { holds: false; length: number; foundLength: number; trace: string }>;
}

async function sim(...args: string[]): Promise<{ code: number | null; json: SimJson }> {
  const run = await runInProcess(['simulate', '--out', dir, '--json', '--quiet', ...args]);
  expect(run.stderr).toBe('');
  return { code: run.code, json: JSON.parse(run.stdout) as SimJson };
}

describe('simulate', () => {
  it('is reproducible from its seed', async () => {
    const a = await sim('--variant', 'no-drain', '--scope', 'tiny', '--runs', '200', '--steps', '60', '--seed', '7');
    const b = await sim('--variant', 'no-drain', '--scope', 'tiny', '--runs', '200', '--steps', '60', '--seed', '7');
    const c = await sim('--variant', 'no-drain', '--scope', 'tiny', '--runs', '200', '--steps', '60', '--seed', '8');
    const strip = (j: SimJson) => ({ ...j, seconds: 0 });
    expect(strip(a.json)).toEqual(strip(b.json));
    expect(a.json.states).not.toBe(c.json.states);
  });

  it('counts each call of a walk once: calls = runs x steps; the redraws are counted apart', async () => {
    const { json } = await sim('--variant', 'reference', '--scope', 'tiny', '--runs', '50', '--steps', '40', '--seed', '3');
    expect(json.calls).toBe(50 * 40);
    expect(json.draws).toBeGreaterThan(json.calls);
  });

  it('finds, shrinks and writes a violation of a flawed variant; exit 1', async () => {
    const { code, json } = await sim('--variant', 'no-drain', '--scope', 'tiny', '--runs', '300', '--steps', '60', '--seed', '1');
    expect(code).toBe(1);
    const v = json.invariants['recycle-at-zero']!;
    if (v.holds) throw new Error('no violation found');
    expect(v.length).toBeLessThanOrEqual(v.foundLength);
    const trace = readTraceFile(v.trace);
    expect(trace.variant).toBe('no-drain');
    const actions = trace.steps.map((s) => s.action);
    expect(actions).toHaveLength(v.length);
    const inv = INVARIANT_BY_NAME['recycle-at-zero'];
    const violatesAtEnd = (xs: typeof actions): boolean => {
      const r = runModel(PRESETS.tiny, VARIANTS['no-drain'].rules, xs);
      return r.steps.length > 0 && r.steps[r.steps.length - 1]!.violated.includes(inv.name);
    };
    expect(violatesAtEnd(actions)).toBe(true);
    // 1-minimal: without any one of its steps the walk no longer ends in a violation
    for (let i = 0; i < actions.length; i++) expect(violatesAtEnd([...actions.slice(0, i), ...actions.slice(i + 1)]), `without step ${i + 1}`).toBe(false);
  });

  it('holds everything for the reference design, at a scope too large to exhaust quickly; exit 0', async () => {
    const { code, json } = await sim('--variant', 'reference', '--scope', 'large', '--runs', '100', '--steps', '80', '--seed', '3');
    expect(code).toBe(0);
    expect(Object.keys(json.invariants)).toEqual([...INVARIANT_NAMES]);
    expect(Object.values(json.invariants).every((v) => v.holds)).toBe(true);
    expect(json).toMatchObject({ variant: 'reference', seed: 3, runs: 100, steps: 80 });
    expect(json.states).toBeGreaterThan(100);
  });

  it('--invariant checks only the invariants named', async () => {
    const { code, json } = await sim('--variant', 'uncharge-on-destroy', '--scope', 'tiny', '--runs', '200', '--steps', '40', '--seed', '5', '--invariant', 'quota', '--invariant', 'no-leak');
    expect(Object.keys(json.invariants)).toEqual(['quota', 'no-leak']);
    expect(json.invariants.quota!.holds).toBe(false);
    expect(code).toBe(1);
  });

  it('prints the seed it chose when none is given, and how to reproduce the run', async () => {
    const run = await runInProcess(['simulate', '--scope', 'tiny', '--runs', '5', '--steps', '5', '--out', dir]);
    expect(run.code).toBe(0);
    const seed = /seed (\d+)/.exec(run.stdout)?.[1];
    expect(seed).toBeDefined();
    expect(run.stdout).toContain(`reproduce: ioasid-verify simulate --variant reference --scope tiny --runs 5 --steps 5 --seed ${seed}`);
  });

  it('draws arbitrary calls of every kind, in range and out of it on both sides', () => {
    const scope = PRESETS.default;
    const rng = new Prng(9);
    const calls = Array.from({ length: 3000 }, () => arbitraryAction(rng, scope));
    expect(new Set(calls.map((a) => a.type))).toEqual(new Set(ACTION_TYPES));
    const procs = calls.flatMap((a) => ('proc' in a ? [a.proc] : []));
    expect(procs.some((p) => p < 1)).toBe(true);
    expect(procs.some((p) => p > scope.procs)).toBe(true);
    expect(procs.some((p) => p >= 1 && p <= scope.procs)).toBe(true);
    expect(procs.some((p) => Math.abs(p) >= 2 ** 31 - 1)).toBe(true);
    // and the model refuses them without throwing
    let s = initialState(scope);
    for (const a of calls) s = step(scope, VARIANTS['reference'].rules, s, a).state;
    expect(s).toBeDefined();
  });
});

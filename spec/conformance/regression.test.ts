/**
 * Regression traces: every shortest counterexample the explorer found for a
 * flawed variant at `default` (spec/fixtures/regression/, written by
 * `ioasid-verify explore --variant V --out DIR`), and the ones Z3 found
 * (spec/fixtures/bmc/, written by `ioasid-verify bmc --variant V --invariant I
 * --depth L [--lemmas]`), which must be exactly as long. On the model of its variant
 * each reproduces its violation at the last step and not before; on the kernel no invariant breaks at any step, and the kernel
 * and the reference model agree along the whole attack.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VARIANTS, VARIANT_NAMES, isInvariantName } from '../../model/index';
import { replaySteps } from '../../src/conformance/replay';
import { parseTrace } from '../../src/trace/itf';

const DIR = join(import.meta.dirname, '../fixtures');
const traces = (dir: string): string[] =>
  readdirSync(join(DIR, dir))
    .filter((f) => f.endsWith('.itf.json'))
    .sort()
    .map((f) => `${dir}/${f}`);
const EXPLORED = traces('regression');
const SOLVED = traces('bmc');
const FILES = [...EXPLORED, ...SOLVED];

function load(file: string) {
  const text = readFileSync(join(DIR, file), 'utf8');
  const meta = (JSON.parse(text) as { '#meta': { invariant?: unknown } })['#meta'];
  const invariant = String(meta.invariant);
  if (!isInvariantName(invariant)) throw new Error(`${file}: #meta.invariant '${invariant}' is not an invariant`);
  return { trace: parseTrace(text, file), invariant };
}

describe('the regression traces cover every expected violation', () => {
  it.each(VARIANT_NAMES.filter((v) => v !== 'reference'))('%s', (variant) => {
    const have = EXPLORED.filter((f) => f.startsWith(`regression/${variant}--`)).map((f) => load(f).invariant).sort();
    expect(have).toEqual([...VARIANTS[variant].expectedToFail].sort());
  });
});

describe("Z3's traces cover every expected violation too", () => {
  it('one per (flawed variant, expected invariant)', () => {
    const want = VARIANT_NAMES.flatMap((v) => VARIANTS[v].expectedToFail.map((i) => `bmc/${v}--${i}.itf.json`)).sort();
    expect(SOLVED).toEqual(want);
  });
});

describe("Z3's traces are as short as the explorer's", () => {
  it.each(SOLVED)('%s', (file) => {
    const explored = file.replace(/^bmc\//, 'regression/');
    expect(EXPLORED).toContain(explored);
    const { trace, invariant } = load(file);
    expect(trace.scope.name).toBe('default');
    expect(invariant).toBe(load(explored).invariant);
    expect(trace.steps.length).toBe(load(explored).trace.steps.length);
  });
});

// Computed inside the tests, not while collecting them: mutation testing attributes coverage per test.
describe.each(FILES)('%s', (file) => {
  const run = () => {
    const { trace, invariant } = load(file);
    return { trace, invariant, model: replaySteps(trace.scope.scope, trace.design.rules, trace.steps) };
  };

  it('reproduces its invariant under its variant at the last step, and not before', () => {
    const { trace, invariant, model } = run();
    const last = model.steps.length;
    expect(trace.variant).not.toBe('reference');
    expect(model.steps[last - 1]!.violated).toContain(invariant);
    for (const s of model.steps.slice(0, -1)) expect(s.violated, `step ${s.index}`).not.toContain(invariant);
    // the model still gives the results the explorer wrote
    for (const s of model.steps) expect(s.model, `step ${s.index}`).toBe(s.expected);
  });

  it('breaks no invariant on the kernel at any step', () => {
    const { model } = run();
    for (const s of model.steps) {
      expect(s.kernelViolated, `step ${s.index}: ${s.action.type}`).toEqual([]);
      expect(s.divergences.filter((d) => d.kind === 'crash' || d.kind === 'bookkeeping'), `step ${s.index}`).toEqual([]);
    }
  });

  it('runs identically on the kernel and the reference model', () => {
    const { trace } = run();
    const ref = replaySteps(trace.scope.scope, VARIANTS['reference'].rules, trace.steps);
    const apart = ref.steps.flatMap((s) => s.divergences).filter((d) => d.kind !== 'expected');
    expect(apart).toEqual([]);
    expect(ref.steps.flatMap((s) => s.violated)).toEqual([]);
  });
});

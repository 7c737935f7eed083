import { VARIANTS, presetDesign } from '../../model/variants';
/**
 * Attacks run to the end (src/explore/witness.ts, src/explore/attack.ts): every
 * shortest counterexample of a flawed preset at `default` (the regression
 * traces, which the explorer wrote) gets witness steps after its unchanged
 * prefix, and the last witness call shows the breach: for
 * no-cross-tenant-dma a result `ok:<another process>`, for
 * destroyed-blocks-dma a DMA that reaches the destroyed IOASID.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type InvariantName, initialState, isInvariantName, step } from '../../model/index';
import { explore } from '../../src/explore/explorer';
import { offender } from '../../src/explore/offender';
import { verdictOf } from '../../src/explore/verdicts';
import { counterexampleTrace } from '../../src/check/designs';
import { findWitness } from '../../src/explore/witness';
import { resolveScope } from '../../src/scopes';
import { attackTrace } from '../../src/explore/attack';
import { parseTrace, readTraceFile } from '../../src/trace/itf';
import { runModel } from '../../src/trace/run';

const DIR = join(import.meta.dirname, '../fixtures/regression');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.itf.json')).sort();

function load(file: string) {
  const text = readFileSync(join(DIR, file), 'utf8');
  const invariant = String((JSON.parse(text) as { '#meta': { invariant: unknown } })['#meta'].invariant);
  if (!isInvariantName(invariant)) throw new Error(`${file}: bad invariant`);
  return { trace: parseTrace(text, file), invariant };
}

/** Runs a written attack document back through the model: the actions, and the state before each. */
function rerun(doc: object) {
  const t = parseTrace(JSON.stringify(doc), 'attack');
  const run = runModel(t.scope.scope, t.design.rules, t.steps.map((s) => s.action));
  const befores = [run.init, ...run.steps.map((s) => s.state)];
  return { t, run, befores, meta: (doc as { '#meta': Record<string, unknown> })['#meta'], states: (doc as { states: { '#meta': { witness?: boolean } }[] }).states };
}

/** Checks the last call of an attack shows the breach of `inv`, from the model's own results. */
function lastCallShows(doc: object, inv: InvariantName): void {
  const { t, run, befores } = rerun(doc);
  const n = run.steps.length;
  const last = run.steps[n - 1]!;
  const before = befores[n - 1]!;
  const a = last.action;
  expect(['dma', 'swq_exec']).toContain(a.type);
  const landed = /^ok:(\d+)$/.exec(last.result);
  expect(landed, `last result ${last.result}`).not.toBeNull();
  const target = Number(landed![1]);
  let entry;
  if (a.type === 'swq_exec') {
    const head = before.queues[a.dev - 1]![0]!;
    entry = before.tables[a.dev - 1]!.find((e) => e.pasid === head.pasid)!;
    if (inv === 'no-cross-tenant-dma') expect(target).not.toBe(head.issuer);
  } else if (a.type === 'dma') {
    const dev = t.scope.scope.devices[a.dev - 1]!;
    entry = before.tables[a.dev - 1]!.find((e) => e.pasid === a.pasid)!;
    if (inv === 'no-cross-tenant-dma') expect(dev.kind === 'pdev' && target !== dev.owner).toBe(true);
  }
  if (inv === 'destroyed-blocks-dma') expect(before.ioasids[entry!.ioasid - 1]!.handle).toBe(0);
}

describe.each(FILES)('%s', (file) => {
  it('keeps its prefix, adds witness steps marked in #meta, and names the offender', () => {
    const { trace, invariant } = load(file);
    const prefix = trace.steps.map((s) => s.action);
    const attack = attackTrace(trace.scope, trace.design, invariant, prefix, 'exhaustive BFS');
    const { t, meta, states } = rerun(attack.doc);
    expect(t.steps.slice(0, prefix.length).map((s) => s.action)).toEqual(prefix);
    expect(meta.length).toBe(prefix.length);
    expect(attack.offender).not.toBe(`${invariant} is violated`);
    const last = runModel(trace.scope.scope, trace.design.rules, prefix).steps.at(-1)!.state;
    expect(offender(trace.scope.scope, last, invariant)).toBe(attack.offender);
    if (['no-cross-tenant-dma', 'destroyed-blocks-dma', 'explicit-vm-authorization', 'explicit-mdev-authorization'].includes(invariant)) {
      expect(attack.witness).not.toBeNull();
      expect(meta.witness).toMatchObject({ from: prefix.length, steps: attack.witness!.actions.length });
      expect(t.witnessFrom).toBe(prefix.length);
      expect(states.map((s) => s['#meta'].witness === true)).toEqual(states.map((_, i) => i > prefix.length));
    } else {
      expect(attack.witness).toBeNull();
      expect(meta.witness).toBeUndefined();
    }
  });

  it('ends, for a DMA-path invariant, in a call that shows the breach', () => {
    const { trace, invariant } = load(file);
    if (invariant !== 'no-cross-tenant-dma' && invariant !== 'destroyed-blocks-dma') return;
    const attack = attackTrace(trace.scope, trace.design, invariant, trace.steps.map((s) => s.action), 'exhaustive BFS');
    lastCallShows(attack.doc, invariant);
  });
});

describe('the witness search', () => {
  it('finds nothing in the reference design: no call of 6 steps from the start shows a cross-tenant DMA', () => {
    const scope = resolveScope('default').scope;
    expect(findWitness(scope, VARIANTS['reference'].rules, initialState(scope), 'no-cross-tenant-dma', { maxDepth: 6 })).toBeNull();
    expect(findWitness(scope, VARIANTS['reference'].rules, initialState(scope), 'destroyed-blocks-dma', { maxDepth: 6 })).toBeNull();
  });

  it('tries dma, which the explorer never follows: no-dma-block is shown by one DMA', () => {
    const { trace } = load('no-dma-block--destroyed-blocks-dma.itf.json');
    const scope = trace.scope.scope;
    const last = runModel(scope, VARIANTS['no-dma-block'].rules, trace.steps.map((s) => s.action)).steps.at(-1)!.state;
    const w = findWitness(scope, VARIANTS['no-dma-block'].rules, last, 'destroyed-blocks-dma')!;
    expect(w.actions.map((a) => a.type)).toEqual(['dma']);
    expect(step(scope, VARIANTS['no-dma-block'].rules, last, w.actions[0]!).result).toBe('ok:1');
  });

  it('the explorer returns the attack trace end to end (no-dma-block at default)', () => {
    const out = mkdtempSync(join(tmpdir(), 'witness-'));
    const scope = resolveScope('default');
    const { verdict: v, traces } = verdictOf(explore(scope.scope, presetDesign('no-dma-block')), scope, out);
    const x = v.invariants['destroyed-blocks-dma'];
    expect(x.holds).toBe(false);
    if (x.holds) return;
    expect(x.length).toBe(4);
    expect(x.witness?.steps).toBe(1);
    const found = traces.find((t) => t.invariant === 'destroyed-blocks-dma')!;
    expect(found.path).toBe(x.trace);
    const written = counterexampleTrace(found);
    expect(written.steps.length).toBe(5);
    expect(written.witnessFrom).toBe(4);
    lastCallShows(found.doc, 'destroyed-blocks-dma');
  }, 60_000);
});

/**
 * The counterexample page, without a browser: what src/view/ computes and
 * writes into the page for every flawed preset's shortest counterexample at
 * `default` (run to the end, replayed on the kernel), an SVA one, a trace
 * where nothing breaks, and a 40-step walk for the size bound. The browser
 * tests (spec/view/browser.test.ts) open the same pages in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { INVARIANT_BY_NAME, PRESETS, candidateActions, initialState, presetDesign, step, type AnyAction } from '../../model/index';
import { offender } from '../../src/explore/offender';
import { explore } from '../../src/explore/explorer';
import { Prng } from '../../src/explore/prng';
import { WITNESSED } from '../../src/explore/witness';
import { resolveScope } from '../../src/scopes';
import { attackTrace } from '../../src/explore/attack';
import { parseTrace } from '../../src/trace/itf';
import { runModel } from '../../src/trace/run';
import { viewInputOf } from '../../src/view/fromTrace';
import { renderTracePage } from '../../src/view/page';
import { type PageData, pageData } from '../../src/view/pageData';
import { counterexamples, viewInput } from './traces';

const embedded = (html: string): { steps: PageData['steps'] } => {
  const m = /<script type="application\/json" id="view-data">([^<]*)<\/script>/.exec(html);
  expect(m, 'the page embeds its data').not.toBeNull();
  return JSON.parse(m![1]!) as { steps: PageData['steps'] };
};

/** Anything that would make the page load something: it must open offline, from a file, as it is. */
const FETCHES = /\b(src|href)\s*=\s*["']?(https?:|\/\/)|@import|url\(\s*["']?(https?:|\/\/)|<link\b|<iframe\b|<img\b/i;

describe.each(counterexamples())('$name', ({ trace }) => {
  const d = pageData(viewInput(trace));
  const prefix = trace.witnessFrom ?? trace.steps.length;

  it('shows the violation at the last prefix step, with its invariant, seed sentence and offender', () => {
    expect(d.violationStep).toBe(prefix);
    expect(d.violation?.inv).toBe(trace.invariant);
    const inv = INVARIANT_BY_NAME[trace.invariant!];
    expect(d.violation?.seed).toBe(inv.seed);
    expect(d.violation?.statement).toBe(inv.statement);
    const last = runModel(trace.scope.scope, trace.design.rules, trace.steps.slice(0, prefix).map((s) => s.action)).steps.at(-1)!.state;
    expect(d.violation?.text).toBe(offender(trace.scope.scope, last, trace.invariant!));
    expect(d.steps[prefix]!.broke).toContain(trace.invariant);
    expect(d.steps.slice(0, prefix).every((s) => !s.violations.some((v) => v.inv === trace.invariant))).toBe(true);
  });

  it('names objects that are rows of the state panel at that step', () => {
    const refs = d.violation!.refs;
    expect(refs.length).toBeGreaterThan(0);
    const keys = new Set(d.steps[prefix]!.tables.flatMap((t) => t.rows.map((r) => r.k)));
    for (const r of refs) expect(keys, `row ${r}`).toContain(r);
  });

  it('marks the witness steps and ends the DMA-path attacks in the breach, along the highlighted path', () => {
    expect(d.steps.filter((s) => s.witness).map((s) => s.i)).toEqual(trace.steps.map((_, i) => i + 1).filter((i) => i > prefix));
    if (WITNESSED.includes(trace.invariant!)) {
      const end = d.steps.at(-1)!;
      expect(end.breach).toBe(true);
      expect(end.result).toMatch(/^ok:\d+$/);
      expect(d.breach).toBe(trace.breach);
      expect(end.breachRefs.length).toBeGreaterThan(0);
    } else {
      expect(d.steps.some((s) => s.breach)).toBe(false);
    }
  });

  it('puts the kernel beside the model and finds where it defeats the attack', () => {
    expect(d.steps.slice(1).every((s) => s.kernel !== undefined)).toBe(true);
    expect(d.kernel?.defeatsAt).not.toBeNull();
    expect(d.steps[d.kernel!.defeatsAt!]!.kernelKeeps.length).toBeGreaterThan(0);
  });

  it('marks what each step changed against the step before', () => {
    for (const s of d.steps.slice(1)) {
      const marked = s.tables.some((t) => t.rows.some((r) => r.m !== undefined));
      // a step that changes the state changes some row, and one that does not changes none
      expect(marked, `step ${s.i} ${s.call}`).toBe(s.changes.length > 0);
    }
  });

  it('is one self-contained page that loads nothing', () => {
    const html = renderTracePage(viewInput(trace));
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(FETCHES);
    expect(embedded(html).steps).toHaveLength(trace.steps.length + 1);
    expect(html.length).toBeLessThan(500_000);
  });
});

describe('the page of other traces', () => {
  it('escapes what the trace says about itself', () => {
    const t = parseTrace(JSON.stringify({ '#meta': { description: '</script><img src=x onerror=alert(1)>' }, states: [{ 'mbt::actionTaken': 'init' }] }), 't');
    const html = renderTracePage(viewInputOf(t));
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;/script&gt;&lt;img');
    expect(embedded(html).steps).toHaveLength(1);
  });

  it('says so when every invariant holds', () => {
    const t = parseTrace(JSON.stringify({ states: [{ 'mbt::actionTaken': 'init' }, { 'mbt::actionTaken': 'open', 'mbt::nondetPicks': { proc: 1 } }] }), 't');
    const d = pageData(viewInputOf(t));
    expect(d.violation).toBeNull();
    expect(d.start).toBe(0);
    expect(renderTracePage(viewInputOf(t))).toContain('Every invariant holds at every step');
  });

  it('stays under 500 KB for a 40-step trace', () => {
    const scope = PRESETS.default;
    const design = presetDesign('notifier-cleanup');
    const rng = new Prng(20210331);
    const cands = candidateActions(scope, design.rules);
    const actions: AnyAction[] = [];
    let s = initialState(scope);
    while (actions.length < 40) {
      const moving = cands.filter((a) => step(scope, design.rules, s, a).state !== s);
      const pool = moving.length > 0 ? moving : cands;
      const a = pool[rng.int(pool.length)]!;
      s = step(scope, design.rules, s, a).state;
      actions.push(a);
    }
    const doc = { '#meta': { variant: design.name, scope: 'default' }, states: [{ 'mbt::actionTaken': 'init' }, ...actions.map((a) => ({ 'mbt::actionTaken': a.type, 'mbt::nondetPicks': { ...a, type: undefined } }))] };
    const t = parseTrace(JSON.stringify(doc), 'walk');
    const html = renderTracePage(viewInput(t));
    console.log(`a 40-step page (notifier-cleanup at default, seeded walk 20210331, replayed): ${html.length} bytes`);
    expect(embedded(html).steps).toHaveLength(41);
    expect(html.length).toBeLessThan(500_000);
  });

  it('shows the SVA state: mm PASIDs and SVA entries (sva-free-at-mmput at scope sva)', () => {
    const scope = resolveScope('sva');
    const design = presetDesign('sva-free-at-mmput');
    const r = explore(scope.scope, design);
    const v = r.violations.get('no-cross-tenant-dma')!;
    const t = parseTrace(JSON.stringify(attackTrace(scope, design, 'no-cross-tenant-dma', v.actions, 'exhaustive BFS').doc), 'sva');
    const d = pageData(viewInputOf(t));
    expect(d.violationStep).toBe(v.actions.length);
    // offender.ts names the SVA path, and the rows it names are in the panel
    expect(d.violation!.text).toMatch(/^the descriptor queued by process 1 with PASID \d on swq \d now reaches process 2's address space \(its SVA binding of PASID \d\)$/);
    const keys = new Set(d.steps[d.violationStep!]!.tables.flatMap((x) => x.rows.map((row) => row.k)));
    expect(d.violation!.refs.filter((k) => !keys.has(k))).toEqual([]);
    expect(d.violation!.refs.some((k) => k.startsWith('sva:'))).toBe(true);
    const procs = d.steps[1]!.tables.find((x) => x.id === 'procs')!;
    expect(procs.head).toContain('mm PASID');
    expect(d.steps.some((s) => s.tables.some((x) => x.rows.some((row) => row.k.startsWith('sva:'))))).toBe(true);
    expect(d.steps.at(-1)!.result).toMatch(/^ok:\d$/);
  });
});

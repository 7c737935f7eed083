/**
 * The README's design-space table (scripts/matrix-readme.ts renders it from
 * the saved run docs/matrix-default.json, an hour of exploring) holds to the
 * run, and the run holds to the model without being re-run in full: its
 * preset rows have the presets' expected verdicts with the regression traces'
 * lengths, its interactions are what src/explore/matrix.ts computes from its
 * rows, its rows are the plan's, and a sample of its designs explored again
 * here gives the same states and lengths.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVARIANT_NAMES, PRESETS, type RuleName, VARIANTS, rulesLabel } from '../../model/index';
import { explore } from '../../src/explore/explorer';
import { interactionJson, interactions, planMatrix, rowVerdicts } from '../../src/explore/matrix';
import { MATRIX_BLOCK, type MatrixJson, renderMatrix } from '../../scripts/matrix-readme';
import { ROOT } from './run';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const block = MATRIX_BLOCK.exec(README);
const run = JSON.parse(readFileSync(join(ROOT, 'docs/matrix-default.json'), 'utf8')) as MatrixJson;
const REGRESSION = join(ROOT, 'spec/fixtures/regression');
const lengths = new Map(
  readdirSync(REGRESSION).map((f) => [f.replace('.itf.json', ''), (JSON.parse(readFileSync(join(REGRESSION, f), 'utf8')) as { states: unknown[] }).states.length - 1]),
);

describe('the design-space table of the README', () => {
  it('is the rendering of docs/matrix-default.json', () => {
    expect(block?.[1]).toBe('docs/matrix-default.json');
    expect(block![2]).toBe(renderMatrix(run));
  });

  it("covers the plan at default over every rule but svaPasidFree: 192 rows in the plan's order, 104 explored", () => {
    expect(run.scope).toBe('default');
    const plan = planMatrix(run.rules as RuleName[], PRESETS.default);
    expect(run.rules).not.toContain('svaPasidFree');
    expect(run.rows.map((r) => rulesLabel(r.rules))).toEqual(plan.rows.map((r) => rulesLabel(r.rules)));
    expect(run.designs).toBe(192);
    expect(run.explored).toBe(104);
  });

  it('gives every preset row the preset\'s expected verdicts with the explorer\'s shortest lengths (the regression traces)', () => {
    const presets = run.rows.filter((r) => r.preset !== undefined);
    expect(presets.map((r) => r.preset).sort()).toEqual(Object.keys(VARIANTS).filter((v) => VARIANTS[v as keyof typeof VARIANTS].rules.svaPasidFree === 'mmdrop').sort());
    for (const r of presets) {
      const v = VARIANTS[r.preset as keyof typeof VARIANTS];
      for (const inv of INVARIANT_NAMES) {
        const want = v.expectedToFail.includes(inv) ? { holds: false, length: lengths.get(`${r.preset}--${inv}`) } : { holds: true };
        expect(r.invariants[inv], `${r.preset} ${inv}`).toEqual(want);
      }
    }
  });

  it('lists the interactions that its rows imply', () => {
    const want = interactions(run.rows.map((r) => rowVerdicts(r.rules, r.invariants)), INVARIANT_NAMES).map(interactionJson);
    expect(run.interactions).toEqual(want);
  });

  // Three explored rows of fewer than 200,000 states, spread over the table: a few seconds each.
  const sample = run.rows.filter((r) => r.sameAs === undefined && r.states < 200_000).filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 3)) === 0).slice(0, 3);
  it.each(sample.map((r) => ({ design: r.design, row: r })))('$design explored again gives its row (states, every invariant and length)', ({ row }) => {
    const r = explore(PRESETS.default, { name: row.design, rules: row.rules });
    expect(r.states).toBe(row.states);
    for (const inv of INVARIANT_NAMES) {
      const v = r.violations.get(inv);
      expect(v ? { holds: false, length: v.actions.length } : { holds: true }, inv).toEqual(row.invariants[inv]);
    }
  });
});

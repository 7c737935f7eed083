/**
 * The README's sample outputs (written by scripts/readme-samples.ts from real
 * runs) hold to the model without re-running them: the `check` sample's rows
 * give every design's expected verdicts with the lengths of the regression
 * traces (the explorer's shortest at `default`), and its count of checks is
 * the JUnit case list (designs x invariants, proof claims, one conformance
 * case per design, the walks). Timings and state counts are not compared.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVARIANTS, VARIANTS, VARIANT_NAMES } from '../../model/index';
import { SAMPLE } from '../../scripts/readme-samples';
import { ROOT } from './run';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const samples = new Map([...README.matchAll(SAMPLE)].map((m) => [m[1]!, m[2]!]));
const REGRESSION = join(ROOT, 'spec/fixtures/regression');
const lengths = new Map(
  readdirSync(REGRESSION).map((f) => {
    const t = JSON.parse(readFileSync(join(REGRESSION, f), 'utf8')) as { states: unknown[] };
    return [f.replace('.itf.json', ''), t.states.length - 1];
  }),
);

describe('README samples', () => {
  it('has the check sample', () => {
    expect(samples.get('check')?.trim()).toBeTruthy();
  });

  it("check: one row per design with the expected verdicts and the explorer's shortest lengths", () => {
    const lines = samples.get('check')!.split('\n');
    for (const v of VARIANT_NAMES) {
      const row = lines.find((l) => l.startsWith(`${v} `));
      expect(row, v).toBeDefined();
      const cells = row!.trim().split(/\s+/).slice(3, 3 + INVARIANTS.length);
      const want = INVARIANTS.map((inv) => (VARIANTS[v].expectedToFail.includes(inv.name) ? String(lengths.get(`${v}--${inv.name}`)) : 'ok'));
      expect(cells, v).toEqual(want);
      expect(row!.trim().endsWith('as expected'), v).toBe(true);
    }
  });

  it('check: the count of checks is the JUnit case list', () => {
    const text = samples.get('check')!;
    const head = /^check at scope default: (\d+) checks, (\d+) passed, 0 failed$/m.exec(text);
    expect(head).not.toBeNull();
    const proofs = Number(/^proofs: (\d+)\/\1 claims proved inductive/m.exec(text)![1]);
    // one seeded-walk case per kernel configuration among the designs (reference, iommufd-busy)
    const walks = (text.match(/^conformance: ok: kernel conforms to the /gm) ?? []).length;
    expect(walks).toBe(2);
    expect(Number(head![1])).toBe(VARIANT_NAMES.length * INVARIANTS.length + proofs + VARIANT_NAMES.length + walks);
    expect(head![2]).toBe(head![1]);
  });
});

/**
 * The conformance stage of `check`: explorer traces run on the kernel, and
 * seeded lockstep walks. Each case can fail: planted kernel bugs make it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVARIANT_NAMES, type InvariantName, PRESETS, type Variant, presetDesign } from '../../model/index';
import { conformanceCases, walkCase } from '../../src/conformance/stage';
import type { VariantVerdict, VerdictWithTraces } from '../../src/explore/verdicts';
import { IoasidKernel } from '../../src/kernel/index';
import { resolveScope } from '../../src/scopes';

const REGRESSION = join(import.meta.dirname, '../fixtures/regression');

/** A verdict failing the invariants of `failing`, each with its regression trace as the counterexample found. */
function verdict(variant: Variant, failing: Partial<Record<InvariantName, string>>): VerdictWithTraces {
  const trace = (n: InvariantName): string => join(REGRESSION, failing[n]!);
  const invariants = Object.fromEntries(
    INVARIANT_NAMES.map((n) => [n, n in failing ? { holds: false, length: 1, trace: trace(n) } : { holds: true }]),
  ) as VariantVerdict['invariants'];
  const traces = INVARIANT_NAMES.filter((n) => n in failing).map((n) => ({ invariant: n, path: trace(n), doc: JSON.parse(readFileSync(trace(n), 'utf8')) as object }));
  return { verdict: { variant, design: presetDesign(variant), invariants, surprises: [] }, traces };
}

describe('conformance stage', () => {
  it('runs one case per design (every trace of it replayed), and the walks; all pass on the kernel', () => {
    const explored = [
      verdict('reference', {}),
      verdict('no-drain', { 'recycle-at-zero': 'no-drain--recycle-at-zero.itf.json', 'no-cross-tenant-dma': 'no-drain--no-cross-tenant-dma.itf.json' }),
    ];
    const cases = conformanceCases(explored, resolveScope('default'));
    expect(cases.map((c) => [c.name, c.status])).toEqual([
      ['kernel defeats every counterexample of reference', 'pass'],
      ['kernel defeats every counterexample of no-drain', 'pass'],
      ['kernel conforms to the reference model: 200 seeded walks of 60 calls (seed 20210331)', 'pass'],
    ]);
    expect(cases.every((c) => c.suite === 'conformance' && c.seconds >= 0)).toBe(true);
    expect(cases[0]!.message).toBe('no counterexample to replay');
    expect(cases[1]!.message).toBe('no-drain (recycle-at-zero trace); no-drain (no-cross-tenant-dma trace)');
  });

  it('the walks fail on a kernel that diverges, saying where', () => {
    class OffByOne extends IoasidKernel {
      override alloc(proc: unknown, fd: unknown): number {
        const r = super.alloc(proc, fd);
        return r === 1 && proc === 2 ? 2 : r;
      }
    }
    const c = walkCase(PRESETS.default, 50, 60, 1, (s) => new OffByOne(s));
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/^walk \d+, step \d+ \(alloc\(proc=2, fd=1\)\): results differ: model 1, kernel 2$/);
  });

  it('the walks run at other scopes too', () => {
    expect(walkCase(PRESETS.tiny, 20, 30, 5)).toMatchObject({ status: 'pass' });
  });
});

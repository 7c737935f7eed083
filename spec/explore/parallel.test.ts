/**
 * The parallel runner (src/explore/parallel.ts): designs explored in forked
 * processes (src/explore/exploreChild.ts) come back exactly as an exploration
 * in this process gives them, in the order given, with the same trace files;
 * a child's failure comes back as one E_CHILD error naming its cause.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESET_DESIGNS } from '../../model/index';
import { explore } from '../../src/explore/explorer';
import { exploreInParallel } from '../../src/explore/parallel';
import { verdictOf } from '../../src/explore/verdicts';
import { resolveScope } from '../../src/scopes';

// The reference (holds everything) and two flawed presets (violations, so trace files).
const designs = PRESET_DESIGNS.filter((d) => ['no-drain', 'reference', 'recycle-on-destroy'].includes(d.name));

describe('exploreInParallel', () => {
  it('gives the results and traces of an exploration in this process, in the order given', async () => {
    expect(designs.map((d) => d.name)).toEqual(['reference', 'no-drain', 'recycle-on-destroy']);
    const there = mkdtempSync(join(tmpdir(), 'par-'));
    const here = mkdtempSync(join(tmpdir(), 'seq-'));
    const done: string[] = [];
    const got = await exploreInParallel('tiny', designs, there, 2, (r, n) => done.push(`${n}:${r.verdict.variant}`));
    const scope = resolveScope('tiny');
    const want = designs.map((d) => {
      const r = explore(scope.scope, d);
      const { verdict, traces } = verdictOf(r, scope, here);
      return { verdict, states: r.states, transitions: r.transitions, depth: r.depth, traces };
    });
    // The children write nothing (only the CLI writes files): they hand their traces back as data.
    expect(got.map(({ seconds: _, ...rest }) => JSON.parse(JSON.stringify(rest).replaceAll(there, here)))).toEqual(JSON.parse(JSON.stringify(want)));
    expect(got.every((r) => r.seconds > 0)).toBe(true);
    expect(done.map((d) => d.split(':')[0])).toEqual(['1', '2', '3']);
    expect(got.flatMap((r) => r.traces ?? []).length).toBeGreaterThan(0);
    expect(readdirSync(there)).toEqual([]);
  }, 120_000);

  it("a child's failure is one E_CHILD error with the child's code and message", async () => {
    const err = await exploreInParallel('no-such-scope.json', designs.slice(0, 2), mkdtempSync(join(tmpdir(), 'par-')), 2).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_CHILD' });
    expect((err as Error).message).toMatch(/^explore (reference|no-drain): E_FILE: .*no-such-scope\.json/);
  }, 60_000);
});

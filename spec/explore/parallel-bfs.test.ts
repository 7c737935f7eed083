/**
 * The parallel BFS (src/explore/parallelBfs.ts) on 1, 2 and 4 worker threads
 * gives exactly what the sequential explorer gives: states, transitions,
 * calls, depth, and per invariant (and lemma) the same shortest length and the
 * same trace, action by action. Designs: the reference (tiny and default), one
 * that recycles at destroy (dead IOASIDs merged in the encoding) and
 * notifier-cleanup (paths retraced through real states, notifications.ts).
 */
import { describe, expect, it } from 'vitest';
import { LEMMAS, PRESETS, type PresetName, type Variant, presetDesign } from '../../model/index';
import { type ExploreResult, explore } from '../../src/explore/explorer';
import { exploreParallel } from '../../src/explore/parallelBfs';

/** Everything a run says but its time and memory. */
function summary(r: ExploreResult): object {
  return {
    states: r.states,
    transitions: r.transitions,
    calls: r.calls,
    depth: r.depth,
    violations: [...r.violations].map(([name, v]) => ({ name, length: v.actions.length, actions: v.actions })),
    lemmas: r.lemmaViolations ? [...r.lemmaViolations].map(([name, actions]) => ({ name, actions })).sort((a, b) => a.name.localeCompare(b.name)) : undefined,
  };
}

const cases: [PresetName, Variant, boolean][] = [
  ['tiny', 'reference', true],
  ['default', 'reference', false],
  ['tiny', 'recycle-on-destroy', false],
  ['tiny', 'notifier-cleanup', false],
];

describe('parallel BFS', () => {
  it.each(cases)('gives the sequential result on 1, 2 and 4 workers (%s, %s, lemmas %s)', async (scopeName, variant, lemmas) => {
    const scope = PRESETS[scopeName];
    const design = presetDesign(variant);
    const want = summary(explore(scope, design, lemmas ? { lemmas: LEMMAS } : {}));
    for (const workers of [1, 2, 4]) {
      const got = await exploreParallel(scope, design, { workers, lemmas });
      expect(summary(got), `${workers} workers`).toEqual(want);
    }
    if (variant !== 'reference') expect((want as { violations: unknown[] }).violations.length).toBeGreaterThan(0);
  }, 600_000);

  it('keeps the regression numbers of the reference at default', async () => {
    const r = await exploreParallel(PRESETS.default, presetDesign('reference'), { workers: 2 });
    expect([r.states, r.transitions, r.depth, r.violations.size]).toEqual([79_885, 911_012, 29, 0]);
  }, 600_000);

  it('gives the same when every level overflows its buffers and is undone and rerun', async () => {
    const design = presetDesign('no-drain');
    const want = summary(explore(PRESETS.tiny, design));
    expect(summary(await exploreParallel(PRESETS.tiny, design, { workers: 2, tight: true }))).toEqual(want);
  });

  it('stops at maxDepth like the sequential explorer', async () => {
    const design = presetDesign('no-drain');
    const want = summary(explore(PRESETS.tiny, design, { maxDepth: 7 }));
    expect(summary(await exploreParallel(PRESETS.tiny, design, { workers: 2, maxDepth: 7 }))).toEqual(want);
  });
});

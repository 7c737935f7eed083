/**
 * The explorer checks the concrete twins of the Z3 proofs' auxiliary
 * invariants (model/lemmas.ts) in every reachable state when asked: the
 * designs Z3 proves (reference, iommufd-busy) keep every one of them; a
 * flawed design breaks the lemmas that encode the mechanism it lacks.
 */
import { describe, expect, it } from 'vitest';
import { LEMMAS, PRESETS, initialState, lemmasAt, presetDesign, step } from '../../model/index';
import { explore } from '../../src/explore/explorer';
import { runInProcess } from '../cli/run';

describe('explore with lemmas', () => {
  it.each(['reference', 'iommufd-busy'] as const)('%s at tiny: every lemma holds in every reachable state', (v) => {
    const r = explore(PRESETS.tiny, presetDesign(v), { lemmas: LEMMAS });
    expect(r.lemmaViolations).toEqual(new Map());
    // and checking them changes nothing else
    expect(r.states).toBe(explore(PRESETS.tiny, presetDesign(v)).states);
  });

  it('no-drain at tiny: desc-owner breaks (a queued descriptor outlives its PASID), with a shortest path', () => {
    const r = explore(PRESETS.tiny, presetDesign('no-drain'), { lemmas: LEMMAS });
    expect([...r.lemmaViolations!.keys()]).toContain('desc-owner');
    const path = r.lemmaViolations!.get('desc-owner')!;
    // the path replays on the model to a state breaking the lemma, and no shorter prefix does
    const rules = presetDesign('no-drain').rules;
    const lemma = LEMMAS.find((l) => l.name === 'desc-owner')!;
    let s = initialState(PRESETS.tiny);
    const holds = [lemma.holds(PRESETS.tiny, rules, s)];
    for (const a of path) (s = step(PRESETS.tiny, rules, s, a).state), holds.push(lemma.holds(PRESETS.tiny, rules, s));
    expect(holds.at(-1)).toBe(false);
    expect(holds.slice(0, -1).every((h) => h)).toBe(true);
  });

  it("at the SVA scope the lemmas of the scope (§10's own too) hold for the reference; the 2022 bug breaks the three that encode the mechanism it lacks", () => {
    const lemmas = lemmasAt(PRESETS.sva);
    expect(lemmas.length).toBe(LEMMAS.length);
    expect(explore(PRESETS.sva, presetDesign('reference'), { lemmas }).lemmaViolations).toEqual(new Map());
    const bug = explore(PRESETS.sva, presetDesign('sva-free-at-mmput'), { lemmas }).lemmaViolations!;
    expect([...bug.keys()].sort()).toEqual(['desc-owner', 'free-no-sva', 'sva-pasid']);
  });

  it("at a scope without SVA, §10's own lemmas are not listed (the CLI output is as before)", async () => {
    const run = await runInProcess(['explore', '--scope', 'tiny', '--lemmas', '--json', '--quiet', '--out', '/tmp/ioasid-lemmas']);
    const json = JSON.parse(run.stdout) as { lemmas: Record<string, { holds: boolean }> };
    expect(Object.keys(json.lemmas)).toEqual(LEMMAS.filter((l) => l.sva !== 'only').map((l) => l.name));
    expect(Object.keys(json.lemmas)).not.toContain('sva-pasid');
    expect(Object.values(json.lemmas).every((x) => x.holds)).toBe(true);
  });
});

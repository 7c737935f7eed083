import { presetDesign } from '../../model/variants';
/**
 * JUnit identities are fixed by what is checked (design, invariant, claim),
 * never by the outcome: a passing run and a run against a deliberately broken
 * expectation give the same test names and counts, only statuses differ.
 */
import { describe, expect, it } from 'vitest';
import { INVARIANTS, VARIANT_NAMES, VARIANTS } from '../../model/index';
import { exploreCases } from '../../src/check/designs';
import { junitXml } from '../../src/cli/junit';
import { conformanceCases } from '../../src/conformance/stage';
import { explore } from '../../src/explore/explorer';
import type { ExploredVariant } from '../../src/explore/parallel';
import { type VerdictWithTraces, verdictOf } from '../../src/explore/verdicts';
import { resolveScope } from '../../src/scopes';

const scope = resolveScope('tiny');
const names = (xml: string): string[] => [...xml.matchAll(/<testcase classname="([^"]+)" name="([^"]+)"/g)].map((m) => `${m[1]}/${m[2]}`);
const counts = (xml: string) => /<testsuites name="ioasid-verify" tests="(\d+)" failures="(\d+)"/.exec(xml)!.slice(1).map(Number);

type Explored = ExploredVariant & Pick<VerdictWithTraces, 'traces'>;

let cache: Explored[] | undefined;
function explored(): Explored[] {
  return (cache ??= VARIANT_NAMES.map((v) => {
    const r = explore(scope.scope, presetDesign(v), { maxDepth: 6 }); // names do not depend on depth; violations up to 6 steps suffice
    return { ...verdictOf(r, scope), states: r.states, transitions: r.transitions, depth: r.depth, seconds: r.seconds };
  }));
}

/** The same results held to a broken expectation: reference expected to fail no-leak, no-dma-block's failures expected to hold. */
function broken(es: readonly Explored[]): Explored[] {
  return es.map((e) => {
    if (e.verdict.variant === 'reference') return { ...e, verdict: { ...e.verdict, surprises: [{ invariant: 'no-leak', expected: 'fails', found: 'holds' }] } };
    if (e.verdict.variant === 'no-dma-block') {
      const surprises = INVARIANTS.filter((i) => !e.verdict.invariants[i.name].holds).map((i) => ({ invariant: i.name, expected: 'holds' as const, found: 'fails' as const }));
      return { ...e, verdict: { ...e.verdict, surprises: [...e.verdict.surprises, ...surprises] } };
    }
    return e;
  });
}

describe('JUnit names and counts', () => {
  it('are the same for a passing run and a run against a broken expectation', () => {
    const good = explored();
    const bad = broken(good);
    const xmlGood = junitXml([...exploreCases(good), ...conformanceCases(good, scope).filter((c) => !c.name.startsWith('kernel conforms'))]);
    const xmlBad = junitXml([...exploreCases(bad), ...conformanceCases(bad, scope).filter((c) => !c.name.startsWith('kernel conforms'))]);
    expect(names(xmlBad)).toEqual(names(xmlGood));
    expect(names(xmlGood)).toHaveLength(VARIANT_NAMES.length * INVARIANTS.length + VARIANT_NAMES.length);
    const [testsGood, failuresGood] = counts(xmlGood);
    const [testsBad, failuresBad] = counts(xmlBad);
    expect(testsBad).toBe(testsGood);
    expect(failuresGood).toBe(good.reduce((n, e) => n + e.verdict.surprises.length, 0));
    expect(failuresBad).toBe(failuresGood! + 2);
    // what was found is in the message, not the name
    expect(names(xmlGood)).toContain('ioasid-verify.explore/no-drain: no-cross-tenant-dma');
    expect(VARIANTS['no-drain'].expectedToFail.length).toBeGreaterThan(0);
  });

  it('are the same when a design finds fewer violations than expected (a scope too small)', () => {
    const good = explored();
    const none = good.map((e) => ({ ...e, verdict: { ...e.verdict, invariants: Object.fromEntries(INVARIANTS.map((i) => [i.name, { holds: true }])) as ExploredVariant['verdict']['invariants'] } }));
    expect(names(junitXml([...exploreCases(none), ...conformanceCases(none, scope).filter((c) => !c.name.startsWith('kernel conforms'))]))).toEqual(names(junitXml([...exploreCases(good), ...conformanceCases(good, scope).filter((c) => !c.name.startsWith('kernel conforms'))])));
  });
});

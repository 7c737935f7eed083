/**
 * Explorer results as verdicts: per invariant holds / shortest length + trace
 * file, compared with the expectation of DESIGN.md §5. Pure: each trace comes
 * back as data (its ITF document and the file it belongs in); the CLI writes it.
 */
import { join } from 'node:path';
import { type Design, INVARIANTS, type InvariantName } from '../../model/index';
import type { LoadedScope } from '../scopes';
import { attackTrace } from './attack';
import type { ExploreResult } from './explorer';

export type InvariantVerdict =
  | { holds: true }
  | {
      holds: false;
      /** the shortest violating prefix; witness steps come after it */
      length: number;
      trace?: string;
      /** what violates it, in domain words */
      violation?: string;
      /** the continuation that makes the breach observable (DMA-path and authorization invariants) */
      witness?: { steps: number; breach: string };
    };

export interface VariantVerdict {
  /** the design's name */
  readonly variant: string;
  readonly design: Design;
  readonly invariants: Record<InvariantName, InvariantVerdict>;
  /** invariants whose verdict differs from the expectation, with what was expected */
  readonly surprises: { invariant: InvariantName; expected: 'holds' | 'fails'; found: 'holds' | 'fails' }[];
}

/** A shortest violation as data: the ITF document (prefix, then witness steps), and the file the CLI writes it to. */
export interface CounterexampleTrace {
  readonly invariant: InvariantName;
  readonly path: string;
  readonly doc: object;
}

/** The verdict, and the traces its `trace` fields name. */
export interface VerdictWithTraces {
  readonly verdict: VariantVerdict;
  readonly traces: readonly CounterexampleTrace[];
}

/** Whether the design's author expects `inv` to fail; undefined when the design states no expectation. */
export function expectedToFail(design: Design, inv: InvariantName): boolean | undefined {
  return design.expect === undefined ? undefined : design.expect.includes(inv);
}

/** Builds the verdict and, if `outDir` is given, each shortest violation as an ITF trace named for a file under it. */
export function verdictOf(r: ExploreResult, scope: LoadedScope, outDir?: string): VerdictWithTraces {
  const invariants = {} as Record<InvariantName, InvariantVerdict>;
  const surprises: VariantVerdict['surprises'] = [];
  const traces: CounterexampleTrace[] = [];
  for (const inv of INVARIANTS) {
    const v = r.violations.get(inv.name);
    if (!v) {
      invariants[inv.name] = { holds: true };
    } else {
      let trace: string | undefined;
      let found: Pick<Extract<InvariantVerdict, { holds: false }>, 'violation' | 'witness'> = {};
      if (outDir) {
        trace = join(outDir, `${r.variant}--${inv.name}.itf.json`);
        const attack = attackTrace(scope, r.design, inv.name, v.actions, 'exhaustive BFS');
        traces.push({ invariant: inv.name, path: trace, doc: attack.doc });
        found = { violation: attack.offender, ...(attack.witness ? { witness: { steps: attack.witness.actions.length, breach: attack.witness.breach } } : {}) };
      }
      invariants[inv.name] = { holds: false, length: v.actions.length, ...(trace ? { trace } : {}), ...found };
    }
    const fails = expectedToFail(r.design, inv.name);
    if (fails === undefined) continue; // no expectation to hold it to
    const expected = fails ? 'fails' : 'holds';
    const found = v ? 'fails' : 'holds';
    if (expected !== found) surprises.push({ invariant: inv.name, expected, found });
  }
  return { verdict: { variant: r.variant, design: r.design, invariants, surprises }, traces };
}

/**
 * Explorer results as verdicts: per invariant holds / shortest length + trace
 * file, compared with the expectation of DESIGN.md §5.
 */
import { join } from 'node:path';
import { type Design, INVARIANTS, type InvariantName } from '../../model/index';
import type { LoadedScope } from '../scopes';
import { writeJsonFile } from '../cli/output';
import { attackTrace } from '../trace/attack';
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

/** Whether the design's author expects `inv` to fail; undefined when the design states no expectation. */
export function expectedToFail(design: Design, inv: InvariantName): boolean | undefined {
  return design.expect === undefined ? undefined : design.expect.includes(inv);
}

/** Writes each shortest violation as an ITF file under `outDir` (if given) and builds the verdict. */
export function verdictOf(r: ExploreResult, scope: LoadedScope, outDir?: string): VariantVerdict {
  const invariants = {} as Record<InvariantName, InvariantVerdict>;
  const surprises: VariantVerdict['surprises'] = [];
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
        writeJsonFile(trace, attack.doc);
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
  return { variant: r.variant, design: r.design, invariants, surprises };
}

/**
 * Explorer results as verdicts: per invariant holds / shortest length + trace
 * file, compared with the expectation of DESIGN.md §5.
 */
import { join } from 'node:path';
import { type Design, INVARIANTS, type InvariantName } from '../../model/index';
import type { LoadedScope } from '../scopes';
import { writeJsonFile } from '../cli/output';
import { writeTrace } from '../trace/itf';
import { runModel } from '../trace/run';
import type { ExploreResult } from './explorer';

export type InvariantVerdict = { holds: true } | { holds: false; length: number; trace?: string };

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
      if (outDir) {
        trace = join(outDir, `${r.variant}--${inv.name}.itf.json`);
        const run = runModel(scope.scope, r.design.rules, v.actions);
        const description = `Shortest violation of ${inv.name} under ${r.variant} at scope ${scope.name}: ${v.actions.length} steps (found by exhaustive BFS).`;
        writeJsonFile(trace, writeTrace({ design: { name: r.variant, rules: r.design.rules }, scope, description, invariant: inv.name }, run.init, run.steps));
      }
      invariants[inv.name] = { holds: false, length: v.actions.length, ...(trace ? { trace } : {}) };
    }
    const fails = expectedToFail(r.design, inv.name);
    if (fails === undefined) continue; // no expectation to hold it to
    const expected = fails ? 'fails' : 'holds';
    const found = v ? 'fails' : 'holds';
    if (expected !== found) surprises.push({ invariant: inv.name, expected, found });
  }
  return { variant: r.variant, design: r.design, invariants, surprises };
}

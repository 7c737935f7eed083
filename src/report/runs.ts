/**
 * The report's own runs: every variant explored at the scope (src/check/designs.ts),
 * each shortest violation kept as an ITF trace and told as its story.
 * Exhaustive by default (in child processes when jobs > 1); with a depth
 * bound, a bounded BFS in this process, and the report says so.
 */
import { type AnyAction as Action, type InvariantName, presetDesign, variantsAt } from '../../model/index';
import { type ExploredDesign, counterexampleTrace, exploreDesigns } from '../check/designs';
import type { LoadedScope } from '../scopes';

export interface VariantRun extends ExploredDesign {
  /** the design's name */
  readonly variant: string;
}

export interface RunArgs {
  readonly scope: LoadedScope;
  /** the --scope argument as given, for child processes */
  readonly scopeArg: string;
  readonly traces: string;
  readonly depth?: number;
  readonly jobs: number;
  readonly progress?: (line: string) => void;
}

export async function exploreVariants(a: RunArgs): Promise<VariantRun[]> {
  // §10's presets only at an SVA scope, where their rule changes something
  const designs = variantsAt(a.scope.scope).map(presetDesign);
  const runs = await exploreDesigns(
    { scope: a.scope, scopeArg: a.scopeArg, designs, traces: a.traces, jobs: a.jobs, ...(a.depth !== undefined ? { depth: a.depth } : {}) },
    {
      child: (r, n) => a.progress?.(`explored ${n}/${designs.length} designs (last: ${r.verdict.variant})`),
      layer: (design, p) => a.progress?.(`explore ${design.name}: depth ${p.depth}, ${p.states} states, ${p.seconds.toFixed(1)}s`),
    },
  );
  return runs.map((r) => ({ ...r, variant: r.verdict.variant }));
}

/** The actions of a run's counterexample to `invariant` (witness steps included), as its trace file holds them. */
export function counterexample(run: ExploredDesign, invariant: InvariantName): Action[] {
  const t = run.traces.find((x) => x.invariant === invariant);
  if (!t) throw new Error(`bug: no trace of ${invariant} in the run of ${run.verdict.variant}`);
  return counterexampleTrace(t).steps.map((s) => s.action);
}

/**
 * The report's own runs: every variant explored at the scope, each shortest
 * violation written as an ITF trace and read back as its story. Exhaustive by
 * default (in child processes when jobs > 1); with a depth bound, a bounded
 * BFS in this process, and the report says so.
 */
import { type AnyAction as Action, presetDesign, variantsAt } from '../../model/index';
import { explore } from '../explore/explorer';
import { betweenDesigns, exploreInParallel } from '../explore/parallel';
import { type VariantVerdict, verdictOf } from '../explore/verdicts';
import type { LoadedScope } from '../scopes';
import { readTraceFile } from '../trace/itf';

export interface VariantRun {
  /** the design's name */
  readonly variant: string;
  readonly verdict: VariantVerdict;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
  /** stopped at the depth bound: "holds" means "holds up to that depth" */
  readonly bounded: boolean;
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
  const PRESET_DESIGNS = variantsAt(a.scope.scope).map(presetDesign);
  if (a.depth === undefined && a.jobs > 1) {
    const done = await exploreInParallel(a.scopeArg, PRESET_DESIGNS, a.traces, a.jobs, (r, n) =>
      a.progress?.(`explored ${n}/${PRESET_DESIGNS.length} designs (last: ${r.verdict.variant})`),
    );
    return done.map((r) => ({ variant: r.verdict.variant, verdict: r.verdict, states: r.states, transitions: r.transitions, depth: r.depth, seconds: r.seconds, bounded: false }));
  }
  const runs: VariantRun[] = [];
  for (const design of PRESET_DESIGNS) {
    await betweenDesigns(); // a signal is handled between two designs explored in this process
    const variant = design.name;
    const r = explore(a.scope.scope, design, {
      ...(a.depth !== undefined ? { maxDepth: a.depth } : {}),
      onLayer: (p) => a.progress?.(`explore ${variant}: depth ${p.depth}, ${p.states} states, ${p.seconds.toFixed(1)}s`),
    });
    const bounded = a.depth !== undefined && r.depth >= a.depth;
    runs.push({ variant, verdict: verdictOf(r, a.scope, a.traces), states: r.states, transitions: r.transitions, depth: r.depth, seconds: r.seconds, bounded });
  }
  await betweenDesigns();
  return runs;
}

/** The actions of a counterexample, read back from the trace file the run wrote. */
export function counterexample(trace: string): Action[] {
  return readTraceFile(trace).steps.map((s) => s.action);
}

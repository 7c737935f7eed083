/**
 * Every design explored at one scope: the first stage of `check` and the
 * runs of `report`. Exhaustive BFS, in child processes when jobs > 1 (the
 * largest state spaces first), or in this process, optionally bounded in
 * depth. Returns data: the verdicts and each shortest violation as an ITF
 * document; the CLI writes the traces. Its JUnit cases, one per (design,
 * invariant), are exploreCases.
 */
import { type Design, INVARIANTS } from '../../model/index';
import { type ExploreOptions, explore } from '../explore/explorer';
import { type ExploredVariant, betweenDesigns, exploreInParallel } from '../explore/parallel';
import { type CounterexampleTrace, verdictOf } from '../explore/verdicts';
import type { LoadedScope } from '../scopes';
import type { CheckCase } from './cases';
import { type Trace, parseTrace } from '../trace/itf';

export interface ExploredDesign extends ExploredVariant {
  /** each shortest violation as an ITF trace, named by the verdict's `trace` */
  readonly traces: readonly CounterexampleTrace[];
  /** the traces are on disk already (an explore process wrote them); else the CLI writes them */
  readonly written: boolean;
  /** stopped at the depth bound: "holds" means "holds up to that depth" */
  readonly bounded: boolean;
}

export interface ExploreDesignsArgs {
  readonly scope: LoadedScope;
  /** the --scope argument as given, handed on to child processes */
  readonly scopeArg: string;
  readonly designs: readonly Design[];
  /** the directory the traces are named for */
  readonly traces: string;
  /** designs explored at once, each in its own process; 1 = in this process */
  readonly jobs: number;
  /** a depth bound: a bounded BFS, in this process */
  readonly depth?: number;
}

/** What the caller hears while the designs are explored. */
export interface ExploreDesignsEvents {
  /** a design is done (in either way); `done` counts the designs done so far */
  readonly explored?: (e: ExploredDesign, done: number) => void;
  /** a design explored in a child process is done */
  readonly child?: (e: ExploredDesign, done: number) => void;
  /** a BFS layer of a design explored in this process is done */
  readonly layer?: (design: Design, p: Parameters<NonNullable<ExploreOptions['onLayer']>>[0]) => void;
}

export async function exploreDesigns(a: ExploreDesignsArgs, on: ExploreDesignsEvents = {}): Promise<ExploredDesign[]> {
  if (a.depth === undefined && a.jobs > 1 && a.designs.length > 1) {
    const fromChild = (r: ExploredVariant): ExploredDesign => ({ ...r, traces: r.traces ?? [], written: false, bounded: false });
    const made = new Map<ExploredVariant, ExploredDesign>();
    const results = await exploreInParallel(a.scopeArg, a.designs, a.traces, a.jobs, (r, n) => {
      const e = fromChild(r);
      made.set(r, e);
      on.explored?.(e, n);
      on.child?.(e, n);
    });
    return results.map((r) => made.get(r) ?? fromChild(r));
  }
  // In this process: a signal is handled between two designs (an exploration does not yield).
  const done: ExploredDesign[] = [];
  for (const design of a.designs) {
    await betweenDesigns();
    const r = explore(a.scope.scope, design, {
      ...(a.depth !== undefined ? { maxDepth: a.depth } : {}),
      onLayer: (p) => on.layer?.(design, p),
    });
    const { verdict, traces } = verdictOf(r, a.scope, a.traces);
    const bounded = a.depth !== undefined && r.depth >= a.depth;
    const e = { verdict, traces, written: false, bounded, states: r.states, transitions: r.transitions, depth: r.depth, seconds: r.seconds };
    done.push(e);
    on.explored?.(e, done.length);
  }
  await betweenDesigns();
  return done;
}

/** A counterexample as the trace a reader of its file would see (same parser, same checks). */
export function counterexampleTrace(t: CounterexampleTrace): Trace {
  return parseTrace(JSON.stringify(t.doc, null, 1) + '\n', t.path);
}

/**
 * One JUnit case per (design, invariant): its name says what is checked, never
 * what was found, so CI history keeps the same tests run after run; the
 * verdict and the expectation go in the status and the message.
 */
export function exploreCases(explored: readonly ExploredVariant[]): CheckCase[] {
  return explored.flatMap((e) =>
    INVARIANTS.map((inv) => {
      const s = e.verdict.surprises.find((x) => x.invariant === inv.name);
      const v = e.verdict.invariants[inv.name];
      return {
        suite: 'explore',
        name: `${e.verdict.variant}: ${inv.name}`,
        status: s ? 'fail' : 'pass',
        seconds: e.seconds / INVARIANTS.length,
        ...(s ? { message: `${inv.name} ${s.found}${v.holds ? '' : ` in ${v.length} steps`}, expected ${s.expected}` } : {}),
      } satisfies CheckCase;
    }),
  );
}

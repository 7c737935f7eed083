/** `explore --variant V` (or --design/--rule): exhaustive BFS, per-invariant verdicts, shortest traces as ITF. */
import { type Design, INVARIANTS, type Lemma, lemmaStatement, lemmasAt, presetOf } from '../../../model/index';
import { describeRules } from '../../design';
import { type ExploreResult, explore } from '../../explore/explorer';
import { exploreParallel } from '../../explore/parallelBfs';
import { type VariantVerdict, verdictOf } from '../../explore/verdicts';
import type { LoadedScope } from '../../scopes';
import { type CommandOutput, EXIT, table } from '../output';
import { writeHtmlSite } from '../site';
import { writeTraces } from '../traces';

export interface ExploreArgs {
  readonly scope: LoadedScope;
  readonly design: Design;
  readonly out: string;
  /** check the lemmas of model/lemmas.ts too */
  readonly lemmas?: boolean;
  /** write the run as HTML pages here (src/cli/site.ts) */
  readonly html?: string;
  readonly progress?: (line: string) => void;
}

const layerLine =
  (a: ExploreArgs) =>
  (p: { depth: number; states: number; frontier: number; seconds: number }): void =>
    a.progress?.(`depth ${p.depth}: ${p.states} states, frontier ${p.frontier}, ${(p.states / p.seconds).toFixed(0)} states/s, ${p.seconds.toFixed(1)}s`);

/** The sequential explorer, in this thread (`--workers 1`). */
export function exploreCommand(a: ExploreArgs): CommandOutput {
  return exploreOutput(a, explore(a.scope.scope, a.design, { ...(a.lemmas ? { lemmas: lemmasAt(a.scope.scope) } : {}), onLayer: layerLine(a) }));
}

/** `--workers N`: the parallel explorer on N worker threads (the same result), or the sequential one for N = 1. */
export async function exploreCommandOn(a: ExploreArgs, workers: number): Promise<CommandOutput> {
  if (workers <= 1) return exploreCommand(a);
  return exploreOutput(a, await exploreParallel(a.scope.scope, a.design, { workers, lemmas: a.lemmas === true, onLayer: layerLine(a) }));
}

function exploreOutput(a: ExploreArgs, r: ExploreResult): CommandOutput {
  // the lemmas of the scope: at an SVA scope §10's own too (model/lemmas.ts)
  const lemmas = lemmasAt(a.scope.scope);
  const { verdict: v, traces } = verdictOf(r, a.scope, a.out);
  writeTraces({ traces });
  const json = {
    variant: a.design.name,
    rules: a.design.rules,
    scope: a.scope.label,
    states: r.states,
    transitions: r.transitions,
    calls: r.calls,
    // of the calls, those the partial-order reduction counted without making them (src/explore/sleep.ts):
    // asleep (they commute with the call that reached the state) and absorbed (they undo it)
    asleep: r.asleep,
    absorbed: r.absorbed,
    depth: r.depth,
    seconds: round(r.seconds),
    bytesPerState: round(r.storeBytes / r.states),
    invariants: v.invariants,
    surprises: v.surprises,
    ...(r.lemmaViolations ? { lemmas: Object.fromEntries(lemmas.map((l) => [l.name, r.lemmaViolations!.has(l.name) ? { holds: false, length: r.lemmaViolations!.get(l.name)!.length } : { holds: true }])) } : {}),
  };
  const rows = INVARIANTS.map((inv) => {
    const x = v.invariants[inv.name];
    const s = v.surprises.find((y) => y.invariant === inv.name);
    return [
      inv.name,
      x.holds ? 'holds' : `VIOLATED in ${x.length} steps`,
      x.holds ? '' : (x.trace ?? ''),
      s ? `unexpected: ${a.design.expect !== undefined && presetOf(a.design.rules) === undefined ? 'the design file expects' : 'the design analysis says'} it ${s.expected}` : '',
    ];
  });
  const text = [
    `explore ${a.design.name} at scope ${a.scope.name}: ${r.states} states, ${r.transitions} transitions, depth ${r.depth}, ${r.seconds.toFixed(2)}s`,
    ...(presetOf(a.design.rules) === undefined ? [`rules: ${describeRules(a.design.rules)}`] : []),
    '',
    table(['invariant', 'verdict', 'shortest trace', 'note'], rows),
    ...violationLines(v.invariants),
    ...(a.lemmas ? lemmaLines(a, lemmas, r.lemmaViolations) : []),
  ].join('\n');
  const failed = INVARIANTS.some((inv) => !v.invariants[inv.name].holds);
  if (a.html) writeHtmlSite(a.html, { command: 'explore', scope: a.scope, explored: [{ verdict: v, states: r.states, transitions: r.transitions, depth: r.depth, seconds: r.seconds }], ok: v.surprises.length === 0, summary: text.split('\n')[0]! });
  return { json, text, exit: failed ? EXIT.failed : EXIT.ok };
}

/** Under the table, per violation: what breaks it, and the witness steps that show the breach. */
export function violationLines(invariants: VariantVerdict['invariants']): string[] {
  const lines = INVARIANTS.flatMap((inv) => {
    const x = invariants[inv.name];
    if (x.holds || x.violation === undefined) return [];
    const w = x.witness ? ` Run to the end (+${x.witness.steps} witness step${x.witness.steps === 1 ? '' : 's'}): ${x.witness.breach}.` : '';
    return [`${inv.name}: ${x.violation}.${w}`];
  });
  return lines.length > 0 ? ['', ...lines] : [];
}

/** With --lemmas: whether the auxiliary invariants Z3 assumes hold in every state explored. */
function lemmaLines(a: ExploreArgs, lemmas: readonly Lemma[], broken: ReadonlyMap<string, readonly unknown[]> = new Map()): string[] {
  if (broken.size === 0) return ['', `lemmas: all ${lemmas.length} auxiliary invariants of the Z3 proofs (model/lemmas.ts) hold in every reachable state`];
  const head = `lemmas: ${broken.size} of ${lemmas.length} broken in a reachable state (if \`prove\` proved one of these at this scope, the encoding has drifted from the model):`;
  return ['', head, ...lemmas.filter((l) => broken.has(l.name)).map((l) => `  ${l.name}: shortest ${broken.get(l.name)!.length} steps (${lemmaStatement(l, a.scope.scope)})`)];
}

export const round = (x: number): number => Math.round(x * 1000) / 1000;

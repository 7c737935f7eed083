/** `explore --variant V` (or --design/--rule): exhaustive BFS, per-invariant verdicts, shortest traces as ITF. */
import { type Design, INVARIANTS, presetOf } from '../../../model/index';
import { describeRules } from '../../design';
import { explore } from '../../explore/explorer';
import { type VariantVerdict, verdictOf } from '../../explore/verdicts';
import type { LoadedScope } from '../../scopes';
import { type CommandOutput, EXIT, table } from '../output';
import { writeTraces } from '../traces';

export interface ExploreArgs {
  readonly scope: LoadedScope;
  readonly design: Design;
  readonly out: string;
  readonly progress?: (line: string) => void;
}

export function exploreCommand(a: ExploreArgs): CommandOutput {
  const r = explore(a.scope.scope, a.design, {
    onLayer: (p) => a.progress?.(`depth ${p.depth}: ${p.states} states, frontier ${p.frontier}, ${(p.states / p.seconds).toFixed(0)} states/s, ${p.seconds.toFixed(1)}s`),
  });
  const { verdict: v, traces } = verdictOf(r, a.scope, a.out);
  writeTraces({ traces });
  const json = {
    variant: a.design.name,
    rules: a.design.rules,
    scope: a.scope.label,
    states: r.states,
    transitions: r.transitions,
    calls: r.calls,
    depth: r.depth,
    seconds: round(r.seconds),
    bytesPerState: round(r.storeBytes / r.states),
    invariants: v.invariants,
    surprises: v.surprises,
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
  ].join('\n');
  const failed = INVARIANTS.some((inv) => !v.invariants[inv.name].holds);
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

export const round = (x: number): number => Math.round(x * 1000) / 1000;

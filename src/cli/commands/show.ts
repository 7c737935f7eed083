/**
 * `show FILE`: a trace for people. The model runs the trace's variant and
 * scope (from #meta; --variant/--scope override them) and every step is shown
 * with its result, what it changed and which invariants broke there, then as
 * a Mermaid sequence diagram.
 */
import type { Design } from '../../../model/index';
import { mermaidBlock } from '../../render/mermaid';
import { sequenceDiagram } from '../../render/sequence';
import { stepJson, showSteps } from '../../render/steps';
import { stepTable } from '../../render/stepTable';
import { svaStory } from '../../render/svaStory';
import type { LoadedScope } from '../../scopes';
import { readFileSync } from 'node:fs';
import { offender } from '../../explore/offender';
import { readTraceFile } from '../../trace/itf';
import { type CommandOutput, EXIT } from '../output';

export interface ShowArgs {
  readonly file: string;
  readonly scope?: LoadedScope;
  readonly design?: Design;
}

/** The breach sentence the trace's #meta.witness states, if any (the file was already read as a trace). */
function witnessBreach(file: string): string | undefined {
  const w = (JSON.parse(readFileSync(file, 'utf8')) as { '#meta'?: { witness?: { breach?: unknown } } })['#meta']?.witness;
  return typeof w?.breach === 'string' ? w.breach : undefined;
}

export function showCommand(a: ShowArgs): CommandOutput {
  const trace = readTraceFile(a.file);
  const scope = a.scope ?? trace.scope;
  const design = a.design ?? trace.design;
  const variant = design.name;
  const from = trace.witnessFrom ?? trace.steps.length;
  const steps = showSteps(scope.scope, design.rules, trace.steps, from);
  const prefix = steps.slice(0, from);
  const witness = steps.slice(from);
  const breach = witnessBreach(a.file);
  const offenders = steps.flatMap((s) => s.broke.map((inv) => ({ index: s.index, inv, what: offender(scope.scope, s.after, inv) })));
  const diagram = sequenceDiagram(scope.scope, steps);
  const broken = [...new Set(steps.flatMap((s) => s.broke))];
  const differ = steps.filter((s) => s.expected !== undefined && s.expected !== s.result).map((s) => s.index);
  const story = svaStory(scope.scope, design.rules, steps);
  const json = {
    file: a.file,
    variant,
    rules: design.rules,
    scope: scope.label,
    ...(trace.description !== undefined ? { description: trace.description } : {}),
    steps: steps.map(stepJson),
    ...(trace.witnessFrom !== undefined ? { witness: { from, steps: witness.length, ...(breach ? { breach } : {}) } } : {}),
    broken,
    violations: offenders,
    ...(story.length > 0 ? { svaStory: story } : {}),
    differ,
    mermaid: diagram,
  };
  const text = [
    `${a.file}: variant ${variant}, scope ${scope.name}, ${witness.length > 0 ? `${from} steps + ${witness.length} witness step${witness.length === 1 ? '' : 's'}` : `${steps.length} steps`}`,
    ...(trace.description ? [trace.description] : []),
    '',
    steps.length > 0 ? stepTable(prefix.length > 0 ? prefix : steps) : '(no steps: the trace is its initial state)',
    ...(witness.length > 0 && prefix.length > 0
      ? ['', `witness: the attack run to the end (steps ${from + 1}-${steps.length}, after the ${from}-step violation)`, '', stepTable(witness), ...(breach ? ['', `breach: ${breach}`] : [])]
      : []),
    '',
    ...offenders.map((o) => `broke ${o.inv} at step ${o.index}: ${o.what}`),
    broken.length > 0 ? `broken: ${broken.join(', ')}` : 'every invariant holds at every step',
    ...(differ.length > 0 ? [`the trace's own results differ from the model at steps ${differ.join(', ')} (see 'replay')`] : []),
    ...(story.length > 0 ? ['', 'in kernel terms (DESIGN.md §10, the 2022 SVA use-after-free):', ...story] : []),
    '',
    mermaidBlock(diagram),
  ].join('\n');
  return { json, text, exit: EXIT.ok };
}

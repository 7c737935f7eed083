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
import type { LoadedScope } from '../../scopes';
import { readTraceFile } from '../../trace/itf';
import { type CommandOutput, EXIT } from '../output';

export interface ShowArgs {
  readonly file: string;
  readonly scope?: LoadedScope;
  readonly design?: Design;
}

export function showCommand(a: ShowArgs): CommandOutput {
  const trace = readTraceFile(a.file);
  const scope = a.scope ?? trace.scope;
  const design = a.design ?? trace.design;
  const variant = design.name;
  const steps = showSteps(scope.scope, design.rules, trace.steps);
  const diagram = sequenceDiagram(scope.scope, steps);
  const broken = [...new Set(steps.flatMap((s) => s.broke))];
  const differ = steps.filter((s) => s.expected !== undefined && s.expected !== s.result).map((s) => s.index);
  const json = {
    file: a.file,
    variant,
    rules: design.rules,
    scope: scope.label,
    ...(trace.description !== undefined ? { description: trace.description } : {}),
    steps: steps.map(stepJson),
    broken,
    differ,
    mermaid: diagram,
  };
  const text = [
    `${a.file}: variant ${variant}, scope ${scope.name}, ${steps.length} steps`,
    ...(trace.description ? [trace.description] : []),
    '',
    steps.length > 0 ? stepTable(steps) : '(no steps: the trace is its initial state)',
    '',
    broken.length > 0 ? `broken: ${broken.join(', ')}` : 'every invariant holds at every step',
    ...(differ.length > 0 ? [`the trace's own results differ from the model at steps ${differ.join(', ')} (see 'replay')`] : []),
    '',
    mermaidBlock(diagram),
  ].join('\n');
  return { json, text, exit: EXIT.ok };
}

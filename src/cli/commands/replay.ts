/**
 * `replay FILE`: a trace on the model (its variant; --variant overrides) and
 * on the kernel (the reference design), step by step. The table shows both
 * results, the trace's own, and the invariants each side's state violates, so
 * the step where the kernel defeats an attack trace of a flawed variant is
 * plain to see. Exit 1 on any divergence or violation.
 */
import { type Design, INVARIANTS, isReferenceRules, type InvariantName } from '../../../model/index';
import { type ReplayedStep, replaySteps } from '../../conformance/replay';
import type { LoadedScope } from '../../scopes';
import { readTraceFile } from '../../trace/itf';
import { type CommandOutput, EXIT, table } from '../output';

export interface ReplayArgs {
  readonly file: string;
  readonly scope?: LoadedScope;
  readonly design?: Design;
}

const list = (xs: readonly string[]): string => (xs.length > 0 ? xs.join(',') : '-');
const abbrev = (n: InvariantName): string => `I${INVARIANTS.findIndex((i) => i.name === n) + 1}`;

function note(s: ReplayedStep): string {
  const kinds = s.divergences.map((d) => d.kind);
  const out: string[] = [];
  if (kinds.includes('expected')) out.push('model != expected');
  if (kinds.includes('kernel') || kinds.includes('crash')) out.push('model != kernel');
  if (kinds.includes('state')) out.push('state differs');
  if (kinds.includes('bookkeeping')) out.push('kernel bookkeeping');
  const defeated = s.violated.filter((n) => !s.kernelViolated.includes(n));
  if (defeated.length > 0) out.push(`kernel keeps ${defeated.map(abbrev).join(',')}`);
  return out.join('; ');
}

export function replayCommand(a: ReplayArgs): CommandOutput {
  const trace = readTraceFile(a.file);
  const scope = a.scope ?? trace.scope;
  const design = a.design ?? trace.design;
  const variant = design.name;
  const r = replaySteps(scope.scope, design.rules, trace.steps);
  const kernelName = r.kernelImplements ? (isReferenceRules(design.rules) ? 'kernel (reference)' : `kernel (configured as ${variant})`) : 'kernel (reference)';
  const modelBroken = [...new Set(r.steps.flatMap((s) => s.violated))];
  const kernelBroken = [...new Set(r.steps.flatMap((s) => s.kernelViolated))];
  const json = {
    file: a.file,
    variant,
    rules: design.rules,
    implementation: kernelName,
    scope: scope.label,
    ok: r.ok,
    divergence: r.divergence,
    divergences: r.steps.flatMap((s) => s.divergences),
    violated: modelBroken,
    kernelViolated: kernelBroken,
    steps: r.steps.map((s) => ({
      index: s.index, action: s.action.type, args: s.args, model: s.model, kernel: s.kernel, expected: s.expected,
      violated: s.violated, kernelViolated: s.kernelViolated,
    })),
  };
  const rows = r.steps.map((s) => [
    String(s.index),
    s.action.type,
    Object.entries(s.args).map(([k, v]) => `${k}=${v}`).join(' '),
    s.model,
    s.kernel,
    s.expected ?? '',
    list(s.violated.map(abbrev)),
    list(s.kernelViolated.map(abbrev)),
    note(s),
  ]);
  const first = r.steps.find((s) => s.index === r.divergence);
  const used = [...new Set([...modelBroken, ...kernelBroken])];
  const text = [
    `replay ${a.file}: model ${variant} vs ${kernelName}, scope ${scope.name}, ${r.steps.length} steps`,
    ...(trace.description ? [trace.description] : []),
    '',
    r.steps.length > 0 ? table(['#', 'action', 'args', 'model', 'kernel', 'expected', 'model violates', 'kernel violates', 'note'], rows) : '(no steps)',
    '',
    ...(used.length > 0 ? [used.map((n) => `${abbrev(n)} ${n}`).join('   ')] : []),
    modelBroken.length > 0 ? `the model (${variant}) violates ${modelBroken.join(', ')}` : 'the model keeps every invariant at every step',
    kernelBroken.length > 0 ? `the kernel's state violates ${kernelBroken.join(', ')}` : "the kernel's abstracted state keeps every invariant at every step",
    ...(modelBroken.length > 0 && kernelBroken.length === 0 ? [`the ${r.kernelImplements && !isReferenceRules(design.rules) ? kernelName : 'kernel (reference design)'} defeats this trace`] : []),
    first ? `first divergence at step ${first.index}: ${first.divergences.map((d) => d.detail).join('; ')}` : 'no divergence: model, kernel and trace agree at every step',
  ].join('\n');
  return { json, text, exit: r.ok ? EXIT.ok : EXIT.failed };
}

/**
 * `replay FILE...`: a trace on the model (its design; --variant overrides) and
 * on the kernel (the reference design), step by step. The table shows both
 * results, the trace's own, and the invariants each side's state violates, so
 * the step where the kernel defeats an attack trace of a flawed variant is
 * plain to see. Exit 1 on any divergence or violation, and when the trace's
 * `#meta.status` is "violation" (as Quint writes it) but the model violates
 * nothing at its last state. A trace naming no design runs as `reference`
 * with a warning (DESIGN.md §6). Several files, or a directory of them (a
 * Quint run writes dozens), give one summary row each and the worst exit code.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Design, INVARIANTS, type InvariantName, isReferenceRules } from '../../../model/index';
import { type ReplayedStep, replaySteps } from '../../conformance/replay';
import { replayKernelWith } from '../../conformance/kernelConfig';
import type { KernelParams } from '../../kernel/index';
import { ToolError } from '../../errors';
import type { LoadedScope } from '../../scopes';
import { type Trace, readTraceFile } from '../../trace/itf';
import { type CommandOutput, EXIT, type ExitCode, table } from '../output';

export interface ReplayArgs {
  readonly file: string;
  readonly scope?: LoadedScope;
  readonly design?: Design;
  /** module parameters to override on the kernel side (--kernel-param) */
  readonly kernelParams?: Partial<KernelParams>;
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

/** The §6 warning for a trace that names no design (or no scope), unless the command line gives one. */
export function defaultsWarning(files: readonly string[], traces: readonly Trace[], a: Omit<ReplayArgs, 'file'>): string[] {
  const what = (n: number): string => (files.length === 1 ? files[0]! : `${n} of ${files.length} traces`);
  const noDesign = a.design === undefined ? traces.filter((t) => !t.named).length : 0;
  const noScope = a.scope === undefined ? traces.filter((t) => !t.scoped).length : 0;
  return [
    ...(noDesign > 0 ? [`${what(noDesign)}: #meta names no variant and no rules; replaying as reference (override with --variant or --design)`] : []),
    ...(noScope > 0 ? [`${what(noScope)}: #meta names no scope; replaying at scope default (override with --scope)`] : []),
  ];
}

/**
 * #meta.status "violation" is reproduced when the model violates the trace's
 * invariant (any, if it names none) at the last state, or, in a trace with
 * witness steps, at the last state of its violating prefix.
 */
function statusCheck(trace: Trace, steps: readonly ReplayedStep[]): { recorded: string; reproduced: boolean } | null {
  if (trace.status !== 'violation') return null;
  const at = trace.witnessFrom !== undefined && trace.witnessFrom > 0 ? steps[trace.witnessFrom - 1] : steps.at(-1);
  const broken = at?.violated ?? [];
  return { recorded: 'violation', reproduced: trace.invariant !== undefined ? broken.includes(trace.invariant) : broken.length > 0 };
}

export function replayCommand(a: ReplayArgs): CommandOutput {
  const trace = readTraceFile(a.file);
  return { ...replayTrace(a, trace), warnings: defaultsWarning([a.file], [trace], a) };
}

function replayTrace(a: ReplayArgs, trace: Trace): CommandOutput {
  const scope = a.scope ?? trace.scope;
  const design = a.design ?? trace.design;
  const variant = design.name;
  const overrides = Object.entries(a.kernelParams ?? {});
  const r = replaySteps(scope.scope, design.rules, trace.steps, overrides.length > 0 ? replayKernelWith(scope.scope, design.rules, a.kernelParams!) : undefined);
  const baseName = r.kernelImplements ? (isReferenceRules(design.rules) ? 'kernel (reference)' : `kernel (configured as ${variant})`) : 'kernel (reference)';
  const kernelName = overrides.length > 0 ? `${baseName.slice(0, -1)}, ${overrides.map(([k, v]) => `${k}=${String(v)}`).join(', ')})` : baseName;
  const status = statusCheck(trace, r.steps);
  const modelBroken = [...new Set(r.steps.flatMap((s) => s.violated))];
  const kernelBroken = [...new Set(r.steps.flatMap((s) => s.kernelViolated))];
  const json = {
    file: a.file,
    variant,
    rules: design.rules,
    implementation: kernelName,
    scope: scope.label,
    ok: r.ok && status?.reproduced !== false,
    divergence: r.divergence,
    ...(status ? { status } : {}),
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
    ...(modelBroken.length > 0 && kernelBroken.length === 0 ? [`the ${(r.kernelImplements && !isReferenceRules(design.rules)) || overrides.length > 0 ? kernelName : 'kernel (reference design)'} defeats this trace`] : []),
    first ? `first divergence at step ${first.index}: ${first.divergences.map((d) => d.detail).join('; ')}` : 'no divergence: model, kernel and trace agree at every step',
    ...(status && !status.reproduced
      ? [`NOT REPRODUCED: #meta.status is "violation", but the model (${variant}) violates ${trace.invariant ?? 'no invariant'} at the last state; is this a trace of another design? (give it with --variant or --design)`]
      : status
        ? [`#meta.status "violation" reproduced: the model (${variant}) violates ${trace.invariant ?? r.steps.at(-1)!.violated.join(', ')} at the last state`]
        : []),
  ].join('\n');
  return { json, text, exit: r.ok && status?.reproduced !== false ? EXIT.ok : EXIT.failed };
}

// ---- several traces ----------------------------------------------------------

export interface ReplayFilesArgs extends Omit<ReplayArgs, 'file'> {
  /** trace files, or directories whose *.json files are traces */
  readonly files: readonly string[];
}

const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** The files named, directories expanded to their *.json files in natural order (t2 before t10). */
export function traceFiles(args: readonly string[]): string[] {
  return args.flatMap((f) => {
    if (!existsSync(f) || !statSync(f).isDirectory()) return [f];
    const inside = readdirSync(f).filter((n) => n.endsWith('.json')).sort(natural);
    if (inside.length === 0) throw new ToolError('E_FILE', `directory '${f}' holds no .json trace files`);
    return inside.map((n) => join(f, n));
  });
}

export function replayFiles(a: ReplayFilesArgs): CommandOutput {
  const files = traceFiles(a.files);
  if (files.length === 1) return replayCommand({ ...a, file: files[0]! });
  const rows: { file: string; trace?: Trace; out?: CommandOutput; error?: ToolError }[] = files.map((file) => {
    try {
      const trace = readTraceFile(file);
      return { file, trace, out: replayTrace({ ...a, file }, trace) };
    } catch (e) {
      if (e instanceof ToolError) return { file, error: e };
      throw e;
    }
  });
  const verdict = (r: (typeof rows)[number]): string => {
    if (r.error) return `bad input ${r.error.code}: ${r.error.message}`;
    const j = r.out!.json as { ok: boolean; divergence: number | null; violated: string[]; status?: { reproduced: boolean } };
    if (j.status && !j.status.reproduced) return 'violation NOT reproduced';
    if (j.divergence !== null) return `diverges at step ${j.divergence}`;
    if (j.violated.length > 0) return `model violates ${j.violated.join(',')}`;
    return 'ok';
  };
  const exit: ExitCode = rows.some((r) => r.error) ? EXIT.usage : rows.some((r) => r.out!.exit !== EXIT.ok) ? EXIT.failed : EXIT.ok;
  const failed = rows.filter((r) => r.out && r.out.exit !== EXIT.ok).length;
  const errors = rows.filter((r) => r.error).length;
  const ok = rows.length - failed - errors;
  const traces = rows.flatMap((r) => (r.trace ? [r.trace] : []));
  const text = [
    `replay of ${rows.length} traces: model vs kernel (reference${Object.keys(a.kernelParams ?? {}).length > 0 ? `, ${Object.entries(a.kernelParams!).map(([k, v]) => `${k}=${String(v)}`).join(', ')}` : ''})`,
    '',
    table(
      ['file', 'design', 'steps', 'replay'],
      rows.map((r) => [r.file, r.trace ? (a.design?.name ?? r.trace.variant) : '', r.trace ? String(r.trace.steps.length) : '', verdict(r)]),
    ),
    '',
    `${ok} ok, ${failed} failed, ${errors} bad input`,
  ].join('\n');
  const json = {
    traces: rows.length,
    ok,
    failed,
    errors,
    files: rows.map((r) => (r.error ? { file: r.file, error: { code: r.error.code, message: r.error.message } } : r.out!.json)),
  };
  return { json, text, exit, warnings: defaultsWarning(rows.filter((r) => r.trace).map((r) => r.file), traces, a) };
}

import { type Design, REFERENCE_DESIGN } from '../../model/index';
import { kernelFor } from '../../src/conformance/kernelConfig';
/**
 * Runs the model-based test: fast-check sequences of commands (spec/mbt/
 * commands.ts) on the kernel and the reference model in lockstep. Shared by
 * the vitest suite and `npm run mbt`. A failure is reproducible three ways:
 * the seed, fast-check's path and replayPath, and an ITF trace of the shrunk
 * sequence under out/mbt/ that `ioasid-verify replay` runs.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { type AnyAction as Action, SVA_ACTION_TYPES, formatAction } from '../../model/index';
import { writeJsonFile } from '../../src/cli/output';
import type { StepReport } from '../../src/conformance/lockstep';
import type { LoadedScope } from '../../src/scopes';
import { writeTrace } from '../../src/trace/itf';
import { runModel } from '../../src/trace/run';
import { type KernelFactory, commandArb, setup } from './commands';

export interface MbtOptions {
  readonly scope: LoadedScope;
  readonly runs: number;
  readonly seed: number;
  readonly maxCommands?: number;
  /** fast-check's counterexample path, to replay one failure */
  readonly path?: string;
  readonly replayPath?: string;
  /** stop at the first failure without shrinking (mutation testing) */
  readonly endOnFailure?: boolean;
  /** where the trace of a failure goes; none written if undefined */
  readonly outDir?: string;
  /** the implementation under test (default: a fresh IoasidKernel); tests plant bugs here */
  readonly makeKernel?: KernelFactory;
  /** the design the model runs (default: the reference); the kernel is configured to match */
  readonly design?: Pick<Design, 'name' | 'rules'>;
}

export interface MbtFailure {
  readonly why: string;
  readonly step: number;
  readonly actions: readonly Action[];
  readonly path: string;
  readonly replayPath: string;
  readonly trace?: string;
  readonly error: string;
}

export interface MbtResult {
  readonly ok: boolean;
  readonly seed: number;
  readonly runs: number;
  readonly maxCommands: number;
  /** commands run, shrinking included */
  readonly commands: number;
  /** how often each outcome was seen (`${action} ${result}`), shrinking included */
  readonly seen: ReadonlyMap<string, number>;
  readonly seconds: number;
  readonly failure?: MbtFailure;
}

export function runMbt(o: MbtOptions): MbtResult {
  const maxCommands = o.maxCommands ?? 60;
  let last: { actions: readonly Action[]; report: StepReport; why: string } | undefined;
  let commands = 0;
  const design = o.design ?? REFERENCE_DESIGN;
  const arb = commandArb(o.scope.scope, (actions, report, why) => (last = { actions, report, why }), design.rules);
  const cmds = fc.commands([arb], { maxCommands, size: 'max', ...(o.replayPath ? { replayPath: o.replayPath } : {}) });
  const seen = new Map<string, number>();
  const start = setup(o.scope.scope, seen, o.makeKernel ?? ((s) => kernelFor(s, design.rules)));
  const property = fc.property(cmds, (cs) => {
    const s = start();
    try {
      fc.modelRun(() => s, cs);
    } finally {
      commands += s.real.log.length;
    }
  });
  const t0 = performance.now();
  const d = fc.check(property, {
    seed: o.seed,
    numRuns: o.runs,
    ...(o.path ? { path: o.path } : {}),
    ...(o.endOnFailure ? { endOnFailure: true } : {}),
  });
  const seconds = (performance.now() - t0) / 1000;
  const base = { seed: o.seed, runs: d.numRuns, maxCommands, commands, seen, seconds };
  if (!d.failed) return { ok: true, ...base };
  // fast-check keeps the last failing run as the counterexample, and `last` is that run's record.
  const error = String((d.errorInstance as Error | undefined)?.message ?? d.errorInstance).split('\n')[0]!;
  const replayPath = /replayPath="([^"]*)"/.exec(String(d.counterexample?.[0] ?? ''))?.[1] ?? '';
  const path = d.counterexamplePath ?? '';
  if (!last) return { ok: false, ...base, failure: { why: error, step: 0, actions: [], path, replayPath, error } };
  const failure: MbtFailure = { why: last.why, step: last.actions.length, actions: last.actions, path, replayPath, error };
  if (o.outDir === undefined) return { ok: false, ...base, failure };
  return { ok: false, ...base, failure: { ...failure, trace: writeFailureTrace(o, failure, last.report) } };
}

function writeFailureTrace(o: MbtOptions, f: MbtFailure, report: StepReport): string {
  const file = join(o.outDir!, `mbt-${o.scope.name}-seed${o.seed}.itf.json`);
  const run = runModel(o.scope.scope, (o.design ?? REFERENCE_DESIGN).rules, f.actions);
  const description = `model-based test divergence at step ${f.step} (${formatAction(report.action)}): ${f.why}`;
  const meta = { design: o.design ?? REFERENCE_DESIGN, scope: o.scope, description, seed: o.seed, path: f.path, replayPath: f.replayPath, kernelResult: report.kernel };
  writeJsonFile(file, writeTrace(meta, run.init, run.steps));
  return file;
}

/**
 * Outcome coverage of the §10 actions at an SVA scope: each (action, result)
 * seen, with how often (a positive result, the PASID, counts as N). Empty
 * elsewhere, so nothing else prints differently.
 */
export function svaCoverage(o: MbtOptions, r: MbtResult): string[] {
  if (o.scope.scope.sva !== true) return [];
  const seen = [...r.seen].filter(([k]) => (SVA_ACTION_TYPES as readonly string[]).includes(k.split(' ')[0]!)).sort(([a], [b]) => a.localeCompare(b));
  return [`SVA outcomes seen (${seen.length}): ${seen.map(([k, n]) => `${k} x${n}`).join(', ')}`];
}

/** The lines a person needs to reproduce a failure. */
export function describeResult(o: MbtOptions, r: MbtResult): string[] {
  const head = `mbt scope ${o.scope.name}: seed ${r.seed}, ${r.runs} runs of up to ${r.maxCommands} commands, ${r.commands} commands, ${r.seconds.toFixed(2)}s`;
  if (r.ok) return [head, 'result: no divergence', ...svaCoverage(o, r)];
  const f = r.failure!;
  return [
    head,
    `result: DIVERGENCE at step ${f.step}: ${f.why}`,
    ...f.actions.map((a, i) => `  ${i + 1}. ${formatAction(a)}`),
    `replay: npm run mbt -- --scope ${o.scope.name} --seed ${r.seed} --path '${f.path}' --replay-path '${f.replayPath}'`,
    `fast-check: { seed: ${r.seed}, path: "${f.path}", endOnFailure: true } with fc.commands(..., { replayPath: "${f.replayPath}" })`,
    ...(f.trace ? [`trace: ${f.trace} (ioasid-verify replay ${f.trace})`] : []),
  ];
}

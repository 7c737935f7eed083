/**
 * `outcomes`: solver-driven tests of the implementation. For every (action,
 * result) pair the `reference` model can produce, Z3 finds a shortest trace
 * that produces it (proofs/outcomes.ts); each is replayed step by step on the
 * model and on src/kernel/ (conformance lockstep), and written as ITF under
 * --out. Coverage = pairs whose trace replays on the kernel without divergence
 * / producible pairs. Pairs the proved invariants rule out are listed apart.
 */
import { join } from 'node:path';
import { REFERENCE_DESIGN, REFERENCE_RULES, allScopeActions, isSvaActionType } from '../../../model/index';
import type { AnyActionType, Result } from '../../../model/index';
import { searchOutcomes } from '../../explore/outcomeSearch';
import { type OutcomesResult, outcomes } from '../../../proofs/outcomes';
import { replaySteps } from '../../conformance/replay';
import type { LoadedScope } from '../../scopes';
import { writeTrace } from '../../trace/itf';
import { runModel } from '../../trace/run';
import { type CommandOutput, EXIT, table, writeJsonFile } from '../output';
import { round } from './explore';

export interface OutcomesArgs {
  readonly scope: LoadedScope;
  readonly depth: number;
  /** where to write the traces; none written when undefined */
  readonly out?: string;
  readonly timeoutMs: number;
}

export interface CoveredPair {
  readonly action: AnyActionType;
  readonly result: Result;
  /** steps in the shortest trace (the last one returns `result`) */
  readonly length: number;
  /** the model's last result is `result` */
  readonly model: boolean;
  /** replayed on the kernel: null if no divergence, else the first one */
  readonly divergence: string | null;
  readonly trace?: string;
}

export interface Coverage {
  readonly pairs: readonly CoveredPair[];
  /** pairs found and replayed on the kernel without divergence */
  readonly reached: number;
  /** pairs not ruled out by the proved invariants */
  readonly producible: number;
}

/** Replays every trace outcomes() found on the model and the kernel; writes ITF when `out` is given. */
export function replayOutcomes(a: OutcomesArgs, r: OutcomesResult): Coverage {
  const scope = a.scope.scope;
  const pairs = r.found.map((f): CoveredPair => {
    const run = runModel(scope, REFERENCE_RULES, f.actions);
    const replay = replaySteps(
      scope,
      REFERENCE_RULES,
      run.steps.map((s) => ({ action: s.action, expected: s.result })),
    );
    const d = replay.steps.flatMap((s) => s.divergences)[0];
    const model = run.steps.at(-1)?.result === f.result;
    let trace: string | undefined;
    if (a.out !== undefined) {
      trace = join(a.out, `outcome--${f.type}--${f.result.replace(/[^A-Za-z0-9]+/g, '_')}.itf.json`);
      const description = `A shortest trace (${f.actions.length} steps, found by Z3) whose last step, ${f.type}, returns ${f.result} under reference at scope ${a.scope.name}.`;
      writeJsonFile(trace, writeTrace({ design: { name: REFERENCE_DESIGN.name, rules: REFERENCE_RULES }, scope: a.scope, description }, run.init, run.steps));
    }
    return {
      action: f.type,
      result: f.result,
      length: f.actions.length,
      model,
      divergence: d ? `step ${d.index} (${d.kind}): ${d.detail}` : model ? null : `the model's last result is not ${f.result}`,
      ...(trace ? { trace } : {}),
    };
  });
  const reached = pairs.filter((p) => p.model && p.divergence === null).length;
  const producible = r.found.length + r.unknown.length + r.unproducible.filter((u) => u.proof === 'depth').length;
  return { pairs, reached, producible };
}

export function outcomesOutput(a: OutcomesArgs, r: OutcomesResult, c: Coverage): CommandOutput {
  const pct = c.producible === 0 ? 100 : (100 * c.reached) / c.producible;
  const rows = c.pairs.map((p) => [p.action, p.result, String(p.length), p.divergence === null ? 'ok' : `DIVERGES: ${p.divergence}`]);
  const ruledOut = r.unproducible.filter((u) => u.proof === 'inductive');
  const notWithin = r.unproducible.filter((u) => u.proof === 'depth');
  const text = [
    `outcomes reference at scope ${a.scope.name}: ${c.reached}/${c.producible} producible (action, result) pairs reached on the kernel (${pct.toFixed(1)}%), ${r.seconds.toFixed(1)}s (prove ${r.proveSeconds.toFixed(1)}s, search ${r.perDepth.map((d) => `${d.depth}:${d.seconds.toFixed(1)}s`).join(' ')})`,
    '',
    table(['action', 'result', 'steps', 'kernel'], rows),
    '',
    `ruled out by the proved invariants (no trace of any length): ${ruledOut.map((u) => `${u.type} ${u.result}`).join(', ') || 'none'}`,
    ...(notWithin.length > 0 ? [`not found within ${r.depth + 1} steps (a bound, not a proof): ${notWithin.map((u) => `${u.type} ${u.result}`).join(', ')}`] : []),
    ...(r.unknown.length > 0 ? [`unknown (a query ran out of time): ${r.unknown.map((u) => `${u.type} ${u.result}`).join(', ')}`] : []),
  ].join('\n');
  const diverged = c.pairs.some((p) => p.divergence !== null);
  const exit = diverged ? EXIT.failed : r.unknown.length > 0 || notWithin.length > 0 ? EXIT.unknown : EXIT.ok;
  return {
    json: {
      scope: a.scope.label,
      depth: r.depth,
      seconds: round(r.seconds),
      proveSeconds: round(r.proveSeconds),
      perDepth: r.perDepth,
      coverage: { reached: c.reached, producible: c.producible },
      pairs: c.pairs,
      unproducible: r.unproducible,
      unknown: r.unknown,
    },
    text,
    exit,
  };
}

export async function outcomesCommand(a: OutcomesArgs): Promise<CommandOutput> {
  if (a.scope.scope.sva === true) return svaOutcomesCommand(a);
  const r = await outcomes(a.scope.scope, { depth: a.depth, timeoutMs: a.timeoutMs });
  return outcomesOutput(a, r, replayOutcomes(a, r));
}

// ---- SVA scopes (DESIGN.md §10) ------------------------------------------------

/** ▶ The results §10 gives each SVA action (a PASID counts as N). */
export const SVA_RESULTS: Readonly<Record<string, readonly Result[]>> = {
  sva_bind: ['N', '-ESRCH', '-EPERM', '-EEXIST', '-ENOSPC', '-EBUSY'],
  sva_unbind: ['0', '-ESRCH', '-EPERM', '-ENOENT'],
  sva_submit: ['queued', 'retry', 'fault'],
  exit_files: ['0', 'idle'],
};

/**
 * `outcomes` at an SVA scope. The reference's reachable states are walked
 * exhaustively (seconds at `sva`; the Z3 encoding covers §10 too, but its
 * outcome search there has not been measured to be as cheap)
 * (src/explore/outcomeSearch.ts): every SVA action over its whole argument
 * space (0..n+1) is tried in every state; each (action, result) met gets a
 * shortest trace, replayed on the kernel; a §10 result never met is produced
 * by no trace at this scope. §3's pairs are left to `outcomes` at a scope
 * without SVA.
 */
export function svaOutcomesCommand(a: OutcomesArgs): CommandOutput {
  const scope = a.scope.scope;
  const probes = allScopeActions(scope).filter((x) => isSvaActionType(x.type));
  const search = searchOutcomes(scope, REFERENCE_RULES, probes);
  const pairs = search.hits.map((h): CoveredPair => {
    const run = runModel(scope, REFERENCE_RULES, h.actions);
    const replay = replaySteps(scope, REFERENCE_RULES, run.steps.map((s) => ({ action: s.action, expected: s.result })));
    const d = replay.steps.flatMap((s) => s.divergences)[0];
    let trace: string | undefined;
    if (a.out !== undefined) {
      trace = join(a.out, `outcome--${h.type}--${h.result.replace(/[^A-Za-z0-9]+/g, '_')}.itf.json`);
      const description = `A shortest trace (${h.actions.length} steps, found by exhaustive search) whose last step, ${h.type}, returns ${h.result} under reference at scope ${a.scope.name}.`;
      writeJsonFile(trace, writeTrace({ design: { name: REFERENCE_DESIGN.name, rules: REFERENCE_RULES }, scope: a.scope, description }, run.init, run.steps));
    }
    return { action: h.type, result: h.result, length: h.actions.length, model: true, divergence: d ? `step ${d.index} (${d.kind}): ${d.detail}` : null, ...(trace ? { trace } : {}) };
  });
  const never = Object.entries(SVA_RESULTS).flatMap(([type, results]) => results.filter((r) => !pairs.some((p) => p.action === type && p.result === r)).map((r) => `${type} ${r}`));
  const reached = pairs.filter((p) => p.divergence === null).length;
  const rows = pairs.map((p) => [p.action, p.result, String(p.length), p.divergence === null ? 'ok' : `DIVERGES: ${p.divergence}`]);
  const text = [
    `outcomes reference at scope ${a.scope.name} (SVA, DESIGN.md §10): ${reached}/${pairs.length} (action, result) pairs of the SVA calls reached on the kernel, by exhaustive search of ${search.states} states in ${search.seconds.toFixed(1)}s (§3's pairs: run outcomes at a scope without SVA)`,
    '',
    table(['action', 'result', 'steps', 'kernel'], rows),
    '',
    `produced by no trace at this scope (exhaustive): ${never.join(', ') || 'none'}`,
  ].join('\n');
  return {
    json: { scope: a.scope.label, search: 'exhaustive', states: search.states, seconds: round(search.seconds), coverage: { reached, producible: pairs.length }, pairs, unproducible: never },
    text,
    exit: reached === pairs.length ? EXIT.ok : EXIT.failed,
  };
}

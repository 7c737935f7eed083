/**
 * `prove [--variant V]`: Z3 proofs that the invariants are inductive, one
 * obligation per (invariant, action kind) plus Init. A refuted obligation
 * prints its counterexample to induction as a pre-state, action and
 * post-state, rendered like a trace step. Unknown (timeout) is never proved.
 */
import { type Design, INVARIANT_NAMES, type Scope, type State, formatAction, initialState, scopeKey, scopeSpaceWork, violated } from '../../../model/index';
import { type Obligation, type ProveResult, prove } from '../../../proofs/prove';
import type { SweepResult, SweepScope } from '../../../proofs/sweep';
import { ToolError } from '../../errors';
import { stateChanges } from '../../render/changes';
import { eta } from '../progress';
import type { LoadedScope } from '../../scopes';
import { stateVars } from '../../trace/itf';
import { type CommandOutput, EXIT, table } from '../output';
import { round } from './explore';
import { sweepDesign } from './proofBridge';
import type { Shard, ShardInfo } from '../../sweep/shard';
import { runSweep } from '../../sweep/sweep';

export interface ProveArgs {
  readonly scope: LoadedScope;
  readonly design: Design;
  readonly timeoutMs: number;
  /**
   * Decide every obligation even in a flawed variant (Houdini to its fixpoint:
   * minutes for the variants that recycle at destroy). Without it a flawed
   * variant stops once each invariant DESIGN §5 expects to fail is refuted,
   * and what was not decided by then is reported unknown ('not checked').
   */
  readonly full?: boolean;
}

const isDesignInvariant = (name: string): boolean => (INVARIANT_NAMES as readonly string[]).includes(name);

function ctiText(a: ProveArgs, o: Obligation): string[] {
  const c = o.cti!;
  return ctiLines(a.scope.scope, o.invariant, c.action.type, c.pre, `${formatAction(c.action)} -> ${c.result}`, c.post, c.modelAgrees);
}

/** A counterexample to induction as people read it (prove, prove --parametric); --json has every variable of the pre-state. */
export function ctiLines(scope: Scope, invariant: string, after: string, pre: State, action: string, post: State, modelAgrees: boolean | null): string[] {
  // The pre-state in domain words: what differs from the initial state.
  const fromInit = stateChanges(scope, initialState(scope), pre);
  return [
    `counterexample to induction: ${invariant} after ${after}`,
    `  pre-state (satisfies every claim assumed, violates: ${violated(scope, pre).join(', ') || 'nothing'}), as it differs from the initial state:`,
    ...(fromInit.length > 0 ? fromInit.map((l) => `    ${l}`) : ['    (the initial state)']),
    `  action: ${action}`,
    `  changes: ${stateChanges(scope, pre, post).join('; ') || 'none'}`,
    `  post-state violates: ${violated(scope, post).join(', ') || 'nothing'}${modelAgrees === false ? '  (WARNING: model/step.ts disagrees with the encoding here)' : ''}`,
  ];
}

/** Why each kind of unknown is unknown, and what to try. */
function unknownAdvice(reason: string, timeoutMs: number): string {
  if (reason === 'slot bound not proved')
    return 'the encoding gives each process a fixed number of file and IOASID slots (proofs/layout.ts); until the slots-suffice obligations are proved, a proof within the slots is no proof for the scope. See the slots-suffice row: refuted means this scope needs more slots than the layout has, unknown that Z3 gave up (try a larger --timeout)';
  if (reason.startsWith('proved assuming claims left undecided'))
    return 'proved, but leaning on an auxiliary claim that was left undecided; --full decides every claim';
  return `Z3 gave up within the per-query timeout of ${timeoutMs} ms; try a larger --timeout (up to 3600000)`;
}

/** The unknown obligations, grouped by why, each group with a few examples and how many more. */
export function unknownLines(unknown: readonly Obligation[], timeoutMs: number): string[] {
  const groups = new Map<string, Obligation[]>();
  for (const o of unknown) {
    const why = o.reason?.startsWith('proved assuming claims left undecided') ? 'proved assuming claims left undecided' : (o.reason ?? 'solver gave up');
    groups.set(why, [...(groups.get(why) ?? []), o]);
  }
  const SHOWN = 5;
  return [...groups].flatMap(([why, os]) => [
    '',
    `${os.length} unknown: ${why}: ${unknownAdvice(why, timeoutMs)}`,
    ...os.slice(0, SHOWN).map((o) => `  ${o.invariant} after ${o.action}${o.reason && o.reason !== why ? ` (${o.reason})` : ''}`),
    ...(os.length > SHOWN ? [`  ... and ${os.length - SHOWN} more (--json has them all)`] : []),
  ]);
}

export function proveOutput(a: ProveArgs, r: ProveResult): CommandOutput {
  const statusOf = (name: string): string => {
    const os = r.obligations.filter((o) => o.invariant === name);
    const n = (s: string) => os.filter((o) => o.status === s).length;
    return `${n('proved')} proved, ${n('refuted')} refuted, ${n('unknown')} unknown`;
  };
  const names = [...new Set(r.obligations.map((o) => o.invariant))];
  const rows = names.map((name) => [name, isDesignInvariant(name) ? 'DESIGN §4' : 'auxiliary', statusOf(name)]);
  const refuted = r.obligations.filter((o) => o.status === 'refuted');
  const unknown = r.obligations.filter((o) => o.status === 'unknown');
  const notChecked = unknown.filter((o) => o.reason === 'not checked');
  const gaveUp = unknown.filter((o) => o.reason !== 'not checked');
  // One counterexample per refuted invariant is enough to read; --json has them all.
  // Prefer a counterexample model/step.ts confirms (a pre-state may break claims dropped earlier).
  const agreeFirst = (os: Obligation[]): Obligation[] => [...os.filter((o) => o.cti!.modelAgrees === true), ...os.filter((o) => o.cti!.modelAgrees !== true)];
  const shown = names.flatMap((n) => agreeFirst(refuted.filter((o) => o.invariant === n && o.cti)).slice(0, 1));
  const text = [
    `prove ${a.design.name} at scope ${a.scope.name}: ${r.obligations.length} obligations, ${r.obligations.length - refuted.length - unknown.length} proved, ${refuted.length} refuted, ${unknown.length} unknown (${r.seconds.toFixed(1)}s)`,
    '',
    table(['claim', 'kind', 'obligations'], rows),
    ...shown.flatMap((o) => ['', ...ctiText(a, o)]),
    ...(notChecked.length > 0
      ? ['', `${notChecked.length} obligations not checked (unknown): prove stopped once ${(a.design.expect ?? []).join(' and ')} ${(a.design.expect ?? []).length === 1 ? 'was' : 'were'} refuted; --full decides them`]
      : []),
    ...unknownLines(gaveUp, a.timeoutMs),
  ].join('\n');
  const json = {
    variant: a.design.name,
    rules: a.design.rules,
    scope: a.scope.label,
    seconds: round(r.seconds),
    rounds: r.rounds,
    claims: r.claims,
    obligations: r.obligations.map((o) => ({
      invariant: o.invariant,
      action: o.action,
      status: o.status,
      seconds: round(o.seconds),
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.cti
        ? { cti: { pre: stateVars(o.cti.pre), action: o.cti.action, result: o.cti.result, post: stateVars(o.cti.post), modelAgrees: o.cti.modelAgrees } }
        : {}),
    })),
  };
  const exit = refuted.length > 0 ? EXIT.failed : unknown.length > 0 ? EXIT.unknown : EXIT.ok;
  return { json, text, exit };
}

export async function proveCommand(a: ProveArgs): Promise<CommandOutput> {
  const expected = (a.design.expect ?? []);
  const until = a.full || expected.length === 0 ? {} : { until: expected };
  return proveOutput(a, await prove(a.scope.scope, a.design.rules, { timeoutMs: a.timeoutMs, ...until }));
}

/** Enumeration work past which --up-to refuses a bound: seconds to list, and far more scopes than a sweep could prove. */
const MAX_SWEEP_WORK = 1e7;

export interface SweepArgs {
  /** the bound: every scope no larger than it is proved */
  readonly bound: LoadedScope;
  readonly design: Design;
  readonly timeoutMs: number;
  readonly full?: boolean;
  readonly progress?: (line: string) => void;
  /** scopes proved at once, each in its own process (default 1: in this process) */
  readonly jobs?: number;
  /** only this slice of the scopes (src/sweep/shard.ts) */
  readonly shard?: Shard;
}

/** `prove --up-to BOUND`: prove() at every scope up to the bound, one line per scope that is not proved. */
export async function sweepCommand(a: SweepArgs): Promise<CommandOutput> {
  const t0 = performance.now();
  const work = scopeSpaceWork(a.bound.scope);
  if (work > MAX_SWEEP_WORK) {
    throw new ToolError('E_TOO_LARGE', `--up-to ${a.bound.name}: enumerating the scopes up to it takes about ${work.toExponential(1)} steps (limit ${MAX_SWEEP_WORK.toExponential(0)}); use a smaller bound`);
  }
  const onScope = a.progress
    ? (s: SweepScope, done: number, n: number) => {
        const secs = (performance.now() - t0) / 1000;
        a.progress!(`prove ${a.design.name} up to ${a.bound.name}${a.shard ? ` (slice ${a.shard.index}/${a.shard.count})` : ''}: ${done}/${n} scopes, last ${s.status} (${s.key}), ${secs.toFixed(0)}s${eta(secs, done, n)}`);
      }
    : undefined;
  const design = sweepDesign(a.design, a.bound.scope);
  const r = await runSweep({ bound: a.bound.scope, design, timeoutMs: a.timeoutMs, full: a.full === true, jobs: a.jobs ?? 1, ...(a.shard ? { shard: a.shard } : {}), ...(onScope ? { onScope } : {}) });
  const shard = r.shard ? { shard: { index: r.shard.index, count: r.shard.count, of: r.shard.of, timeoutMs: a.timeoutMs, full: a.full === true } } : {};
  return sweepOutput(a, r, shard);
}

/** The text and JSON of a sweep's result: of `prove --up-to`, one slice of it, or the merge of its slices. */
export function sweepOutput(a: { readonly bound: LoadedScope; readonly design: Pick<Design, 'name' | 'rules'> }, r: Pick<SweepResult, 'scopes' | 'status' | 'seconds'>, extra: { shard?: ShardInfo; shards?: number } = {}): CommandOutput {
  const n = (st: string) => r.scopes.filter((s) => s.status === st).length;
  const obligations = r.scopes.reduce((t, s) => t + s.proved + s.refuted + s.unknown, 0);
  const slowest = [...r.scopes].sort((x, y) => y.seconds - x.seconds)[0];
  const failing = r.scopes.filter((s) => s.status !== 'proved');
  const slice = extra.shard;
  const text = [
    `prove ${a.design.name} at every scope up to ${a.bound.name} (${scopeKey(a.bound.scope)}), one per renaming class${slice ? `: SLICE ${slice.index}/${slice.count} only (${r.scopes.length} of ${slice.of} scopes; merge the slices for the sweep)` : extra.shards ? ` (merged from ${extra.shards} slices)` : ''}:`,
    `${r.scopes.length} scopes, ${n('proved')} proved, ${n('refuted')} refuted, ${n('unknown')} unknown; ${obligations} obligations (${extra.shards ? 'longest slice ' : ''}${r.seconds.toFixed(1)}s)`,
    ...(slowest ? [`slowest scope: ${slowest.key} (${slowest.seconds.toFixed(1)}s)`] : []),
    ...failing
      .slice(0, 20)
      .map((s) => `${s.status}: ${s.key}: ${s.refuted} refuted, ${s.unknown} unknown; first ${s.first!.invariant} after ${s.first!.action}${s.first!.reason ? ` (${s.first!.reason})` : ''}`),
    ...(failing.length > 20 ? [`... and ${failing.length - 20} more (--json has them all)`] : []),
    ...(failing.length > 0 ? ['run `prove --scope FILE` on one of these scopes for its counterexample to induction'] : []),
  ].join('\n');
  const json = {
    variant: a.design.name,
    rules: a.design.rules,
    bound: a.bound.label,
    seconds: round(r.seconds),
    status: r.status,
    ...extra,
    scopes: r.scopes.map((s) => ({
      key: s.key,
      scope: s.scope,
      status: s.status,
      proved: s.proved,
      refuted: s.refuted,
      unknown: s.unknown,
      seconds: round(s.seconds),
      ...(s.first ? { first: s.first } : {}),
    })),
  };
  const exit = r.status === 'refuted' ? EXIT.failed : r.status === 'unknown' ? EXIT.unknown : EXIT.ok;
  return { json, text, exit };
}

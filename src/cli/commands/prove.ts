/**
 * `prove [--variant V]`: Z3 proofs that the invariants are inductive, one
 * obligation per (invariant, action kind) plus Init. A refuted obligation
 * prints its counterexample to induction as a pre-state, action and
 * post-state, rendered like a trace step. Unknown (timeout) is never proved.
 */
import { INVARIANT_NAMES, VARIANTS, type Variant, formatAction, violated } from '../../../model/index';
import { type Obligation, type ProveResult, prove } from '../../../proofs/prove';
import { stateChanges } from '../../render/changes';
import type { LoadedScope } from '../../scopes';
import { stateVars } from '../../trace/itf';
import { type CommandOutput, EXIT, table } from '../output';
import { round } from './explore';

export interface ProveArgs {
  readonly scope: LoadedScope;
  readonly variant: Variant;
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
  const scope = a.scope.scope;
  return [
    `counterexample to induction: ${o.invariant} after ${c.action.type}`,
    `  pre-state (satisfies every claim assumed, violates: ${violated(scope, c.pre).join(', ') || 'nothing'}):`,
    `    ${JSON.stringify(stateVars(c.pre))}`,
    `  action: ${formatAction(c.action)} -> ${c.result}`,
    `  changes: ${stateChanges(scope, c.pre, c.post).join('; ') || 'none'}`,
    `  post-state violates: ${violated(scope, c.post).join(', ') || 'nothing'}${c.modelAgrees === false ? '  (WARNING: model/step.ts disagrees with the encoding here)' : ''}`,
  ];
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
    `prove ${a.variant} at scope ${a.scope.name}: ${r.obligations.length} obligations, ${r.obligations.length - refuted.length - unknown.length} proved, ${refuted.length} refuted, ${unknown.length} unknown (${r.seconds.toFixed(1)}s)`,
    '',
    table(['claim', 'kind', 'obligations'], rows),
    ...shown.flatMap((o) => ['', ...ctiText(a, o)]),
    ...(notChecked.length > 0
      ? ['', `${notChecked.length} obligations not checked (unknown): prove stopped once ${VARIANTS[a.variant].expectedToFail.join(' and ')} were refuted; --full decides them`]
      : []),
    ...gaveUp.slice(0, 5).map((o) => `unknown: ${o.invariant} after ${o.action}: ${o.reason ?? 'solver gave up'}`),
  ].join('\n');
  const json = {
    variant: a.variant,
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
  const expected = VARIANTS[a.variant].expectedToFail;
  const until = a.full || expected.length === 0 ? {} : { until: expected };
  return proveOutput(a, await prove(a.scope.scope, a.variant, { timeoutMs: a.timeoutMs, ...until }));
}

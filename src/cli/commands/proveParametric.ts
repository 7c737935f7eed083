/**
 * `prove --parametric [--variant V | --design FILE | --rule ...]`: the
 * invariants of DESIGN.md §4 proved for every scope at once (proofs/param),
 * one obligation per (invariant, action) plus Init. A refuted obligation
 * prints its counter-model, decoded into a scope and a model state, like the
 * counterexamples to induction of `prove`, with model/step.ts's verdict on the
 * same step. A timeout is `unknown`, never `proved`. Every rule is encoded
 * except the SVA one (DESIGN §10), which is refused.
 */
import { type Design, INVARIANT_NAMES, type Scope, formatAction } from '../../../model/index';
import { checkScope } from '../../scopes';
import { type ParamObligation, type ParamResult, proveParametric } from '../../../proofs/param/index';
import { stateVars } from '../../trace/itf';
import { type CommandOutput, EXIT, table } from '../output';
import { round } from './explore';
import { parametricRules } from './proofBridge';
import { ctiLines } from './prove';

export interface ParametricArgs {
  readonly design: Design;
  readonly timeoutMs: number;
  /** decide every obligation even in a flawed design (see ProveArgs.full) */
  readonly full?: boolean;
}

const isDesignInvariant = (name: string): boolean => (INVARIANT_NAMES as readonly string[]).includes(name);

/** What the parametric proof covers, in one phrase (README "Proofs: what is and is not covered"). */
export const PARAMETRIC_COVERAGE = 'every scope without the SVA extension (any number of processes, files, IOASIDs, PASIDs, devices, mdevs, VMs, vPASIDs, descriptors; any topology of DESIGN §2; any quota)';

/** Whether `prove --scope FILE` would take the decoded scope (the proof has no size limits, scope files do). */
function scopeFileNote(scope: Scope): string {
  try {
    checkScope(scope, 'the decoded scope');
    return '';
  } catch (e) {
    return `; beyond a scope file's limits: ${(e as Error).message.replace(/^the decoded scope: /, '')}`;
  }
}

function counterModelText(o: ParamObligation): string[] {
  const c = o.counterModel!;
  const action = c.action ? formatAction(c.action) : `${c.transition} (a step of the encoding, no model action of its own)`;
  const verdict =
    c.model === null
      ? 'model/step.ts: not asked (no model action for this step)'
      : `model/step.ts: ${c.action ? formatAction(c.action) : c.transition} -> ${c.model.result}, ${c.model.changed ? 'changes the state' : 'no change'}, ${o.invariant} ${c.model.claimHolds ? 'holds' : 'broken'} after it: ${
          c.modelAgrees
            ? 'confirms the step'
            : 'the model takes another step here (the encoding over-approximates: any free PASID, any queued descriptor, README "Proofs"), or refuses it from a pre-state no run reaches'
        }`;
  return [
    // The verdict line below says what model/step.ts did; a different step is no encoding bug (the abstractions over-approximate).
    ...ctiLines(c.scope, o.invariant, o.action, c.pre, action, c.post, null),
    `  scope (decoded from the counter-model${scopeFileNote(c.scope)}): ${JSON.stringify(c.scope)}`,
    `  ${verdict}`,
  ];
}

export function parametricOutput(a: ParametricArgs, r: ParamResult): CommandOutput {
  const names = r.claims.map((c) => c.name);
  const count = (name: string, s: string): number => r.obligations.filter((o) => o.invariant === name && o.status === s).length;
  const rows = r.claims.map((c) => [
    c.name,
    isDesignInvariant(c.name) ? 'DESIGN §4' : 'auxiliary',
    `${count(c.name, 'proved')} proved, ${count(c.name, 'refuted')} refuted, ${count(c.name, 'unknown')} unknown`,
    c.notEpr ? `not EPR: ${c.notEpr}` : 'EPR',
  ]);
  const refuted = r.obligations.filter((o) => o.status === 'refuted');
  const unknown = r.obligations.filter((o) => o.status === 'unknown');
  const notChecked = unknown.filter((o) => o.reason === 'not checked');
  const gaveUp = unknown.filter((o) => o.reason !== 'not checked');
  // One counter-model per refuted claim; prefer one model/step.ts confirms and whose pre-state breaks no invariant.
  const rank = (o: ParamObligation): number => (o.counterModel?.modelAgrees === true ? 0 : 2) + (o.counterModel?.preViolates.length ? 1 : 0);
  const shown = names.flatMap((n) => refuted.filter((o) => o.invariant === n && o.counterModel).sort((x, y) => rank(x) - rank(y)).slice(0, 1));
  const vacuous = Object.entries(r.enabled).filter(([, v]) => v !== 'sat');
  const text = [
    `prove --parametric ${a.design.name}, for ${PARAMETRIC_COVERAGE}:`,
    `${r.obligations.length} obligations, ${r.obligations.length - refuted.length - unknown.length} proved, ${refuted.length} refuted, ${unknown.length} unknown (${r.seconds.toFixed(1)}s, ${r.rounds} rounds)`,
    '',
    table(['claim', 'kind', 'obligations', 'fragment'], rows),
    ...(vacuous.length > 0 ? ['', `transitions not shown enabled under the claims (their proofs may be vacuous): ${vacuous.map(([t, v]) => `${t} (${v})`).join(', ')}`] : []),
    ...shown.flatMap((o) => ['', ...counterModelText(o)]),
    ...(refuted.length > 0 ? ['', 'a refuted obligation is a counterexample to induction: its pre-state satisfies every claim assumed, but need not be reachable'] : []),
    ...(notChecked.length > 0
      ? ['', `${notChecked.length} obligations not checked (unknown): prove stopped once ${(a.design.expect ?? []).join(' and ')} were refuted; --full decides them`]
      : []),
    ...gaveUp.slice(0, 5).map((o) => `unknown: ${o.invariant} after ${o.action}: ${o.reason ?? 'solver gave up'}`),
  ].join('\n');
  const json = {
    parametric: true,
    variant: a.design.name,
    rules: a.design.rules,
    scope: 'every',
    seconds: round(r.seconds),
    rounds: r.rounds,
    claims: r.claims,
    enabled: r.enabled,
    obligations: r.obligations.map((o) => ({
      invariant: o.invariant,
      kind: o.kind,
      action: o.action,
      status: o.status,
      seconds: round(o.seconds),
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.counterModel
        ? {
            counterModel: {
              transition: o.counterModel.transition,
              scope: o.counterModel.scope,
              pre: stateVars(o.counterModel.pre),
              action: o.counterModel.action,
              post: stateVars(o.counterModel.post),
              preViolates: o.counterModel.preViolates,
              model: o.counterModel.model,
              modelAgrees: o.counterModel.modelAgrees,
            },
          }
        : {}),
    })),
  };
  const exit = refuted.length > 0 ? EXIT.failed : unknown.length > 0 ? EXIT.unknown : EXIT.ok;
  return { json, text, exit };
}

/** E_USAGE for a design the parametric encoding does not cover (before any progress is printed). */
export function refuseUnencoded(design: Design): void {
  parametricRules(design);
}

export async function proveParametricCommand(a: ParametricArgs): Promise<CommandOutput> {
  const rules = parametricRules(a.design);
  const expected = a.design.expect ?? [];
  const until = a.full || expected.length === 0 ? {} : { until: expected };
  return parametricOutput(a, await proveParametric(rules, { timeoutMs: a.timeoutMs, name: a.design.name, ...until }));
}

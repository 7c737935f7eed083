/**
 * A counterexample as an attack run to the end: the shortest violating prefix
 * (its length is the reported length) followed by the witness steps that make
 * the breach observable (witness.ts), as one ITF document. The
 * witness is marked in `#meta` (`"witness": {"from": N, "steps": K, "breach"}`:
 * states N+1.. are witness steps) and in each witness state's own `#meta`.
 */
import type { AnyAction as Action, Design, InvariantName } from '../../model/index';
import { offender } from './offender';
import { type Witness, findWitness } from './witness';
import type { LoadedScope } from '../scopes';
import { writeTrace } from '../trace/itf';
import { runModel } from '../trace/run';

export interface Attack {
  /** the ITF document to write */
  readonly doc: object;
  /** what violates the invariant at the last prefix step, in domain words */
  readonly offender: string;
  /** the continuation that shows the breach; null if the invariant has none or none was found */
  readonly witness: Witness | null;
}

export function attackTrace(
  scope: LoadedScope,
  design: Pick<Design, 'name' | 'rules'>,
  invariant: InvariantName,
  prefix: readonly Action[],
  foundBy: string,
  extraMeta: Record<string, unknown> = {},
): Attack {
  const violating = runModel(scope.scope, design.rules, prefix);
  const last = violating.steps.length > 0 ? violating.steps[violating.steps.length - 1]!.state : violating.init;
  const what = offender(scope.scope, last, invariant);
  const witness = findWitness(scope.scope, design.rules, last, invariant);
  const run = runModel(scope.scope, design.rules, [...prefix, ...(witness?.actions ?? [])]);
  const steps = run.steps.map((s, i) => (i >= prefix.length ? { ...s, witness: true } : s));
  const tail = witness ? ` Then ${witness.actions.length} witness step${witness.actions.length === 1 ? '' : 's'}: ${witness.breach}.` : '';
  const description = `Shortest violation of ${invariant} under ${design.name} at scope ${scope.name}: ${prefix.length} steps (found by ${foundBy}): ${what}.${tail}`;
  const meta = {
    design: { name: design.name, rules: design.rules },
    scope,
    description,
    invariant,
    ...extraMeta,
    length: prefix.length,
    violation: what,
    ...(witness ? { witness: { from: prefix.length, steps: witness.actions.length, breach: witness.breach } } : {}),
  };
  return { doc: writeTrace(meta, run.init, steps), offender: what, witness };
}

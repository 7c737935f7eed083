/**
 * `bmc --variant V --depth K`: Z3 bounded model checking, each invariant's
 * shortest violation up to K steps, decoded into an ITF trace that `replay`
 * accepts. `--json` prints the `invariants` object of `explore`.
 */
import { join } from 'node:path';
import { type Design, INVARIANTS, type InvariantName } from '../../../model/index';
import { bmc } from '../../../proofs/bmc';
import type { LoadedScope } from '../../scopes';
import { attackTrace } from '../../explore/attack';
import { type CommandOutput, EXIT, table, writeJsonFile } from '../output';
import { round } from './explore';

export interface BmcArgs {
  readonly scope: LoadedScope;
  readonly design: Design;
  readonly depth: number;
  readonly out: string;
  readonly timeoutMs: number;
  /** only these invariants (default: all nine) */
  readonly invariants?: readonly InvariantName[];
  /**
   * Assume at every step the claims prove() establishes for this (scope,
   * variant): sound, since each holds in every reachable state, and it is what
   * brings the 10- and 11-step searches at default down to minutes (README).
   * prove runs to its fixpoint first (seconds for reference and no-drain,
   * about 12 minutes for the variants that recycle at destroy).
   */
  readonly lemmas?: boolean;
  /** a progress line after each depth (terminals only) */
  readonly progress?: (line: string) => void;
}

type Verdict =
  | { holds: true; upToDepth: number }
  | { holds: false; length: number; trace: string; replayed: boolean; violation: string; witness?: { steps: number; breach: string } } | { holds: 'unknown'; upToDepth: number; reason: string };

export async function bmcCommand(a: BmcArgs): Promise<CommandOutput> {
  const t0 = performance.now();
  const onDepth = a.progress
    ? (d: { depth: number; settled: number }) =>
        a.progress!(`bmc ${a.design.name}: depth ${d.depth}/${a.depth} searched, ${d.settled} invariants settled, ${((performance.now() - t0) / 1000).toFixed(0)}s`)
    : undefined;
  if (a.lemmas) a.progress?.(`bmc ${a.design.name}: proving the claims to assume...`);
  const searched = INVARIANTS.filter((inv) => a.invariants === undefined || a.invariants.includes(inv.name));
  const r = await bmc(a.scope.scope, a.design.rules, a.depth, {
    timeoutMs: a.timeoutMs,
    invariants: searched.map((inv) => inv.name),
    ...(a.lemmas ? { lemmas: 'prove' as const } : {}),
    ...(onDepth ? { onDepth } : {}),
  });
  const invariants = {} as Record<InvariantName, Verdict>;
  for (const inv of searched) {
    const v = r.invariants[inv.name];
    if (v.holds === true) invariants[inv.name] = { holds: true, upToDepth: v.depth };
    else if (v.holds === 'unknown') invariants[inv.name] = { holds: 'unknown', upToDepth: v.depth, reason: v.reason };
    else {
      const trace = join(a.out, `bmc--${a.design.name}--${inv.name}.itf.json`);
      // Z3 finds the violating prefix; the witness continuation is searched on the model from its last state.
      const attack = attackTrace(a.scope, a.design, inv.name, v.actions, 'Z3 bounded model checking');
      writeJsonFile(trace, attack.doc);
      const witness = attack.witness ? { witness: { steps: attack.witness.actions.length, breach: attack.witness.breach } } : {};
      invariants[inv.name] = { holds: false, length: v.length, trace, replayed: v.replayed, violation: attack.offender, ...witness };
    }
  }
  const rows = searched.map((inv) => {
    const v = invariants[inv.name];
    const violated = (x: { length: number; replayed: boolean }) => `VIOLATED in ${x.length} steps${x.replayed ? '' : ' (WARNING: the model does not confirm this trace)'}`;
    return [inv.name, v.holds === true ? `holds up to ${v.upToDepth} steps` : v.holds === false ? violated(v) : `unknown beyond ${v.upToDepth}: ${v.reason}`, v.holds === false ? v.trace : ''];
  });
  const text = [
    `bmc ${a.design.name} at scope ${a.scope.name}, depth ${a.depth}: ${r.seconds.toFixed(1)}s (${r.perDepth.map((d) => `${d.depth}:${d.seconds.toFixed(1)}s`).join(' ')})`,
    ...(a.lemmas ? [`assuming ${r.lemmas.length} claims proved inductive first: ${r.lemmas.join(', ') || 'none'}`] : []),
    '',
    table(['invariant', 'verdict', 'trace'], rows),
  ].join('\n');
  const values = Object.values(invariants);
  const exit = values.some((v) => v.holds === false) ? EXIT.failed : values.some((v) => v.holds === 'unknown') ? EXIT.unknown : EXIT.ok;
  return {
    json: { variant: a.design.name, scope: a.scope.label, depth: a.depth, seconds: round(r.seconds), perDepth: r.perDepth, lemmas: r.lemmas, invariants },
    text,
    exit,
  };
}

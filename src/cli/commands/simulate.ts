/**
 * `simulate --variant V --runs N --steps L --seed K`: seeded random walks for
 * scopes too large to exhaust. Per invariant: holds in every walk, or the
 * shortest violating walk found, shrunk and written as ITF under --out.
 */
import { join } from 'node:path';
import type { Design, InvariantName } from '../../../model/index';
import { designFlags } from '../../design';
import { MAX_COUNTED, TRIES, simulate } from '../../explore/simulate';
import { expectedToFail } from '../../explore/verdicts';
import type { LoadedScope } from '../../scopes';
import { writeTrace } from '../../trace/itf';
import { runModel } from '../../trace/run';
import { type CommandOutput, EXIT, table, writeJsonFile } from '../output';
import { round } from './explore';

export interface SimulateArgs {
  readonly scope: LoadedScope;
  readonly design: Design;
  readonly runs: number;
  readonly steps: number;
  readonly seed: number;
  readonly out: string;
  readonly invariants?: readonly InvariantName[];
  readonly progress?: (line: string) => void;
}

type SimVerdict = { holds: true } | { holds: false; length: number; foundLength: number; trace: string };

export function simulateCommand(a: SimulateArgs): CommandOutput {
  const r = simulate(a.scope.scope, a.design, {
    runs: a.runs,
    steps: a.steps,
    seed: a.seed,
    ...(a.invariants ? { invariants: a.invariants } : {}),
    onRun: (p) => (p.run % 100 === 0 ? a.progress?.(`walk ${p.run}/${a.runs}, ${p.seconds.toFixed(1)}s`) : undefined),
  });
  const reproduce = `ioasid-verify simulate ${designFlags(a.design)} --scope ${a.scope.name} --runs ${a.runs} --steps ${a.steps} --seed ${a.seed}`;
  const invariants = {} as Record<InvariantName, SimVerdict>;
  for (const name of r.checked) {
    const v = r.violations.get(name);
    if (!v) {
      invariants[name] = { holds: true };
      continue;
    }
    const trace = join(a.out, `simulate--${a.design.name}--${name}.itf.json`);
    const run = runModel(a.scope.scope, a.design.rules, v.actions);
    const description = `A violation of ${name} under ${a.design.name} at scope ${a.scope.name}, found by random walks (seed ${a.seed}) in ${v.foundLength} steps and shrunk to ${v.actions.length}. Reproduce: ${reproduce}`;
    writeJsonFile(trace, writeTrace({ design: { name: a.design.name, rules: a.design.rules }, scope: a.scope, description, invariant: name, seed: a.seed, runs: a.runs, steps: a.steps }, run.init, run.steps));
    invariants[name] = { holds: false, length: v.actions.length, foundLength: v.foundLength, trace };
  }
  const json = {
    variant: a.design.name,
    rules: a.design.rules,
    scope: a.scope.label,
    seed: a.seed,
    runs: a.runs,
    steps: a.steps,
    ...(r.states !== undefined ? { states: r.states } : {}),
    calls: r.calls,
    draws: r.draws,
    seconds: round(r.seconds),
    invariants,
  };
  const rows = r.checked.map((name) => {
    const v = invariants[name];
    const expected = expectedToFail(a.design, name);
    const note = expected === undefined || v.holds !== expected ? '' : expected ? 'not found: the design analysis expects a violation; try more runs or steps' : 'unexpected: the design analysis says it holds';
    return [name, v.holds ? 'holds in every walk' : `VIOLATED in ${v.length} steps (found in ${v.foundLength})`, v.holds ? '' : v.trace, note];
  });
  const text = [
    `simulate ${a.design.name} at scope ${a.scope.name}: ${a.runs} walks of ${a.steps} steps, seed ${a.seed}, ${r.calls} calls (${r.draws} drawn: a candidate that would change nothing is redrawn up to ${TRIES} times), ${r.states ?? `over ${MAX_COUNTED}`} distinct states, ${r.seconds.toFixed(2)}s`,
    '',
    table(['invariant', 'verdict', 'shortest walk', 'note'], rows),
    '',
    `reproduce: ${reproduce}`,
  ].join('\n');
  const failed = Object.values(invariants).some((v) => !v.holds);
  return { json, text, exit: failed ? EXIT.failed : EXIT.ok };
}

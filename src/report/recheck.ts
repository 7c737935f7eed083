/**
 * Re-checking an evidence file where that is cheap: an exploration is run
 * again (when the file claims few enough states), random walks are walked
 * again from their seed, a BMC counterexample's trace is run through the
 * model, a replay is replayed. A file that does not re-check is refused
 * (E_EVIDENCE); one that is too costly to re-check is cited by its digest
 * and marked "not re-checked", with the reason and the command that would.
 */
import { existsSync } from 'node:fs';
import { type Design, INVARIANT_BY_NAME, type InvariantName, REFERENCE_RULES, type Rules, isInvariantName, isVariant, presetDesign } from '../../model/index';
import { replaySteps } from '../conformance/replay';
import { ToolError } from '../errors';
import { explore } from '../explore/explorer';
import { simulate } from '../explore/simulate';
import { resolveScope } from '../scopes';
import { parseRules, readTraceFile } from '../trace/itf';
import { runModel } from '../trace/run';

export type EvidenceKind = 'explore' | 'simulate' | 'bmc' | 'check' | 'prove' | 'prove-parametric' | 'replay' | 'mutation' | 'result';

export interface Recheck {
  readonly rechecked: boolean;
  /** what was re-run and found, or why nothing was */
  readonly text: string;
}

/** Explorations claimed up to this many states are re-run (the reference at `default` has 79,885: about 4 s). */
export const RECHECK_MAX_STATES = 250_000;
/** Random walks up to this many calls in all are re-walked. */
export const RECHECK_MAX_CALLS = 200_000;

const NOT_RECHECKED: Partial<Record<EvidenceKind, string>> = {
  check: 'a full check takes minutes; re-run `ioasid-verify check`',
  prove: 'Z3 proofs take seconds to hours; re-run `ioasid-verify prove`',
  'prove-parametric': 'the parametric Z3 proof takes a minute or more; re-run `ioasid-verify prove --parametric`',
  mutation: 'a Stryker run takes tens of minutes; re-run `npm run mutation`',
  result: 'no command to re-run',
};

type Raw = Record<string, unknown>;
type Claimed = Readonly<Record<string, { holds: boolean | 'unknown'; length?: number; trace?: string }>>;

/** Re-checks `raw` (already validated as `kind`); throws E_EVIDENCE when it disagrees. */
export function recheckEvidence(kind: EvidenceKind, raw: unknown, file: string): Recheck {
  const r = raw as Raw;
  switch (kind) {
    case 'explore':
      return recheckExplore(r, file);
    case 'simulate':
      return recheckSimulate(r, file);
    case 'bmc':
      return recheckBmc(r, file);
    case 'replay':
      return recheckReplay(r, file);
    default:
      return { rechecked: false, text: `not re-checked: ${NOT_RECHECKED[kind] ?? 'no cheap way to re-check it'}` };
  }
}

function disagrees(file: string, what: string): never {
  throw new ToolError('E_EVIDENCE', `evidence file '${file}' does not re-check: ${what}`);
}

function designOf(r: Raw, file: string): Design {
  const name = String(r.variant);
  const base = isVariant(name) ? presetDesign(name).rules : REFERENCE_RULES;
  const rules: Rules = r.rules === undefined ? base : parseRules(r.rules, base, `evidence file '${file}'`);
  return { name, rules };
}

/** Per invariant, holds or the shortest length, from a run's violations. */
function compareVerdicts(file: string, claimed: Claimed, found: ReadonlyMap<InvariantName, { length: number }>, checked: readonly InvariantName[]): void {
  for (const name of checked) {
    const c = claimed[name];
    if (c === undefined) continue;
    const f = found.get(name);
    if (c.holds === true && f) disagrees(file, `${name} is said to hold, the re-run breaks it in ${f.length} steps`);
    if (c.holds === false && !f) disagrees(file, `${name} is said to be violated in ${c.length} steps, the re-run finds it holds`);
    if (c.holds === false && f && c.length !== f.length) disagrees(file, `${name} is said to be violated in ${c.length} steps, the re-run's shortest is ${f.length}`);
  }
}

class TooLarge extends Error {}

function recheckExplore(r: Raw, file: string): Recheck {
  const claimedStates = Number(r.states);
  const scopeText = typeof r.scope === 'string' ? r.scope : 'its scope';
  if (claimedStates > RECHECK_MAX_STATES) {
    return { rechecked: false, text: `not re-checked: ${claimedStates.toLocaleString('en-US')} states, over the ${RECHECK_MAX_STATES.toLocaleString('en-US')} the report re-explores; re-run \`ioasid-verify explore\` at ${scopeText}` };
  }
  const scope = resolveScope(r.scope as string | object).scope;
  const design = designOf(r, file);
  let run;
  try {
    run = explore(scope, design, {
      // A file that understates its states would make the re-run as long as the real exploration: stop at twice the claim.
      onLayer: (p) => {
        if (p.states > 2 * claimedStates + 1) throw new TooLarge();
      },
    });
  } catch (e) {
    if (e instanceof TooLarge) disagrees(file, `it claims ${claimedStates} states, the re-run passed ${2 * claimedStates} before it ended`);
    throw e;
  }
  if (run.states !== claimedStates) disagrees(file, `it claims ${claimedStates} states, the re-run finds ${run.states}`);
  if (run.transitions !== Number(r.transitions)) disagrees(file, `it claims ${String(r.transitions)} transitions, the re-run finds ${run.transitions}`);
  if (run.depth !== Number(r.depth)) disagrees(file, `it claims depth ${String(r.depth)}, the re-run finds ${run.depth}`);
  const found = new Map([...run.violations].map(([k, v]) => [k, { length: v.actions.length }]));
  compareVerdicts(file, r.invariants as Claimed, found, Object.keys(r.invariants as object).filter(isInvariantName));
  return { rechecked: true, text: `re-checked: explored again, ${run.states.toLocaleString('en-US')} states and every verdict and length the same (${run.seconds.toFixed(1)} s)` };
}

function recheckSimulate(r: Raw, file: string): Recheck {
  const runs = Number(r.runs);
  const steps = Number(r.steps);
  if (runs * steps > RECHECK_MAX_CALLS) {
    return { rechecked: false, text: `not re-checked: ${(runs * steps).toLocaleString('en-US')} calls, over the ${RECHECK_MAX_CALLS.toLocaleString('en-US')} the report re-walks; re-run \`ioasid-verify simulate\` with seed ${String(r.seed)}` };
  }
  const scope = resolveScope(r.scope as string | object).scope;
  const claimed = r.invariants as Claimed;
  const invariants = Object.keys(claimed).filter(isInvariantName);
  const sim = simulate(scope, designOf(r, file), { runs, steps, seed: Number(r.seed), invariants });
  if (sim.calls !== Number(r.calls)) disagrees(file, `it claims ${String(r.calls)} calls, the walks from seed ${String(r.seed)} make ${sim.calls}`);
  if (r.states !== undefined && sim.states !== Number(r.states)) disagrees(file, `it claims ${String(r.states)} distinct states, the walks from seed ${String(r.seed)} visit ${String(sim.states)}`);
  const found = new Map([...sim.violations].map(([k, v]) => [k, { length: v.actions.length }]));
  compareVerdicts(file, claimed, found, invariants);
  return { rechecked: true, text: `re-checked: walked again from seed ${String(r.seed)}, every verdict and length the same (${sim.seconds.toFixed(1)} s)` };
}

/** A BMC counterexample is checked by running its trace through the model; "holds up to depth N" is Z3's word alone. */
function recheckBmc(r: Raw, file: string): Recheck {
  const scope = resolveScope(r.scope as string | object).scope;
  const design = designOf(r, file);
  const violated = Object.entries(r.invariants as Claimed).filter(([, v]) => v.holds === false);
  const missing: string[] = [];
  for (const [name, v] of violated) {
    if (!isInvariantName(name)) continue;
    if (v.trace === undefined || !existsSync(v.trace)) {
      missing.push(name);
      continue;
    }
    const actions = readTraceFile(v.trace).steps.map((s) => s.action).slice(0, v.length);
    const run = runModel(scope, design.rules, actions);
    const last = run.steps.length > 0 ? run.steps[run.steps.length - 1]!.state : run.init;
    if (actions.length !== v.length || INVARIANT_BY_NAME[name].holds(scope, last)) {
      disagrees(file, `its ${name} trace ${v.trace} does not break ${name} in ${v.length} steps under the model`);
    }
  }
  const held = Object.values(r.invariants as Claimed).filter((v) => v.holds !== false).length;
  const checked = violated.length - missing.length;
  const parts = [
    ...(checked > 0 ? [`re-checked: ${checked} counterexample trace${checked === 1 ? '' : 's'} run through the model, each breaks its invariant at the stated length`] : []),
    ...(missing.length > 0 ? [`not re-checked: the trace${missing.length === 1 ? '' : 's'} of ${missing.join(', ')} not found`] : []),
    ...(held > 0 ? [`not re-checked: "holds up to depth" (${held}) rests on Z3; re-run \`ioasid-verify bmc\``] : []),
  ];
  return { rechecked: checked > 0 && missing.length === 0 && held === 0, text: parts.join('; ') };
}

function recheckReplay(r: Raw, file: string): Recheck {
  const trace = String(r.file);
  if (!existsSync(trace)) return { rechecked: false, text: `not re-checked: its trace ${trace} was not found` };
  const t = readTraceFile(trace);
  const design = designOf(r, file);
  const scope = r.scope === undefined ? t.scope : resolveScope(r.scope as string | object);
  const again = replaySteps(scope.scope, design.rules, t.steps);
  if (again.divergence !== r.divergence) disagrees(file, `it says the first divergence is ${JSON.stringify(r.divergence)}, replaying ${trace} again gives ${JSON.stringify(again.divergence)}`);
  const claimedSteps = (r.steps as unknown[]).length;
  if (again.steps.length !== claimedSteps) disagrees(file, `it has ${claimedSteps} steps, ${trace} has ${again.steps.length}`);
  return { rechecked: true, text: `re-checked: ${trace} replayed again, ${again.steps.length} steps, ${again.divergence === null ? 'no divergence' : `first divergence at step ${again.divergence}`} as it says` };
}

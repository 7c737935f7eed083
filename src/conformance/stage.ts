/**
 * The conformance stage of `check`: the kernel against the model.
 *  - every shortest violating trace the explorer found for a flawed variant
 *    is run on the kernel: it must keep every invariant at every step (the
 *    reference design defeats the attack), and agree with the reference model
 *    along it;
 *  - seeded random walks run the kernel and the reference model in lockstep
 *    (results, normalized states, invariants): zero divergence.
 * The model-based tests (spec/mbt) do the same at length; this is the quick
 * form CI runs with every check.
 */
import { ANY_ACTION_ARGS, type AnyAction, type Design, REFERENCE_DESIGN, REFERENCE_RULES, type Scope, scopeCandidates, sameRules, formatAction, makeAction, step } from '../../model/index';
import { kernelFor, replayParamsFor } from './kernelConfig';
import type { CheckCase } from '../check/cases';
import { IoasidKernel } from '../kernel/index';
import { Prng } from '../explore/prng';
import type { CounterexampleTrace, VariantVerdict } from '../explore/verdicts';
import { counterexampleTrace } from '../check/designs';
import type { LoadedScope } from '../scopes';
import { divergence, lockstep, startLockstep } from './lockstep';
import { replaySteps } from './replay';

export const WALK_SEED = 20210331;

function timed(f: () => Omit<CheckCase, 'seconds'>): CheckCase {
  const t0 = performance.now();
  const c = f();
  return { ...c, seconds: (performance.now() - t0) / 1000 };
}

/** Runs one explorer trace on the kernel: no invariant may break there, and it must agree with the reference model. */
function defeats(variant: string, invariant: string, found: CounterexampleTrace): CheckCase {
  return timed(() => {
    const name = `kernel defeats ${variant} (${invariant} trace)`;
    const trace = counterexampleTrace(found);
    // The witness steps run on too: the kernel must defeat the attack to its end.
    const r = replaySteps(trace.scope.scope, REFERENCE_RULES, trace.steps);
    const broken = r.steps.find((s) => s.kernelViolated.length > 0);
    const apart = r.steps.flatMap((s) => s.divergences).find((d) => d.kind !== 'expected');
    const message = broken
      ? `step ${broken.index} (${formatAction(broken.action)}): the kernel's state violates ${broken.kernelViolated.join(', ')}`
      : apart
        ? `step ${apart.index}: ${apart.detail}`
        : undefined;
    return { suite: 'conformance', name, status: message ? 'fail' : 'pass', ...(message ? { message } : {}) };
  });
}

/** Seeded walks: mostly calls that change the model state, some of any argument at all. */
export function walkCase(
  scope: Scope,
  walks: number,
  steps: number,
  seed = WALK_SEED,
  makeKernel = (s: Scope) => new IoasidKernel(s),
  design: Pick<Design, 'name' | 'rules'> = REFERENCE_DESIGN,
): CheckCase {
  const { rules } = design;
  return timed(() => {
    const name = `kernel conforms to the ${design.name} model: ${walks} seeded walks of ${steps} calls (seed ${seed})`;
    const rng = new Prng(seed);
    // the scope's whole vocabulary: §3's, and §10's at an SVA scope
    const cands = scopeCandidates(scope, rules);
    const wild = (): number => [0, -1, 1, 2, 3, 4, 2 ** 31][rng.int(7)]!;
    for (let w = 0; w < walks; w++) {
      const ls = startLockstep(scope, rules, makeKernel(scope));
      for (let i = 0; i < steps; i++) {
        let action: AnyAction;
        if (rng.next() < 0.15) {
          const a = cands[rng.int(cands.length)]!;
          action = makeAction(a.type, (ANY_ACTION_ARGS[a.type] as readonly string[]).map(wild));
        } else {
          const moving = cands.filter((a) => step(scope, rules, ls.state, a).state !== ls.state);
          action = moving.length > 0 ? moving[rng.int(moving.length)]! : cands[rng.int(cands.length)]!;
        }
        const why = divergence(lockstep(ls, action));
        if (why !== null) return { suite: 'conformance', name, status: 'fail', message: `walk ${w + 1}, step ${i + 1} (${formatAction(action)}): ${why}` };
      }
    }
    return { suite: 'conformance', name, status: 'pass' };
  });
}

/**
 * The designs among those explored that a kernel configuration implements and
 * defends (the reference, iommufd-busy with destroy_busy; not the 2022 SVA
 * switch, a bug whose walks break invariants by design: spec/conformance/
 * sva.test.ts holds it to its model): the kernel is held to each in lockstep.
 * The reference is always among them.
 */
function kernelConfigs(explored: readonly { readonly verdict: VariantVerdict }[]): Pick<Design, 'name' | 'rules'>[] {
  const out: Pick<Design, 'name' | 'rules'>[] = [REFERENCE_DESIGN];
  for (const e of explored) {
    const { rules } = e.verdict.design;
    if (replayParamsFor(rules) !== undefined && !out.some((d) => sameRules(d.rules, rules))) out.push({ name: e.verdict.variant, rules });
  }
  return out;
}

/** A design as explored: its verdict, and the counterexample traces its verdict names. */
type Explored = { readonly verdict: VariantVerdict; readonly traces: readonly CounterexampleTrace[] };

/**
 * One case per design (named by the design, not by what was found, so JUnit
 * names stay put): the kernel defeats every counterexample found for it; a
 * design with none passes with a message saying there was nothing to replay.
 */
export function conformanceCases(explored: readonly Explored[], scope: LoadedScope): CheckCase[] {
  const perDesign = explored.map((e): CheckCase => {
    const runs = Object.entries(e.verdict.invariants).flatMap(([inv, v]) => {
      const found = v.holds ? undefined : e.traces.find((t) => t.path === v.trace);
      return found ? [defeats(e.verdict.variant, inv, found)] : [];
    });
    const name = `kernel defeats every counterexample of ${e.verdict.variant}`;
    const seconds = runs.reduce((t, c) => t + c.seconds, 0);
    const bad = runs.filter((c) => c.status !== 'pass');
    if (bad.length > 0) return { suite: 'conformance', name, status: 'fail', seconds, message: bad.map((c) => `${c.name}: ${c.message ?? 'failed'}`).join('; ') };
    return { suite: 'conformance', name, status: 'pass', seconds, message: runs.length === 0 ? 'no counterexample to replay' : runs.map((c) => c.name.replace(/^kernel defeats /, '')).join('; ') };
  });
  return [...perDesign, ...kernelConfigs(explored).map((d) => walkCase(scope.scope, 200, 60, WALK_SEED, (s) => kernelFor(s, d.rules), d))];
}

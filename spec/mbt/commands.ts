import { REFERENCE_RULES, type Rules } from '../../model/index';
/**
 * The fast-check commands of the model-based tests: every action of
 * DESIGN.md §3, and of §10 at an SVA scope. A command is drawn as a type, a way to choose and numbers;
 * it picks its action when it runs, from the model state: two draws in five
 * step a random walk (any call that changes the state, so sequences reach
 * queued work, parked PASIDs and recycles), one a call of its type that
 * succeeds now, one any call of its type the static checks let through, one
 * raw integers from the whole range (in range, 0, one past the end, negative,
 * huge), as unreliable userspace would. The action run is what is logged,
 * printed and written to a trace, so a failure replays without fast-check.
 *
 * fast-check's model is a box around the current model State: our model is
 * pure, so `run` replaces the state in the box and never mutates one.
 */
import fc from 'fast-check';
import { IoasidKernel } from '../../src/kernel/index';
import { divergence, mirrorDivergence, stepBoth, type StepReport } from '../../src/conformance/lockstep';
import { kernelParamsFor, replayParamsFor } from '../../src/conformance/kernelConfig';
import {
  ANY_ACTION_ARGS,
  type AnyAction as Action,
  type AnyActionType as ActionType,
  type Scope,
  type State,
  actionTypesOf,
  scopeCandidates,
  formatAction,
  initialState,
  makeAction,
  step,
} from '../../model/index';

export interface MbtModel {
  state: State;
}

export interface MbtReal {
  readonly kernel: IoasidKernel;
  /** the actions run so far in this sequence */
  readonly log: Action[];
  /** outcomes seen, over all sequences: `${action} ${result}` -> count */
  readonly seen: Map<string, number>;
}

/** An outcome as counted in `seen`: a positive number (fd, handle) counts as 'N'. */
export const outcome = (a: Action, result: string): string => `${a.type} ${/^[1-9]/.test(result) ? 'N' : result}`;

/** Called with the whole sequence up to the step that diverged, before the command throws. */
export type OnDivergence = (actions: readonly Action[], report: StepReport, why: string) => void;

/** One drawn action, resolved against the model state, then checked against the reference model. */
export class ActionCommand implements fc.Command<MbtModel, MbtReal> {
  /** the action it ran, once it has */
  private action: Action | undefined;

  constructor(
    readonly scope: Scope,
    private readonly cands: Candidates,
    private readonly rules: Rules,
    readonly draw: Draw,
    private readonly onDivergence: OnDivergence,
  ) {}

  check(): boolean {
    return true; // unreliable userspace: any call, any order, any handle
  }

  run(m: MbtModel, r: MbtReal): void {
    const action = (this.action = resolve(this.scope, this.rules, this.cands, m.state, this.draw));
    r.log.push(action);
    const report = stepBoth(this.scope, this.rules, m.state, r.kernel, action);
    m.state = report.state;
    const key = outcome(action, report.kernel);
    r.seen.set(key, (r.seen.get(key) ?? 0) + 1);
    const why = (reproducesBug(this.rules) ? mirrorDivergence : divergence)(report);
    if (why === null) return;
    this.onDivergence([...r.log], report, why);
    throw new Error(`step ${r.log.length}: ${formatAction(action)}: ${why}`);
  }

  toString(): string {
    return this.action ? formatAction(this.action) : `${this.draw.type}(${this.draw.how} #${this.draw.index})`;
  }
}

export type KernelFactory = (scope: Scope) => IoasidKernel;

/**
 * A design the kernel reproduces but does not defend (the 2022 SVA switch):
 * its model breaks invariants by design, so the kernel is held to break
 * exactly the same ones at the same steps (mirrorDivergence).
 */
export const reproducesBug = (rules: Rules): boolean => kernelParamsFor(rules) !== undefined && replayParamsFor(rules) === undefined;

export function setup(scope: Scope, seen: Map<string, number>, makeKernel: KernelFactory = (s) => new IoasidKernel(s)): () => { model: MbtModel; real: MbtReal } {
  return () => ({ model: { state: initialState(scope) }, real: { kernel: makeKernel(scope), log: [], seen } });
}

/** A raw argument: mostly in 1..n, sometimes 0, n+1, -1, or anything at all. */
export function argArb(n: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1, max: Math.max(1, n) }) },
    { weight: 1, arbitrary: fc.constantFrom(0, n + 1, -1) },
    { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }) },
  );
}

function bounds(scope: Scope): Record<string, number> {
  return {
    proc: scope.procs, fd: scope.fdsPerProc, ioasid: scope.quota, pasid: scope.pasids, vpasid: scope.vpasids,
    dev: scope.devices.length, mdev: scope.mdevs.length, vm: scope.vms.length,
  };
}

/**
 * How often each action is drawn. Teardown is rare, or most sequences would
 * spend their length on a process that has exited.
 */
export const WEIGHTS: Readonly<Record<ActionType, number>> = {
  open: 20, close: 6, alloc: 24, destroy: 10, attach: 20, detach: 10,
  mdev_allow_pasid: 20, mdev_attach: 24, mdev_detach: 10,
  kvm_set_ioasid_fd: 20, kvm_enable_enqcmd: 16, kvm_map_pasid: 24, kvm_unmap_pasid: 10, vm_destroy: 2,
  exit: 1, dma: 20, enqcmd: 24, swq_exec: 20, deliver: 2,
  // §10, drawn only at SVA scopes; exit_files matters only after an exit, which is rare
  sva_bind: 20, sva_unbind: 8, sva_submit: 24, exit_files: 6,
};

/**
 * How a command chooses its action when it runs, from the model state:
 * `walk` any call, of any type, that changes the state now (a random walk of
 * the reachable states); `ok` a call of its own type that succeeds now;
 * `static` any call of its type that passes the static ownership checks
 * (scopeCandidates); `raw` its type with the drawn integers as they are.
 * Each falls back to the next when it has nothing to pick from.
 */
export type How = 'walk' | 'ok' | 'static' | 'raw';

export interface Draw {
  readonly type: ActionType;
  readonly how: How;
  readonly index: number;
  readonly raw: readonly number[];
}

const FAILS = new Set(['fault', 'idle', 'retry']);

export interface Candidates {
  readonly all: readonly Action[];
  readonly byType: ReadonlyMap<ActionType, readonly Action[]>;
}

/** The static candidates, all and by type; dma (a pure observation) and deliver are added for the typed draws. */
export function candidates(scope: Scope, rules: Rules = REFERENCE_RULES): Candidates {
  const all = scopeCandidates(scope, rules);
  const typed = [...all, makeAction('deliver', [])];
  for (const d of scope.devices) for (let p = 1; p <= scope.pasids; p++) typed.push(makeAction('dma', [d.id, p]));
  const byType = new Map<ActionType, Action[]>();
  for (const a of typed) byType.set(a.type, [...(byType.get(a.type) ?? []), a]);
  return { all, byType };
}

/** The action a draw names in `state`. */
export function resolve(scope: Scope, rules: Rules, cands: Candidates, state: State, d: Draw): Action {
  const nth = (xs: readonly Action[]): Action | undefined => (xs.length > 0 ? xs[d.index % xs.length] : undefined);
  if (d.how === 'walk') {
    const a = weighted(cands.all.filter((x) => step(scope, rules, state, x).state !== state), d.index);
    if (a) return a;
  }
  if (d.how === 'raw') return makeAction(d.type, d.raw);
  const typed = cands.byType.get(d.type) ?? [];
  const ok = d.how === 'static' ? undefined : nth(typed.filter((a) => succeeds(step(scope, rules, state, a).result)));
  return ok ?? nth(typed) ?? makeAction(d.type, d.raw);
}

/** The action at `index` (mod the total weight) when each takes WEIGHTS of its type. */
function weighted(xs: readonly Action[], index: number): Action | undefined {
  const total = xs.reduce((t, a) => t + WEIGHTS[a.type], 0);
  let at = total > 0 ? index % total : 0;
  for (const a of xs) {
    if (at < WEIGHTS[a.type]) return a;
    at -= WEIGHTS[a.type];
  }
  return undefined;
}

const succeeds = (r: string): boolean => !r.startsWith('-') && !FAILS.has(r);

/** One fc arbitrary drawing a command of any action type of the scope's vocabulary (§3, and §10 at an SVA scope), by WEIGHTS. */
export function commandArb(scope: Scope, onDivergence: OnDivergence, rules: Rules = REFERENCE_RULES): fc.Arbitrary<ActionCommand> {
  const b = bounds(scope);
  const cands = candidates(scope, rules);
  // shrinks towards walk, then the first candidate
  const how = fc.constantFrom<How>('walk', 'walk', 'ok', 'static', 'raw');
  return fc.oneof(
    ...actionTypesOf(scope).map((type) => {
      const names = ANY_ACTION_ARGS[type] as readonly string[];
      const arbitrary = fc
        .record({ how, index: fc.nat({ max: 100_000 }), raw: fc.tuple(...names.map((n) => argArb(b[n]!))) })
        .map((r) => new ActionCommand(scope, cands, rules, { type, ...r }, onDivergence));
      return { weight: WEIGHTS[type], arbitrary };
    }),
  );
}

/**
 * prove() at every scope up to a bound (model/scopeSpace.ts): the per-scope
 * proof repeated over a whole space of scopes, one per isomorphism class,
 * smallest first. This is what "beyond the fixed bounds" means here: not a
 * parametric proof, but every scope no larger than the bound, each proved
 * exactly (see README, "What the proof covers").
 */
import { type Design, type Scope, scopeKey, scopesUpTo } from '../model/index';
import { type ProveResult, type Status, combinedStatus, prove } from './prove';
import { secondsSince } from './z3';

export interface SweepScope {
  readonly scope: Scope;
  /** scopeKey(scope): a one-line name for the scope */
  readonly key: string;
  readonly status: Status;
  readonly proved: number;
  readonly refuted: number;
  readonly unknown: number;
  readonly seconds: number;
  /** the first refuted or undecided obligation, when there is one */
  readonly first?: { readonly invariant: string; readonly action: string; readonly status: Status; readonly reason?: string };
}

export interface SweepResult {
  readonly design: Design;
  readonly bound: Scope;
  readonly scopes: readonly SweepScope[];
  readonly status: Status;
  readonly seconds: number;
}

export interface SweepOptions {
  /** per query (prove's timeoutMs) */
  readonly timeoutMs?: number;
  /** called after each scope is decided: the progress of a long sweep */
  readonly onScope?: (s: SweepScope, index: number, total: number) => void;
  /** a flawed variant: decide every obligation at each scope (prove's default), not stop at the expected refutations */
  readonly full?: boolean;
}

function summary(scope: Scope, r: ProveResult): SweepScope {
  const n = (s: Status) => r.obligations.filter((o) => o.status === s).length;
  const bad = r.obligations.find((o) => o.status === 'refuted') ?? r.obligations.find((o) => o.status === 'unknown');
  const status = combinedStatus(r.obligations);
  return {
    scope,
    key: scopeKey(scope),
    status,
    proved: n('proved'),
    refuted: n('refuted'),
    unknown: n('unknown'),
    seconds: r.seconds,
    ...(bad ? { first: { invariant: bad.invariant, action: bad.action, status: bad.status, ...(bad.reason ? { reason: bad.reason } : {}) } } : {}),
  };
}

/**
 * prove() at one scope of a sweep, summarised: as `prove --variant V`, a flawed
 * design stops once its expected invariants are refuted unless `full`. The
 * step every sweep repeats, whichever process runs it (src/sweep/).
 */
export async function proveScope(scope: Scope, design: Design, opts: Pick<SweepOptions, 'timeoutMs' | 'full'> = {}): Promise<SweepScope> {
  const expected = design.expect ?? [];
  const until = opts.full || expected.length === 0 ? undefined : expected;
  return summary(scope, await prove(scope, design.rules, { timeoutMs: opts.timeoutMs, until }));
}

/** The status of a sweep: refuted if a scope is, else unknown if a scope is, else proved. */
export function sweepStatus(scopes: readonly SweepScope[]): Status {
  return combinedStatus(scopes);
}

export async function sweep(bound: Scope, design: Design, opts: SweepOptions = {}): Promise<SweepResult> {
  const t0 = performance.now();
  const space = scopesUpTo(bound);
  const scopes: SweepScope[] = [];
  for (const [i, scope] of space.entries()) {
    const s = await proveScope(scope, design, opts);
    scopes.push(s);
    opts.onScope?.(s, i, space.length);
  }
  return { design, bound, scopes, status: sweepStatus(scopes), seconds: secondsSince(t0) };
}

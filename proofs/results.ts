/**
 * Results as an Int-coded enum. The symbolic step returns a result as a
 * decision list `Res`: the first case whose condition holds gives the code.
 * Keeping the cases (rather than one ite term) lets outcomes() see which codes
 * an action can possibly return before asking the solver anything.
 */
import type { Result, Scope } from '../model/index';
import type { B, N, Smt } from './z3';

export const ERRNOS = ['-ESRCH', '-EPERM', '-EBADF', '-ENOENT', '-EMFILE', '-EDQUOT', '-ENOSPC', '-EEXIST', '-EBUSY', '-EINVAL'] as const;
export const EVENTS = ['blocked', 'fault', 'idle', 'retry', 'queued'] as const;
/** what `ok:<owner>` becomes when the owner is not a process (never in a reachable state) */
export const UNKNOWN_RESULT = '?';

export interface ResultCase {
  readonly when: B;
  readonly code: number;
}
export type Res = readonly ResultCase[];

/** The result strings of a scope; a string's code is its index. '0'..'n' are codes 0..n. */
export function resultStrings(scope: Scope): string[] {
  // fds, handles (quota + 1: what alloc's handle term reads when none is free), and §10's sva_bind PASIDs
  const maxNumber = Math.max(scope.fdsPerProc, scope.quota + 1, scope.sva === true ? scope.pasids : 0);
  const out: string[] = [];
  for (let n = 0; n <= maxNumber; n++) out.push(String(n));
  out.push(...ERRNOS, ...EVENTS);
  for (let p = 1; p <= scope.procs; p++) out.push(`ok:${p}`);
  out.push(UNKNOWN_RESULT);
  return out;
}

export class ResultCodes {
  readonly strings: readonly string[];
  private readonly index: ReadonlyMap<string, number>;

  constructor(readonly scope: Scope) {
    this.strings = resultStrings(scope);
    this.index = new Map(this.strings.map((s, i) => [s, i]));
  }

  code(result: Result): number {
    const c = this.index.get(result);
    return c ?? this.index.get(UNKNOWN_RESULT)!;
  }

  string(code: number): Result {
    return this.strings[code] ?? UNKNOWN_RESULT;
  }

  /** A result that is always `result`. */
  always(sm: Smt, result: Result): Res {
    return [{ when: sm.T, code: this.code(result) }];
  }

  /** `ok:<owner>`, the owner being a symbolic process number. */
  ok(sm: Smt, owner: N): Res {
    const cases: ResultCase[] = [];
    for (let p = 1; p <= this.scope.procs; p++) cases.push({ when: sm.eq(owner, p), code: this.code(`ok:${p}`) });
    cases.push({ when: sm.T, code: this.code(UNKNOWN_RESULT) });
    return cases;
  }

  /** A small number (fd, handle) as a result. */
  number(sm: Smt, n: N, max: number): Res {
    const cases: ResultCase[] = [];
    for (let k = 1; k <= max; k++) cases.push({ when: sm.eq(n, k), code: this.code(String(k)) });
    cases.push({ when: sm.T, code: this.code(UNKNOWN_RESULT) });
    return cases;
  }
}

/** The decision list as one Int term. */
export function resTerm(sm: Smt, res: Res): N {
  let e = sm.int(-1);
  for (let i = res.length - 1; i >= 0; i--) e = sm.ite(res[i]!.when, sm.int(res[i]!.code), e);
  return e;
}

/** The decision list gives `code`. */
export function resIs(sm: Smt, res: Res, code: number): B {
  const hits: B[] = [];
  let none = sm.T;
  for (const c of res) {
    if (c.code === code) hits.push(sm.and(none, c.when));
    none = sm.and(none, sm.not(c.when));
    if (sm.isF(none)) break;
  }
  return sm.or(...hits);
}

/** The codes the decision list can give, ignoring cases that can never be reached syntactically. */
export function resCodes(sm: Smt, res: Res): Set<number> {
  const out = new Set<number>();
  for (const c of res) {
    if (sm.isF(c.when)) continue;
    out.add(c.code);
    if (sm.isT(c.when)) break;
  }
  return out;
}

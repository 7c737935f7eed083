/**
 * The one Z3 context of the process (TOOLCHAIN.md: values of two contexts do
 * not mix, and init() costs most of a second): `smt()` memoizes it. `Smt` wraps
 * the context with term builders that fold constants (true/false, small
 * integer literals, identical branches), so that the symbolic step stays as
 * small as the concrete one wherever an argument is known.
 *
 * Every solver is made by `solver(ms)`, which sets a timeout: a query that runs
 * out of time answers `unknown`, and callers report it as such.
 */
import type { Arith, BitVec, Bool, Context, Expr, Model, Solver } from 'z3-solver';

export type Ctx = Context<'main'>;
export type B = Bool<'main'>;
/**
 * A number of the model: a handle, a count, a result code. Either a Z3 Int or
 * a signed bit-vector, as the Smt instance says (see NumberSort); code outside
 * this file only passes numbers to Smt's builders.
 */
export type N = Arith<'main'> | BitVec<number, 'main'>;
type BV = BitVec<number, 'main'>;
type AR = Arith<'main'>;

/**
 * 'int': mathematical integers. 'bv': signed bit-vectors of BV_WIDTH bits,
 * bit-blasted to SAT, much faster for the bounded search of bmc(). Every
 * number of a reachable state is tiny (ids, counts, refcounts, result codes,
 * selectors below 2^10), so the two agree on every reachable state;
 * `Smt.check` is the same either way.
 */
export type NumberSort = 'int' | 'bv';
export const BV_WIDTH = 12;
export type Leaf = B | N;
export type Sol = Solver<'main'>;
export type Mdl = Model<'main'>;
export type Verdict = 'sat' | 'unsat' | 'unknown';

/** Per-query timeout unless a caller asks for another. */
export const DEFAULT_TIMEOUT_MS = 30_000;

let ready: Promise<Smt> | undefined;
/** init()'s context factory, for freshSmt */
let makeContext: ((name: 'main') => Ctx) | undefined;

/**
 * z3-solver frees a term when its JS wrapper is garbage collected, from a
 * FinalizationRegistry callback on the main thread. A check runs on a worker
 * thread, so a finalizer that fires during a check frees terms while the
 * solver is creating others in the same (not thread-safe) term manager: we saw
 * "memory access out of bounds" in ast_manager::delete_node. So the
 * registry z3-solver creates in init() is replaced by one that only queues the
 * frees, and `Smt.check` runs the queue while no check is running.
 */
const pendingFrees: (() => void)[] = [];

class DeferredRegistry<T> extends FinalizationRegistry<T> {
  constructor(cleanup: (held: T) => void) {
    super((held) => pendingFrees.push(() => cleanup(held)));
  }
}

const contexts = new Map<NumberSort, Smt>();

/** The shared context, created once (the first call pays init()), with builders for `sort`. */
export async function smt(sort: NumberSort = 'int'): Promise<Smt> {
  ready ??= (async () => {
    const original = globalThis.FinalizationRegistry;
    globalThis.FinalizationRegistry = DeferredRegistry;
    try {
      const { init } = await import('z3-solver');
      const { Context } = await init();
      makeContext = (name) => Context(name);
      return new Smt(Context('main'), 'int');
    } finally {
      globalThis.FinalizationRegistry = original;
    }
  })();
  const base = await ready;
  contexts.set('int', base);
  let out = contexts.get(sort);
  if (!out) {
    out = new Smt(base.ctx, sort, base);
    contexts.set(sort, out);
  }
  return out;
}

/**
 * A context of its own (Int numbers), for a run whose answers must not depend
 * on what the process asked Z3 before: Z3's search order follows the terms a
 * context has seen, so the same queries in a used context can take another
 * path (the parametric proofs, proofs/param, found a counter-model in seconds
 * in a fresh context and timed out after other proofs). Its checks queue with
 * the shared context's; z3-solver's term finalizers are shared by every
 * context of one init(), so the deferral above covers it.
 */
export async function freshSmt(): Promise<Smt> {
  const base = await smt();
  return new Smt(makeContext!('main'), 'int', base);
}

export class Smt {
  readonly T: B;
  readonly F: B;
  private readonly ints = new Map<number, N>();
  /** ast pointer -> value, for the literals made by `int` (kept alive by `ints`) */
  private readonly litOf = new Map<unknown, number>();

  /** checks of every Smt over this context run one at a time, in the first one's queue */
  private readonly base: Smt;

  constructor(
    readonly ctx: Ctx,
    readonly sort: NumberSort,
    base?: Smt,
  ) {
    this.T = ctx.Bool.val(true);
    this.F = ctx.Bool.val(false);
    this.base = base ?? this;
  }

  int(n: number): N {
    let v = this.ints.get(n);
    if (!v) {
      v = this.sort === 'int' ? this.ctx.Int.val(n) : this.ctx.BitVec.val(n, BV_WIDTH);
      this.ints.set(n, v);
      this.litOf.set(v.ast, n);
    }
    return v;
  }

  /** The value of an integer literal made by `int`, else undefined. */
  lit(e: N): number | undefined {
    return this.litOf.get(e.ast);
  }

  isT(b: B): boolean {
    return b.ast === this.T.ast;
  }

  isF(b: B): boolean {
    return b.ast === this.F.ast;
  }

  bool(x: boolean): B {
    return x ? this.T : this.F;
  }

  intConst(name: string): N {
    return this.sort === 'int' ? this.ctx.Int.const(name) : this.ctx.BitVec.const(name, BV_WIDTH);
  }

  boolConst(name: string): B {
    return this.ctx.Bool.const(name);
  }

  not(b: B): B {
    if (this.isT(b)) return this.F;
    if (this.isF(b)) return this.T;
    return this.ctx.Not(b);
  }

  and(...bs: B[]): B {
    const xs: B[] = [];
    for (const b of bs) {
      if (this.isF(b)) return this.F;
      if (!this.isT(b)) xs.push(b);
    }
    if (xs.length === 0) return this.T;
    if (xs.length === 1) return xs[0]!;
    return this.ctx.And(...xs);
  }

  or(...bs: B[]): B {
    const xs: B[] = [];
    for (const b of bs) {
      if (this.isT(b)) return this.T;
      if (!this.isF(b)) xs.push(b);
    }
    if (xs.length === 0) return this.F;
    if (xs.length === 1) return xs[0]!;
    return this.ctx.Or(...xs);
  }

  implies(a: B, b: B): B {
    return this.or(this.not(a), b);
  }

  ite<T extends Leaf>(c: B, a: T, b: T): T {
    if (this.isT(c) || a.ast === b.ast) return a;
    if (this.isF(c)) return b;
    return this.ctx.If(c, a, b) as unknown as T;
  }

  eq(a: N, b: N | number): B {
    const bb = typeof b === 'number' ? this.int(b) : b;
    if (a.ast === bb.ast) return this.T;
    const x = this.lit(a);
    const y = this.lit(bb);
    if (x !== undefined && y !== undefined) return this.bool(x === y);
    return (a as AR).eq(bb as AR);
  }

  ne(a: N, b: N | number): B {
    return this.not(this.eq(a, b));
  }

  /** Equality of two leaves of the same sort (Bool: iff). */
  same(a: Leaf, b: Leaf): B {
    if (a.ast === b.ast) return this.T;
    if (this.ctx.isBool(a)) {
      const bb = b as B;
      if (this.isT(a)) return bb;
      if (this.isT(bb)) return a;
      if (this.isF(a)) return this.not(bb);
      if (this.isF(bb)) return this.not(a);
      return a.eq(bb);
    }
    return this.eq(a as N, b as N);
  }

  le(a: N, b: N | number): B {
    const bb = typeof b === 'number' ? this.int(b) : b;
    const x = this.lit(a);
    const y = this.lit(bb);
    if (x !== undefined && y !== undefined) return this.bool(x <= y);
    return this.sort === 'int' ? (a as AR).le(bb as AR) : (a as BV).sle(bb as BV);
  }

  lt(a: N, b: N | number): B {
    const bb = typeof b === 'number' ? this.int(b) : b;
    const x = this.lit(a);
    const y = this.lit(bb);
    if (x !== undefined && y !== undefined) return this.bool(x < y);
    return this.sort === 'int' ? (a as AR).lt(bb as AR) : (a as BV).slt(bb as BV);
  }

  ge(a: N, b: N | number): B {
    return this.not(this.lt(a, b));
  }

  gt(a: N, b: N | number): B {
    return this.not(this.le(a, b));
  }

  /** a <= x <= b */
  within(x: N, a: number, b: number): B {
    return this.and(this.le(this.int(a), x), this.le(x, b));
  }

  add(a: N, b: N | number): N {
    const bb = typeof b === 'number' ? this.int(b) : b;
    const x = this.lit(a);
    const y = this.lit(bb);
    if (x !== undefined && y !== undefined) return this.int(x + y);
    if (y === 0) return a;
    if (x === 0) return bb;
    return this.sort === 'int' ? (a as AR).add(bb as AR) : (a as BV).add(bb as BV);
  }

  sum(xs: readonly N[]): N {
    let k = 0;
    const rest: N[] = [];
    for (const x of xs) {
      const v = this.lit(x);
      if (v !== undefined) k += v;
      else rest.push(x);
    }
    if (rest.length === 0) return this.int(k);
    if (k !== 0) rest.push(this.int(k));
    if (rest.length === 1) return rest[0]!;
    return this.sort === 'int'
      ? this.ctx.Sum(rest[0]! as AR, ...(rest.slice(1) as AR[]))
      : this.bvSum(rest as BV[]);
  }

  /** z3-solver's BitVec Sum takes two arguments: a balanced tree of them. */
  private bvSum(xs: BV[]): BV {
    if (xs.length === 1) return xs[0]!;
    const mid = xs.length >> 1;
    return this.bvSum(xs.slice(0, mid)).add(this.bvSum(xs.slice(mid)));
  }

  /** How many of `bs` hold. */
  count(bs: readonly B[]): N {
    return this.sum(bs.map((b) => this.ite(b, this.int(1), this.int(0))));
  }

  /** The index (1-based) of the first condition that holds, else 0. */
  firstOf(conds: readonly B[]): N {
    let e = this.int(0);
    for (let i = conds.length - 1; i >= 0; i--) e = this.ite(conds[i]!, this.int(i + 1), e);
    return e;
  }

  /** For each i: conds[i] holds and no earlier one does. */
  firstMask(conds: readonly B[]): B[] {
    const out: B[] = [];
    let none = this.T;
    for (const c of conds) {
      out.push(this.and(none, c));
      none = this.and(none, this.not(c));
    }
    return out;
  }

  substitute<T extends Leaf>(e: T, pairs: readonly [Leaf, Leaf][]): T {
    if (pairs.length === 0) return e;
    return this.ctx.substitute(e as Expr<'main'>, ...(pairs as unknown as [Expr<'main'>, Expr<'main'>][])) as unknown as T;
  }

  private running: Promise<unknown> = Promise.resolve();

  /**
   * ▶ The only way to run a check: one at a time, and deferred frees run
   * first (see DeferredRegistry). Never call `solver.check()` directly.
   */
  check(sol: Sol, ...assumptions: B[]): Promise<Verdict> {
    const base = this.base;
    const run = base.running.then(async () => {
      for (const free of pendingFrees.splice(0)) free();
      return sol.check(...assumptions);
    });
    base.running = run.catch(() => undefined);
    return run;
  }

  /**
   * A solver with a timeout. The old simplex arithmetic solver
   * (smt.arith.solver=2) proves the reference obligations about 2.5x faster
   * than the default one here (measured at `default`: 18 s vs 48 s).
   */
  solver(timeoutMs = DEFAULT_TIMEOUT_MS): Sol {
    const s = new this.ctx.Solver();
    s.set('timeout', timeoutMs);
    s.set('smt.arith.solver', 2);
    return s;
  }

  /** Value of an integer term in a model (model completion on). */
  intIn(m: Mdl, e: N): number {
    const v = m.eval(e as Expr<'main'>, true);
    if (this.ctx.isIntVal(v)) return Number(v.value());
    if (this.ctx.isBitVecVal(v)) return Number(v.asSignedValue());
    throw new Error(`not a number value: ${v.sexpr()}`);
  }

  boolIn(m: Mdl, e: B): boolean {
    return this.ctx.isTrue(m.eval(e, true));
  }

  leafIn(m: Mdl, e: Leaf): number | boolean {
    return this.ctx.isBool(e) ? this.boolIn(m, e) : this.intIn(m, e as N);
  }
}

/** Seconds since `t0` (a performance.now() reading), rounded to milliseconds. */
export function secondsSince(t0: number): number {
  return Math.round(performance.now() - t0) / 1000;
}

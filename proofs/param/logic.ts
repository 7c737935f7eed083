/**
 * A many-sorted first-order logic with two interpretations, so that one
 * formula is both proved and tested:
 *
 *   - `Z3Logic` builds Z3 terms (uninterpreted sorts, functions, quantifiers)
 *     for the parametric proofs of prove.ts;
 *   - `EvalLogic` evaluates the same formula in one finite structure (a
 *     concrete model state with finite universes), for the conformance test
 *     that holds the encoding to model/ (spec/proofs/param.test.ts).
 *
 * Formulas are written once, as TypeScript functions over a `Logic<T>`
 * (higher-order abstract syntax: a quantifier takes a function of its bound
 * variables), see encoding.ts.
 */
import type { Context, Expr, FuncDecl, Model, Sort } from 'z3-solver';

/** The uninterpreted sorts of the parametric encoding (vocab.ts) plus Int and Bool. */
export const SORTS = ['Proc', 'File', 'Io', 'Pasid', 'Dev', 'Mdev', 'Vm', 'Vpasid', 'Ent', 'Desc'] as const;
export type ElemSort = (typeof SORTS)[number];
export type SortName = ElemSort | 'Int' | 'Bool';

export interface Signature {
  readonly domain: readonly ElemSort[];
  readonly range: SortName;
}

export interface Logic<T> {
  readonly T: T;
  readonly F: T;
  not(a: T): T;
  and(...xs: T[]): T;
  or(...xs: T[]): T;
  implies(a: T, b: T): T;
  iff(a: T, b: T): T;
  eq(a: T, b: T): T;
  ite(c: T, a: T, b: T): T;
  int(n: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  le(a: T, b: T): T;
  lt(a: T, b: T): T;
  forall(sorts: readonly ElemSort[], body: (...xs: T[]) => T): T;
  exists(sorts: readonly ElemSort[], body: (...xs: T[]) => T): T;
  /** a symbol of the vocabulary applied to arguments (a constant when there are none) */
  app(name: string, args: readonly T[]): T;
}

// ---------------------------------------------------------------- Z3

type Z = Expr<'main'>;
type Ctx = Context<'main'>;

/** Z3 terms over declared sorts and symbols. `extra` constants (action arguments) are declared on demand. */
export class Z3Logic implements Logic<Z> {
  readonly T: Z;
  readonly F: Z;
  readonly sorts = new Map<ElemSort, Sort<'main'>>();
  readonly decls = new Map<string, FuncDecl<'main'>>();
  private bound = 0;

  constructor(
    readonly ctx: Ctx,
    readonly vocab: ReadonlyMap<string, Signature>,
  ) {
    this.T = ctx.Bool.val(true);
    this.F = ctx.Bool.val(false);
    for (const s of SORTS) this.sorts.set(s, ctx.Sort.declare(s));
    for (const [name, sig] of vocab) this.declare(name, sig);
  }

  sortOf(s: SortName): Sort<'main'> {
    if (s === 'Int') return this.ctx.Int.sort();
    if (s === 'Bool') return this.ctx.Bool.sort();
    return this.sorts.get(s)!;
  }

  declare(name: string, sig: Signature): FuncDecl<'main'> {
    let d = this.decls.get(name);
    if (!d) {
      d = this.ctx.Function.declare(name, ...(sig.domain.map((s) => this.sortOf(s)) as [Sort<'main'>]), this.sortOf(sig.range));
      this.decls.set(name, d);
    }
    return d;
  }

  /** A fresh constant (an action argument, existentially chosen: a Skolem constant of the VC). */
  constant(name: string, sort: SortName): Z {
    return this.declare(name, { domain: [], range: sort }).call();
  }

  private b(x: Z): ReturnType<Ctx['Bool']['val']> {
    return x as unknown as ReturnType<Ctx['Bool']['val']>;
  }

  not(a: Z): Z {
    return this.ctx.Not(this.b(a));
  }
  and(...xs: Z[]): Z {
    return xs.length === 0 ? this.T : xs.length === 1 ? xs[0]! : this.ctx.And(...xs.map((x) => this.b(x)));
  }
  or(...xs: Z[]): Z {
    return xs.length === 0 ? this.F : xs.length === 1 ? xs[0]! : this.ctx.Or(...xs.map((x) => this.b(x)));
  }
  implies(a: Z, b: Z): Z {
    return this.ctx.Implies(this.b(a), this.b(b));
  }
  iff(a: Z, b: Z): Z {
    return this.ctx.Eq(a, b);
  }
  eq(a: Z, b: Z): Z {
    return this.ctx.Eq(a, b);
  }
  ite(c: Z, a: Z, b: Z): Z {
    return this.ctx.If(this.b(c), a, b) as Z;
  }
  int(n: number): Z {
    return this.ctx.Int.val(n);
  }
  private a(x: Z): ReturnType<Ctx['Int']['val']> {
    return x as unknown as ReturnType<Ctx['Int']['val']>;
  }
  add(x: Z, y: Z): Z {
    return this.a(x).add(this.a(y));
  }
  sub(x: Z, y: Z): Z {
    return this.a(x).sub(this.a(y));
  }
  le(x: Z, y: Z): Z {
    return this.a(x).le(this.a(y));
  }
  lt(x: Z, y: Z): Z {
    return this.a(x).lt(this.a(y));
  }
  private quant(kind: 'forall' | 'exists', sorts: readonly ElemSort[], body: (...xs: Z[]) => Z): Z {
    const vars = sorts.map((s) => this.ctx.Const(`${s.toLowerCase()}!${this.bound++}`, this.sorts.get(s)!) as Z);
    const inner = this.b(body(...vars));
    const vs = vars as unknown as [Z];
    return (kind === 'forall' ? this.ctx.ForAll(vs as never, inner) : this.ctx.Exists(vs as never, inner)) as unknown as Z;
  }
  forall(sorts: readonly ElemSort[], body: (...xs: Z[]) => Z): Z {
    return this.quant('forall', sorts, body);
  }
  exists(sorts: readonly ElemSort[], body: (...xs: Z[]) => Z): Z {
    return this.quant('exists', sorts, body);
  }
  app(name: string, args: readonly Z[]): Z {
    const d = this.decls.get(name);
    if (!d) throw new Error(`param encoding bug: undeclared symbol ${name}`);
    return d.call(...(args as Z[]));
  }
}

// ---------------------------------------------------------------- finite structures

/** A value in a finite structure: an element (its index in the sort's universe), an integer or a truth value. */
export type Val = number | boolean;

/**
 * A finite structure: a universe per sort (elements are 0..n-1) and the
 * interpretation of each symbol as a table keyed by its arguments.
 */
export interface Structure {
  readonly size: Readonly<Record<ElemSort, number>>;
  /** symbol -> (arguments joined by ',') -> value */
  readonly tables: ReadonlyMap<string, ReadonlyMap<string, Val>>;
}

export const key = (args: readonly Val[]): string => args.join(',');

/** Every tuple of elements of `sorts` (the cartesian product of their universes). */
export function tuples(size: Readonly<Record<ElemSort, number>>, sorts: readonly ElemSort[]): number[][] {
  let out: number[][] = [[]];
  for (const s of sorts) {
    const next: number[][] = [];
    for (const t of out) for (let i = 0; i < size[s]; i++) next.push([...t, i]);
    out = next;
  }
  return out;
}

/** Evaluation in one finite structure; quantifiers range over its universes. */
export class EvalLogic implements Logic<Val> {
  readonly T = true;
  readonly F = false;
  constructor(
    readonly st: Structure,
    /** values of symbols missing from the structure (action arguments) */
    readonly extra: ReadonlyMap<string, Val> = new Map(),
  ) {}
  not(a: Val): Val {
    return !a;
  }
  and(...xs: Val[]): Val {
    return xs.every((x) => x === true);
  }
  or(...xs: Val[]): Val {
    return xs.some((x) => x === true);
  }
  implies(a: Val, b: Val): Val {
    return !a || b === true;
  }
  iff(a: Val, b: Val): Val {
    return a === b;
  }
  eq(a: Val, b: Val): Val {
    return a === b;
  }
  ite(c: Val, a: Val, b: Val): Val {
    return c ? a : b;
  }
  int(n: number): Val {
    return n;
  }
  add(a: Val, b: Val): Val {
    return (a as number) + (b as number);
  }
  sub(a: Val, b: Val): Val {
    return (a as number) - (b as number);
  }
  le(a: Val, b: Val): Val {
    return (a as number) <= (b as number);
  }
  lt(a: Val, b: Val): Val {
    return (a as number) < (b as number);
  }
  forall(sorts: readonly ElemSort[], body: (...xs: Val[]) => Val): Val {
    for (const t of tuples(this.st.size, sorts)) if (body(...t) !== true) return false;
    return true;
  }
  exists(sorts: readonly ElemSort[], body: (...xs: Val[]) => Val): Val {
    for (const t of tuples(this.st.size, sorts)) if (body(...t) === true) return true;
    return false;
  }
  app(name: string, args: readonly Val[]): Val {
    const table = this.st.tables.get(name);
    if (!table) {
      const v = this.extra.get(name);
      if (v === undefined) throw new Error(`param structure has no symbol ${name}`);
      return v;
    }
    const v = table.get(key(args));
    if (v === undefined) throw new Error(`param structure: ${name}(${key(args)}) undefined`);
    return v;
  }
}

/**
 * `L` with every quantifier expanded over the given elements of each sort (a
 * conjunction or disjunction of instances): quantifier-free formulas about
 * the structure those elements make, when it is closed under the symbols.
 */
export function grounded(L: Z3Logic, elems: ReadonlyMap<ElemSort, readonly Z[]>): Z3Logic {
  const G = Object.create(L) as Z3Logic;
  const size = Object.fromEntries(SORTS.map((s) => [s, elems.get(s)!.length])) as Record<ElemSort, number>;
  const instances = (sorts: readonly ElemSort[], body: (...xs: Z[]) => Z): Z[] =>
    tuples(size, sorts).map((t) => body(...t.map((i, k) => elems.get(sorts[k]!)![i]!)));
  G.forall = (sorts, body) => L.and(...instances(sorts, body));
  G.exists = (sorts, body) => L.or(...instances(sorts, body));
  return G;
}

/**
 * Reads a Z3 model back as a finite structure (the counter-model of a refuted
 * obligation): over the model's universes, or over the given elements.
 */
export function structureOf(L: Z3Logic, m: Model<'main'>, symbols: readonly string[], universe?: ReadonlyMap<ElemSort, readonly Z[]>): { st: Structure; consts: Map<string, Val> } {
  const ctx = L.ctx;
  const elems = new Map<ElemSort, Z[]>();
  const size = {} as Record<ElemSort, number>;
  for (const s of SORTS) {
    let u: Z[] = [];
    try {
      u = universe ? [...universe.get(s)!] : ([...m.sortUniverse(L.sorts.get(s)!).values()] as Z[]);
    } catch {
      u = [];
    }
    if (u.length === 0) u = [ctx.FreshConst(L.sorts.get(s)!, s) as Z]; // a sort the model did not need: one element
    elems.set(s, u);
    size[s] = u.length;
  }
  const indexOf = (s: ElemSort, v: Z): number => {
    const i = elems.get(s)!.findIndex((e) => e.eqIdentity(v));
    return i < 0 ? 0 : i;
  };
  const read = (range: SortName, v: Z): Val => {
    if (range === 'Bool') return ctx.isTrue(v);
    if (range === 'Int') return ctx.isIntVal(v) ? Number(v.value()) : 0;
    return indexOf(range, v);
  };
  const tables = new Map<string, Map<string, Val>>();
  const consts = new Map<string, Val>();
  for (const name of symbols) {
    const d = L.decls.get(name)!;
    const sig = L.vocab.get(name) ?? { domain: [], range: rangeOf(L, d) };
    const t = new Map<string, Val>();
    for (const tup of tuples(size, sig.domain)) {
      const args = tup.map((i, k) => elems.get(sig.domain[k]!)![i]!);
      t.set(key(tup), read(sig.range, m.eval(d.call(...args), true)));
    }
    if (L.vocab.has(name)) tables.set(name, t);
    else consts.set(name, t.get('')!);
  }
  return { st: { size, tables }, consts };
}

function rangeOf(L: Z3Logic, d: FuncDecl<'main'>): SortName {
  const r = d.range();
  for (const [s, sort] of L.sorts) if (sort.eqIdentity(r)) return s;
  return L.ctx.isIntSort(r) ? 'Int' : 'Bool';
}

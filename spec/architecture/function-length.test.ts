/**
 * No function in src/ or proofs/ is over 80 lines (the house rule), except
 * the explorer's hot paths, each named below with its reason. Functions are
 * found with the TypeScript compiler's parser: declarations, methods,
 * constructors, accessors, function expressions and arrow functions,
 * wherever they stand. A nested function counts on its own as well as inside
 * the one that holds it, and so does an arrow passed as an argument (a
 * commander `.action(async () => ...)`, a `.map(...)` callback): it is code
 * a reader has to hold at once like any other. A function's length is the
 * lines from its first token (its doc comment aside) to its last, both
 * counted. The scanner is shown to catch a planted 81-line function.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const MAX_LINES = 80;

/**
 * The exceptions, by `path:name` as {@link functionLengths} names them, each
 * with why. Only hot paths may be here, and each must say so in a comment at
 * the function (checked below).
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'src/explore/encode.ts:Encoder.encode': 'the explorer hot path: runs for every transition followed, one pass over the state',
  'src/explore/decode.ts:decode': 'the explorer hot path: runs once per state expanded, plain loops over a cursor',
  'src/explore/explorer.ts:explore': 'the explorer hot path: the BFS loop over every call of every state, with the sleep sets in plain arrays',
};

export interface FunctionLength {
  /** `name`, `Class.method`, or for an anonymous function where it stands (`x.action(=>)`, `=>` in `f`) */
  readonly name: string;
  /** 1-based line of its first token */
  readonly line: number;
  readonly lines: number;
}

type FunctionLike = ts.FunctionLikeDeclaration;

function isFunctionLike(node: ts.Node): node is FunctionLike {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node)
  );
}

/** The name a declaration gives itself, or the name of what it is bound to (`const f = () => ...`, `{ f: () => ... }`). */
function ownName(node: FunctionLike, file: ts.SourceFile): string | undefined {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return node.name.getText(file);
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) return parent.name.getText(file);
  return undefined;
}

/** Every function-like node of a source text, named and measured. */
export function functionLengths(fileName: string, text: string): FunctionLength[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: FunctionLength[] = [];
  const lineOf = (pos: number): number => file.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node, outer: string[]): void => {
    let inner = outer;
    if (ts.isClassLike(node) && node.name) inner = [...outer, node.name.text];
    if (isFunctionLike(node)) {
      const own = ownName(node, file);
      const parent = node.parent;
      const where = ts.isCallExpression(parent) ? `${parent.expression.getText(file).replace(/\s+/g, '')}(=>)` : '=>';
      const name = own !== undefined ? [...outer, own].join('.') : outer.length > 0 ? `${where} in ${outer.join('.')}` : where;
      const line = lineOf(node.getStart(file));
      found.push({ name, line, lines: lineOf(node.getEnd()) - line + 1 });
      inner = own !== undefined ? [...outer, own] : outer;
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(file, []);
  return found;
}

/** The functions of one file over the bound, `path:name (line L): N lines`, the allowed ones left out. */
export function offenders(path: string, text: string, allowed: Readonly<Record<string, string>> = ALLOWED): string[] {
  return functionLengths(path, text)
    .filter((f) => f.lines > MAX_LINES && !(`${path}:${f.name}` in allowed))
    .map((f) => `${path}:${f.name} (line ${f.line}): ${f.lines} lines`);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(c|m)?tsx?$/.test(name) ? [p] : [];
  });
}

const files = ['src', 'proofs'].flatMap((d) => sources(join(ROOT, d))).map((f) => relative(ROOT, f));
const read = (f: string): string => readFileSync(join(ROOT, f), 'utf8');

/** A function of `n` lines: its header, n - 2 lines of statements, its closing brace. */
function planted(n: number): string {
  return ['export function planted(): number {', '  let x = 0;', ...Array.from({ length: n - 4 }, (_, i) => `  x += ${i};`), '  return x;', '}'].join('\n');
}

describe('the function-length scanner', () => {
  it('flags a planted 81-line function and passes an 80-line one', () => {
    expect(functionLengths('p.ts', planted(81))).toEqual([{ name: 'planted', line: 1, lines: 81 }]);
    expect(offenders('proofs/p.ts', planted(81))).toEqual(['proofs/p.ts:planted (line 1): 81 lines']);
    expect(offenders('proofs/p.ts', planted(80))).toEqual([]);
  });

  it('measures from the first token to the last, a doc comment before it aside', () => {
    const text = ['/**', ' * doc', ' */', planted(5)].join('\n');
    expect(functionLengths('p.ts', text)).toEqual([{ name: 'planted', line: 4, lines: 5 }]);
  });

  it('finds methods, accessors, nested functions and arrows passed as arguments, each measured on its own', () => {
    const text = [
      'class C {', //                         1
      '  constructor() {}', //               2
      '  get g(): number { return 1; }', //   3
      '  m(): void {', //                     4
      '    const f = (): void => {', //       5
      '      [1].map(function (x) {', //      6
      '        return x;', //                 7
      '      });', //                         8
      '    };', //                            9
      '  }', //                               10
      '}', //                                 11
      "program.command('x').action(async () => {", // 12
      '  go();', //                           13
      '});', //                               14
      'const o = { h: () => 1 };', //         15
    ].join('\n');
    expect(functionLengths('p.ts', text)).toEqual([
      { name: 'C.constructor', line: 2, lines: 1 },
      { name: 'C.g', line: 3, lines: 1 },
      { name: 'C.m', line: 4, lines: 7 },
      { name: 'C.m.f', line: 5, lines: 5 },
      { name: '[1].map(=>) in C.m.f', line: 6, lines: 3 },
      { name: "program.command('x').action(=>)", line: 12, lines: 3 },
      { name: 'h', line: 15, lines: 1 },
    ]);
  });

  it('counts a long arrow passed as an argument, inside a short-named holder too', () => {
    const body = Array.from({ length: 80 }, (_, i) => `    step(${i});`);
    const text = ['export function register(program: P): void {', '  program.action(async () => {', ...body, '  });', '}'].join('\n');
    expect(offenders('src/cli/p.ts', text)).toEqual(['src/cli/p.ts:register (line 1): 84 lines', 'src/cli/p.ts:program.action(=>) in register (line 2): 82 lines']);
  });

  it('leaves out an allowed function, and only that one', () => {
    expect(offenders('proofs/p.ts', planted(81), { 'proofs/p.ts:planted': 'a reason' })).toEqual([]);
    expect(offenders('proofs/q.ts', planted(81), { 'proofs/p.ts:planted': 'a reason' })).toHaveLength(1);
  });
});

describe(`every function in src/ and proofs/ is at most ${MAX_LINES} lines`, () => {
  it('has files to scan', () => {
    expect(files.filter((f) => f.startsWith('src/')).length).toBeGreaterThan(50);
    expect(files.filter((f) => f.startsWith('proofs/')).length).toBeGreaterThan(10);
  });

  it('apart from the allowed hot paths', () => {
    expect(files.flatMap((f) => offenders(f, read(f)))).toEqual([]);
  });

  it('each allowed exception exists, is still over the bound, and says at the function why (a comment naming the hot path)', () => {
    for (const [key, reason] of Object.entries(ALLOWED)) {
      expect(reason).toMatch(/hot path/);
      const [path, name] = key.split(':') as [string, string];
      const text = read(path);
      const fn = functionLengths(path, text).find((f) => f.name === name);
      expect(fn, key).toBeDefined();
      expect(fn!.lines, key).toBeGreaterThan(MAX_LINES);
      const before = text.split('\n').slice(0, fn!.line - 1).join('\n');
      const comment = before.slice(before.lastIndexOf('/*'));
      expect(comment, `${key}: the comment before it`).toMatch(/hot path/);
      expect(comment, `${key}: the comment before it`).toMatch(/80-line bound/);
    }
  });
});

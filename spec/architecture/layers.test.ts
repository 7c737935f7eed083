/**
 * Dependencies point one way (STYLE.md, "The house"): one table says which
 * folder may import which, and every import of every source file is held to
 * it: static and dynamic (`import()`), `export ... from`, type-only
 * (`import type`, `import('x').T`) and `require`. Imports are read with the
 * TypeScript compiler's parser, not with patterns, so no form slips through.
 *
 * The two rules that matter most, in the table below:
 *  - model/ imports nothing outside model/ (ts-pattern aside), and
 *    src/kernel/ imports nothing at all outside itself: it is an independent
 *    implementation, or conformance testing compares the model with itself;
 *  - inside src/, nothing below src/cli imports src/cli: lower layers return
 *    data, the CLI writes it (and nothing below it imports a way of writing
 *    files);
 *  - no file reaches itself through its imports, type-only ones included.
 * Each check is shown to catch a planted violation (in-memory sources).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Anything: the outer layer, tests, tools. */
const ANY = '*';

interface Layer {
  /** the other layers its files may import */
  readonly imports: readonly string[] | typeof ANY;
  /** the packages it may import; `node:` stands for every node built-in */
  readonly packages: readonly string[] | typeof ANY;
}

/**
 * Each layer is a folder (or a single file) of the repository; a file belongs
 * to the longest one that contains it, and a file in none of them fails the
 * test, so a new folder has to take its place here. Read from the bottom up.
 */
export const LAYERS: Readonly<Record<string, Layer>> = {
  model: { imports: [], packages: ['ts-pattern'] },
  'src/kernel': { imports: [], packages: [] },
  proofs: { imports: ['model'], packages: ['z3-solver', 'node:'] },
  'src/errors.ts': { imports: [], packages: [] },
  'src/scopes.ts': { imports: ['model', 'src/errors.ts'], packages: ['zod', 'node:'] },
  'src/design.ts': { imports: ['model', 'src/errors.ts'], packages: ['zod', 'node:'] },
  'src/childModule.ts': { imports: [], packages: ['node:'] },
  'src/trace': { imports: ['model', 'src/errors.ts', 'src/scopes.ts'], packages: ['zod', 'node:'] },
  'src/explore': { imports: ['model', 'src/errors.ts', 'src/scopes.ts', 'src/trace', 'src/childModule.ts'], packages: ['node:'] },
  'src/render': { imports: ['model', 'src/trace'], packages: ['ts-pattern'] },
  'src/check': { imports: ['model', 'proofs', 'src/scopes.ts', 'src/trace', 'src/explore'], packages: ['node:'] },
  'src/conformance': { imports: ['model', 'src/kernel', 'src/scopes.ts', 'src/trace', 'src/explore', 'src/check'], packages: [] },
  'src/view': { imports: ['model', 'src/errors.ts', 'src/scopes.ts', 'src/trace', 'src/explore', 'src/render', 'src/conformance'], packages: [] },
  'src/sweep': { imports: ['model', 'proofs', 'src/errors.ts', 'src/childModule.ts'], packages: ['node:'] },
  'src/report': {
    imports: ['model', 'proofs', 'src/errors.ts', 'src/scopes.ts', 'src/design.ts', 'src/trace', 'src/explore', 'src/render', 'src/check', 'src/conformance'],
    packages: ['zod', 'node:'],
  },
  'src/cli': { imports: ANY, packages: ANY },
  bin: { imports: ANY, packages: ANY },
  bench: { imports: ANY, packages: ANY },
  scripts: { imports: ANY, packages: ANY },
  spec: { imports: ANY, packages: ANY },
  'vitest.config.ts': { imports: ANY, packages: ANY },
  'vitest.stryker.config.ts': { imports: ANY, packages: ANY },
};

/** The layer of a repository path: the longest key of LAYERS that is it or a folder holding it. */
export function layerOf(path: string): string | undefined {
  const keys = Object.keys(LAYERS).filter((k) => path === k || path.startsWith(k + '/'));
  return keys.sort((a, b) => b.length - a.length)[0];
}

/** Every module specifier of a source text: import/export declarations, `import()`, `import('x').T`, `require()`. */
export function specifiers(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteralLike(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteralLike(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const arg = node.arguments[0];
      if ((isImport || isRequire) && arg && ts.isStringLiteralLike(arg)) found.push(arg.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteralLike(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The repository path of the file a relative specifier in `path` names (extension and index.ts filled in as the bundler does). */
function targetOf(path: string, spec: string): string {
  const base = resolve(ROOT, dirname(path), spec);
  const candidates = [base, ...['.ts', '.mts', '.js', '.mjs', '/index.ts'].map((ext) => base + ext), base.replace(/\.m?js$/, '.ts')];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return relative(ROOT, found ?? base);
}

/** The package a bare specifier names (`zod`, `@scope/pkg`, `node:` for built-ins). */
function packageOf(spec: string): string {
  if (spec.startsWith('node:')) return 'node:';
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** What is wrong with the imports of one file (its path relative to the root), one line each. */
export function violations(path: string, text: string): string[] {
  const from = layerOf(path);
  if (from === undefined) return [`${path} belongs to no layer (add its folder to LAYERS)`];
  const layer = LAYERS[from]!;
  return specifiers(path, text).flatMap((spec) => {
    if (spec.startsWith('.') || spec.startsWith('/')) {
      const to = layerOf(targetOf(path, spec));
      if (to === from || layer.imports === ANY) return [];
      if (to === undefined) return [`${path} imports ${spec}, which is in no layer`];
      return layer.imports.includes(to) ? [] : [`${path} (${from}) imports ${spec} (${to})`];
    }
    const pkg = packageOf(spec);
    return layer.packages === ANY || layer.packages.includes(pkg) ? [] : [`${path} (${from}) imports the package ${spec}`];
  });
}

/** Every import cycle of a file graph, each as the files along it (depth-first search, one cycle per back edge). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    path.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'open') found.push([...path.slice(path.indexOf(g)), g].join(' -> '));
      else if (!state.has(g)) visit(g);
    }
    path.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
}

const WRITERS = new Set(['writeFileSync', 'writeFile', 'appendFileSync', 'appendFile', 'mkdirSync', 'mkdir', 'renameSync', 'rename', 'unlinkSync', 'unlink', 'rmSync', 'rm', 'createWriteStream', 'copyFileSync', 'cpSync']);

/** The file-writing functions (or the whole fs module) a source text imports from node:fs. */
export function writers(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  return file.statements.flatMap((st) => {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !/^(node:)?fs(\/promises)?$/.test(st.moduleSpecifier.text)) return [];
    const b = st.importClause?.namedBindings;
    if (st.importClause?.name || (b && ts.isNamespaceImport(b))) return [`all of ${st.moduleSpecifier.text}`];
    return b && ts.isNamedImports(b) ? b.elements.map((e) => (e.propertyName ?? e.name).text).filter((n) => WRITERS.has(n)) : [];
  });
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(c|m)?[jt]sx?$/.test(name) ? [p] : [];
  });
}

const FOLDERS = ['model', 'proofs', 'src', 'bin', 'bench', 'scripts', 'spec'];
const files = [
  ...FOLDERS.flatMap((d) => sources(join(ROOT, d))),
  ...readdirSync(ROOT).filter((n) => /\.(c|m)?[jt]s$/.test(n)).map((n) => join(ROOT, n)),
].map((f) => relative(ROOT, f));

describe('the import scanner', () => {
  it('finds every form of import', () => {
    const text = [
      "import { step } from '../model/step';",
      "import type { State } from '../model/index';",
      "import { type Scope } from '../model/scope';",
      "export * from '../model/state';",
      "export { x } from '../model/actions';",
      "import '../model/side-effect';",
      "const m = await import('../model/invariants');",
      "type T = import('../model/rules').Rules;",
      "const r = require('../model');",
      '// import { no } from "../model/comment";',
      "const s = 'import { no } from \"../model/string\"';",
    ].join('\n');
    expect(specifiers('x.ts', text).sort()).toEqual(
      ['../model', '../model/actions', '../model/index', '../model/invariants', '../model/rules', '../model/scope', '../model/side-effect', '../model/state', '../model/step'],
    );
  });

  it('the table is one order: a layer may import only layers listed before it (so no two layers import each other)', () => {
    const names = Object.keys(LAYERS);
    const late = names.flatMap((name, i) => {
      const { imports } = LAYERS[name]!;
      return imports === ANY ? [] : imports.filter((to) => !names.slice(0, i).includes(to)).map((to) => `${name} -> ${to}`);
    });
    expect(late).toEqual([]);
  });

  it('puts a file in the longest layer that holds it', () => {
    expect(layerOf('src/kernel/ioasid.ts')).toBe('src/kernel');
    expect(layerOf('src/scopes.ts')).toBe('src/scopes.ts');
    expect(layerOf('proofs/param/encode.ts')).toBe('proofs');
    expect(layerOf('src/elsewhere.ts')).toBeUndefined();
    expect(layerOf('modelling/x.ts')).toBeUndefined();
  });
});

describe('a planted upward import fails the table', () => {
  it.each([
    { file: 'model/planted.ts', text: "import { table } from '../src/render/table';" },
    { file: 'model/planted.ts', text: "export type { Rules } from '../proofs/index';" },
    { file: 'model/planted.ts', text: "import { z } from 'zod';" },
    { file: 'src/kernel/planted.ts', text: "import type { State } from '../../model/index';" },
    { file: 'src/kernel/planted.ts', text: "const e = await import('../errors');" },
    { file: 'src/kernel/planted.ts', text: "import { readFileSync } from 'node:fs';" },
    { file: 'proofs/planted.ts', text: "type S = import('../src/scopes').LoadedScope;" },
    { file: 'src/render/planted.ts', text: "import { EXIT } from '../cli/output';" },
    { file: 'src/explore/planted.ts', text: "import type { CommandOutput } from '../cli/output';" },
    { file: 'src/trace/planted.ts', text: "import { explore } from '../explore/explorer';" },
    { file: 'src/elsewhere/planted.ts', text: "import { x } from './x';" },
  ])('$file: $text', ({ file, text }) => {
    expect(violations(file, text)).toHaveLength(1);
  });

  it('and a planted circle is found', () => {
    const graph = new Map([
      ['src/kernel/file.ts', ['src/kernel/ioasid.ts', 'src/kernel/object.ts']],
      ['src/kernel/ioasid.ts', ['src/kernel/file.ts']],
      ['src/kernel/object.ts', []],
    ]);
    expect(cycles(graph)).toEqual(['src/kernel/file.ts -> src/kernel/ioasid.ts -> src/kernel/file.ts']);
    expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toEqual([]);
  });

  it('and a planted file write is found, in every form of import', () => {
    expect(writers('x.ts', "import { existsSync, writeFileSync } from 'node:fs';")).toEqual(['writeFileSync']);
    expect(writers('x.ts', "import { writeFile as w } from 'node:fs/promises';")).toEqual(['writeFile']);
    expect(writers('x.ts', "import * as fs from 'fs';")).toEqual(['all of fs']);
    expect(writers('x.ts', "import { readFileSync } from 'node:fs';")).toEqual([]);
  });

  it('while the same imports are fine where the table allows them', () => {
    expect(violations('src/cli/planted.ts', "import { table } from '../render/table';")).toEqual([]);
    expect(violations('proofs/planted.ts', "import type { Scope } from '../model/index';")).toEqual([]);
    expect(violations('model/planted.ts', "import { match } from 'ts-pattern';")).toEqual([]);
    expect(violations('src/explore/planted.ts', "import { x } from './explorer';")).toEqual([]);
  });
});

describe('every import of every source file', () => {
  it('has files of every layer to check', () => {
    const layers = new Set(files.map(layerOf));
    for (const l of ['model', 'src/kernel', 'proofs', 'src/explore', 'src/render', 'src/report', 'src/cli', 'spec']) expect(layers, l).toContain(l);
    expect(files.length).toBeGreaterThan(150);
  });

  it('keeps to the table', () => {
    const bad = files.flatMap((f) => violations(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(bad).toEqual([]);
  });

  it('no source file of model/, proofs/ or src/ reaches itself through its imports (type-only ones too)', () => {
    const graph = new Map(
      files
        .filter((f) => /^(model|proofs|src)\//.test(f))
        .map((f) => [f, specifiers(f, readFileSync(join(ROOT, f), 'utf8')).filter((s) => s.startsWith('.')).map((s) => targetOf(f, s))]),
    );
    expect(cycles(graph)).toEqual([]);
  });

  it('nothing in model/, proofs/ or src/ below src/cli imports a way of writing files: results are data, the CLI writes them', () => {
    const below = files.filter((f) => /^(model|proofs|src)\//.test(f) && !f.startsWith('src/cli/'));
    const bad = below.flatMap((f) => writers(f, readFileSync(join(ROOT, f), 'utf8')).map((w) => `${f} imports ${w}`));
    expect(bad).toEqual([]);
  });

  it('nothing in src/ below src/cli imports src/cli', () => {
    const bad = files
      .filter((f) => f.startsWith('src/') && !f.startsWith('src/cli/'))
      .flatMap((f) =>
        specifiers(f, readFileSync(join(ROOT, f), 'utf8'))
          .filter((s) => s.startsWith('.') && layerOf(targetOf(f, s)) === 'src/cli')
          .map((s) => `${f} imports ${s}`),
      );
    expect(bad).toEqual([]);
  });
});

/**
 * Designs are data (DESIGN.md §8): every consumer reads rules, never a
 * preset's name. So no source file outside the preset table
 * (model/variants.ts) spells a preset's name as a string literal: a
 * comparison such as `variant === 'no-drain'` cannot hide anywhere. Tests,
 * fixtures and docs may name presets; the sources of model/, proofs/, src/,
 * bin/ and bench/ may not.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { VARIANT_NAMES } from '../../model/index';

const ROOT = resolve(import.meta.dirname, '../..');
const SCANNED = ['model', 'proofs', 'src', 'bin', 'bench'];
const TABLE = 'model/variants.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(c|m)?[jt]sx?$/.test(name) ? [p] : [];
  });
}

/** Every string literal (or literal part of a template) of a source text that is exactly a preset name; comments are not code. */
export function presetLiterals(source: string): string[] {
  const names = new Set<string>(VARIANT_NAMES);
  const found: string[] = [];
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) && names.has(node.text)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('no preset name outside the preset table', () => {
  it('the scanner finds names in comparisons, in any quotes, and not in prose or longer strings', () => {
    expect(presetLiterals("if (variant === 'no-drain') x();")).toEqual(['no-drain']);
    expect(presetLiterals('const v = "iommufd-busy";')).toEqual(['iommufd-busy']);
    expect(presetLiterals('f(`reference`)')).toEqual(['reference']);
    expect(presetLiterals("// the reference design\nconst s = 'no-drain trace';")).toEqual([]);
    expect(presetLiterals('/** as in `notifier-cleanup` */ const a = 1; // `no-drain`')).toEqual([]);
    expect(presetLiterals("const url = 'https://x/y'; const v = 'no-dma-block';")).toEqual(['no-dma-block']);
    expect(presetLiterals("const t = `${a}s`; f(x, 'reference');")).toEqual(['reference']);
  });

  const files = SCANNED.flatMap((d) => sources(join(ROOT, d))).filter((f) => relative(ROOT, f) !== TABLE);

  it('has the sources to check', () => {
    expect(files.some((f) => f.endsWith('model/step.ts'))).toBe(true);
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files.map((f) => relative(ROOT, f)))('%s names no preset', (file) => {
    expect(presetLiterals(readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
  });
});

/**
 * src/kernel is an independent implementation of the reference design: if it
 * imported the model, conformance testing would compare the model with
 * itself. Every module specifier in every source file under src/kernel
 * (static and dynamic import, export-from, require, import type) is resolved
 * and must stay inside src/kernel; in particular none may reach model/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const KERNEL = join(ROOT, 'src/kernel');
const MODEL = join(ROOT, 'model');

/** Every module specifier in a TypeScript/JavaScript source text. */
export function specifiers(text: string): string[] {
  const patterns = [
    /\bfrom\s*['"]([^'"]+)['"]/g, // import ... from, export ... from, import type ... from
    /\bimport\s*['"]([^'"]+)['"]/g, // import 'side-effect'
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g, // import('...')
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g, // require('...')
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[1]!));
}

/** Where a specifier in `file` points: an absolute path for a relative one, else the bare name. */
function target(file: string, spec: string): string {
  return spec.startsWith('.') || spec.startsWith('/') ? resolve(dirname(file), spec) : spec;
}

const inside = (path: string, dir: string): boolean => path === dir || path.startsWith(dir + sep);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(c|m)?[jt]sx?$/.test(name) ? [p] : [];
  });
}

describe('the scanner', () => {
  it('finds every form of import', () => {
    const text = [
      "import { step } from '../../model/step';",
      "import type { State } from '../../model/index';",
      "export * from '../../model/state';",
      "import '../../model/side-effect';",
      "const m = await import('../../model/invariants');",
      "const r = require(\"../../model\");",
      "import { x } from './local';",
    ].join('\n');
    const file = join(KERNEL, 'fake.ts');
    const hits = specifiers(text).map((s) => target(file, s)).filter((t) => inside(t, MODEL));
    expect(hits.map((h) => relative(ROOT, h)).sort()).toEqual(
      ['model', 'model/index', 'model/invariants', 'model/side-effect', 'model/state', 'model/step'],
    );
  });
});

describe('src/kernel', () => {
  const files = sources(KERNEL);

  it('has sources to scan', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((f) => specifiers(readFileSync(f, 'utf8')).length > 0)).toBe(true);
  });

  it('imports nothing from model/', () => {
    const bad = files.flatMap((f) =>
      specifiers(readFileSync(f, 'utf8'))
        .filter((s) => inside(target(f, s), MODEL))
        .map((s) => `${relative(ROOT, f)} imports ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('imports nothing outside src/kernel (no way round through the toolkit)', () => {
    const bad = files.flatMap((f) =>
      specifiers(readFileSync(f, 'utf8'))
        .filter((s) => !inside(target(f, s), KERNEL))
        .map((s) => `${relative(ROOT, f)} imports ${s}`),
    );
    expect(bad).toEqual([]);
  });
});

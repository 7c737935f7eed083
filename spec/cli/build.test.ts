/**
 * The compiled start (scripts/build.mjs -> dist/, bin/fresh.mjs): dist/ is used
 * only while every recorded input is as it was at build time, and the CLI
 * starts both ways (from dist/ and, when told to ignore it, through tsx).
 */
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST, fingerprint, freshEntry } from '../../bin/fresh.mjs';
import { BIN, ROOT } from './run';
import { spawnSync } from 'node:child_process';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fake project: two inputs and a manifest recording their fingerprint. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'ioasid-build-'));
  dirs.push(root);
  mkdirSync(join(root, 'src'));
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'src', 'b.ts'), 'export const b = 2;\n');
  writeFileSync(join(root, 'dist', 'cli', 'main.mjs'), '');
  const inputs = ['src/a.ts', 'src/b.ts'];
  writeFileSync(join(root, MANIFEST), JSON.stringify({ entries: ['cli/main.mjs'], inputs, fingerprint: fingerprint(root, inputs) }));
  return root;
}

describe('dist/ freshness', () => {
  it('is fresh as built, and names the entry under dist/', () => {
    const root = project();
    expect(freshEntry('cli/main.mjs', root)?.pathname).toBe(join(root, 'dist', 'cli', 'main.mjs'));
  });

  it('is stale once a source changes, even keeping its size', () => {
    const root = project();
    writeFileSync(join(root, 'src', 'b.ts'), 'export const b = 3;\n');
    expect(freshEntry('cli/main.mjs', root)).toBeUndefined();
  });

  it('is stale when a recorded source is gone, or the manifest is missing or names another entry', () => {
    const a = project();
    unlinkSync(join(a, 'src', 'a.ts'));
    expect(freshEntry('cli/main.mjs', a)).toBeUndefined();
    const b = project();
    expect(freshEntry('explore/other.mjs', b)).toBeUndefined();
    unlinkSync(join(b, MANIFEST));
    expect(freshEntry('cli/main.mjs', b)).toBeUndefined();
  });

  it('the fingerprint depends on the order and the names of the files, not only their bytes', () => {
    const root = project();
    expect(fingerprint(root, ['src/a.ts', 'src/b.ts'])).not.toBe(fingerprint(root, ['src/b.ts', 'src/a.ts']));
    expect(fingerprint(root, ['src/a.ts', 'src/nope.ts'])).toBeUndefined();
  });
});

describe('this checkout', () => {
  // spec/setup/build.ts rebuilt dist/ before the suite if a source had changed.
  it('dist/ is fresh, and records the CLI sources and the lockfile among its inputs', () => {
    expect(freshEntry('cli/main.mjs')).toBeDefined();
    const m = JSON.parse(readFileSync(join(ROOT, MANIFEST), 'utf8')) as { inputs: string[] };
    expect(m.inputs).toEqual(expect.arrayContaining(['src/cli/main.ts', 'model/step.ts', 'package-lock.json']));
  });

  it('the CLI starts from dist/ and through tsx alike', () => {
    const run = (env: Record<string, string>) => spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env: { ...process.env, ...env } });
    const built = run({});
    const viaTsx = run({ IOASID_VERIFY_NO_DIST: '1' });
    expect(built.status).toBe(0);
    expect(viaTsx.status).toBe(0);
    expect(built.stdout).toBe(viaTsx.stdout);
    expect(built.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

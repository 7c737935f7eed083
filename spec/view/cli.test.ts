/**
 * `view FILE [--out] [--replay]` and `explore --html DIR` through the CLI
 * (in-process): the page and the index are written where asked, atomically,
 * and say what the trace shows. The browser tests open them.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPagePath } from '../../src/cli/commands/view';
import { runInProcess } from '../cli/run';
import { counterexamples } from './traces';

const dir = mkdtempSync(join(tmpdir(), 'ioasid-view-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('view', () => {
  const c = counterexamples().find((x) => x.name === 'no-drain--no-cross-tenant-dma')!;
  const file = join(dir, `${c.name}.itf.json`);
  writeFileSync(file, JSON.stringify(c.doc));

  it('writes the page beside the trace by default and says what breaks', async () => {
    const run = await runInProcess(['view', file, '--json']);
    expect(run.code).toBe(0);
    const j = JSON.parse(run.stdout) as { page: string; bytes: number; steps: number; witness: number; violation: { step: number; invariant: string }; replayed: boolean };
    expect(j.page).toBe(join(dir, `${c.name}.html`));
    expect(j.violation).toMatchObject({ step: 11, invariant: 'no-cross-tenant-dma' });
    expect([j.steps, j.witness, j.replayed]).toEqual([12, 1, false]);
    const html = readFileSync(j.page, 'utf8');
    expect(Buffer.byteLength(html)).toBe(j.bytes);
    expect(html).not.toContain('kernel result');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('with --replay puts the kernel beside the model', async () => {
    const out = join(dir, 'sub', 'page.html');
    const run = await runInProcess(['view', file, '--out', out, '--replay']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`wrote ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('kernel result');
    expect(html).toMatch(/The kernel \(reference\) defeats the attack: at <a href="#step=\d+">/);
  });

  it('names the default page after the trace', () => {
    expect(defaultPagePath('out/traces/a--b.itf.json')).toBe('out/traces/a--b.html');
    expect(defaultPagePath('t.json')).toBe('t.html');
    expect(defaultPagePath('trace')).toBe('trace.html');
  });
});

describe('explore --html', () => {
  it('writes an index linking a page per counterexample', async () => {
    const html = join(dir, 'site');
    const run = await runInProcess(['explore', '--variant', 'implicit-mdev-pasid', '--scope', 'tiny', '--out', join(dir, 'traces'), '--html', html, '--quiet']);
    expect(run.code).toBe(1);
    const index = readFileSync(join(html, 'index.html'), 'utf8');
    const links = [...index.matchAll(/href="([^"#]+)"/g)].map((m) => m[1]!);
    expect(links).toContain('implicit-mdev-pasid--explicit-mdev-authorization.html');
    for (const l of links) expect(existsSync(join(html, l)), l).toBe(true);
    expect(readFileSync(join(html, links[0]!), 'utf8')).toContain('href="index.html"');
  });
});

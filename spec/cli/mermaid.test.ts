/*
 * Every Mermaid block we emit must parse with the real Mermaid parser: the
 * blocks of a generated report (state diagram and every counterexample's
 * sequence diagram) and of `show` on every example trace.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mermaidBlock, mermaidText } from '../../src/render/mermaid';
import { mermaidBlocks, mermaidParser } from './mermaidParser';
import { runInProcess } from './run';

const EXAMPLES = join(import.meta.dirname, '../fixtures/examples');
let dir = '';
let report = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ioasid-mermaid-'));
  const out = join(dir, 'report.md');
  const run = await runInProcess(['report', '--scope', 'tiny', '--depth', '11', '--jobs', '1', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  report = readFileSync(out, 'utf8');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Mermaid parser used here', () => {
  it('rejects a broken diagram, so the checks below can fail', async () => {
    const parse = await mermaidParser();
    await expect(parse('sequenceDiagram\n  A->>: open(')).rejects.toThrow();
    await expect(parse('stateDiagram-v2\n  [*] --> a --\n')).rejects.toThrow();
  });

  it('reads the blocks of a Markdown text', () => {
    expect(mermaidBlocks(`x\n${mermaidBlock('graph TD\n  a-->b')}\ny\n${mermaidBlock('pie\n  "a": 1')}\n`)).toEqual(['graph TD\n  a-->b\n', 'pie\n  "a": 1\n']);
  });

  it('accepts a label with the characters Mermaid reserves, once escaped', async () => {
    const parse = await mermaidParser();
    await expect(parse(`sequenceDiagram\n  A->>B: ${mermaidText('free += {1}; see #3 -> done')}`)).resolves.toBeTruthy();
  });
});

describe('the report', () => {
  it('has a state diagram and a sequence diagram per counterexample, all parsing', async () => {
    const parse = await mermaidParser();
    const blocks = mermaidBlocks(report);
    expect(blocks.filter((b) => b.startsWith('stateDiagram-v2'))).toHaveLength(1);
    // the 7 flawed variants break 10 invariants in all (DESIGN.md §5)
    expect(blocks.filter((b) => b.startsWith('sequenceDiagram'))).toHaveLength(10);
    for (const b of blocks) await expect(parse(b), b).resolves.toBeTruthy();
  });
});

describe('show', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.itf.json'));

  it('draws every example trace as a sequence diagram that parses', async () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    const parse = await mermaidParser();
    for (const f of files) {
      const run = await runInProcess(['show', join(EXAMPLES, f)]);
      const blocks = mermaidBlocks(run.stdout);
      expect(blocks, f).toHaveLength(1);
      await expect(parse(blocks[0]!), f).resolves.toBeTruthy();
      const json = JSON.parse((await runInProcess(['show', join(EXAMPLES, f), '--json'])).stdout) as { mermaid: string };
      expect(json.mermaid + '\n').toBe(blocks[0]);
    }
  });

  it('draws a trace of out-of-range calls and hardware events that parses', async () => {
    const parse = await mermaidParser();
    const calls: [string, Record<string, number>][] = [
      ['open', { proc: 9 }], ['open', { proc: 1 }], ['alloc', { proc: 1, fd: 1 }], ['dma', { dev: 7, pasid: 1 }],
      ['dma', { dev: 1, pasid: -3 }], ['enqcmd', { vm: 5, mdev: 9, vpasid: 1 }], ['swq_exec', { dev: -1 }],
      ['deliver', {}], ['mdev_attach', { proc: 1, mdev: 42, fd: 1, ioasid: 1 }], ['exit', { proc: 0 }], ['exit', { proc: 1 }],
    ];
    const states = [{ 'mbt::actionTaken': 'init' }, ...calls.map(([a, picks]) => ({ 'mbt::actionTaken': a, 'mbt::nondetPicks': picks }))];
    const file = join(dir, 'odd.itf.json');
    writeFileSync(file, JSON.stringify({ '#meta': { variant: 'notifier-cleanup', scope: 'default' }, states }));
    const run = await runInProcess(['show', file]);
    expect(run.code, run.stderr).toBe(0);
    const [block] = mermaidBlocks(run.stdout);
    expect(block).toContain('participant X as out of scope');
    expect(block!.split('\n').filter((l) => / [A-Z0-9]+(->>|-x|--x)[A-Z0-9]+: /.test(l))).toHaveLength(calls.length);
    await expect(parse(block!)).resolves.toBeTruthy();
  });
});

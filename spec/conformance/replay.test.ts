/**
 * `replay` on the five examples of DESIGN.md (spec/fixtures/examples/): the
 * results written in each file are what the model returns; the reference
 * examples replay clean on the kernel; the no-drain attack is defeated by the
 * kernel, visibly, and that is a divergence (exit 1). Then the binary itself:
 * --json shape and exit codes, and bad traces as one-line errors (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCommand } from '../../src/cli/commands/replay';
import { presetDesign } from '../../model/index';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLES = join(ROOT, 'spec/fixtures/examples');
const FILES = readdirSync(EXAMPLES).filter((f) => f.endsWith('.itf.json')).sort();

interface Json {
  ok: boolean;
  divergence: number | null;
  violated: string[];
  kernelViolated: string[];
  divergences: { index: number; kind: string }[];
  steps: { index: number; action: string; args: Record<string, number>; model: string; kernel: string; expected: string | null; violated: string[]; kernelViolated: string[] }[];
}

const replay = (file: string, variant?: 'reference') => replayCommand({ file: join(EXAMPLES, file), ...(variant ? { design: presetDesign(variant) } : {}) });

// Each test replays for itself, not while the tests are collected: mutation testing attributes coverage per test.

describe.each(FILES)('replay %s', (file) => {
  const get = () => {
    const out = replay(file);
    return { out, j: out.json as Json };
  };

  it('gives, on the model, the result written at every step', () => {
    const { j } = get();
    expect(j.steps.length).toBeGreaterThan(5);
    for (const s of j.steps) expect(`${s.index} ${s.action} ${s.model}`).toBe(`${s.index} ${s.action} ${s.expected}`);
  });

  it('keeps every invariant on the kernel', () => {
    const { j } = get();
    expect(j.kernelViolated).toEqual([]);
  });

  if (file.startsWith('reference-')) {
    it('replays clean: no divergence, no violation, exit 0', () => {
      const { out, j } = get();
      expect(j).toMatchObject({ ok: true, divergence: null, violated: [], divergences: [] });
      expect(out.exit).toBe(0);
      expect(out.text).toContain('no divergence');
    });
  }
});

describe('replay of the no-drain attack', () => {
  const get = () => {
    const out = replay('no-drain-in-flight-enqcmd.itf.json');
    return { out, j: out.json as Json };
  };

  it('shows the model breaking and the kernel defeating it', () => {
    const { out, j } = get();
    expect(j.violated).toEqual(['recycle-at-zero', 'no-cross-tenant-dma']);
    expect(j.steps[8]!.violated).toEqual(['recycle-at-zero']); // exit frees the PASID with the descriptor still queued
    expect(j.steps[10]!.violated).toEqual(['no-cross-tenant-dma']);
    expect(j.steps[11]).toMatchObject({ action: 'swq_exec', model: 'ok:2', kernel: 'idle', expected: 'ok:2' });
    expect(out.text).toContain('the kernel (reference design) defeats this trace');
    expect(out.text).toMatch(/\n9 +exit .* I3 +- +kernel keeps I3\n/);
  });

  it('is a divergence at step 12 (model vs kernel): exit 1', () => {
    const { out, j } = get();
    expect(j).toMatchObject({ ok: false, divergence: 12, divergences: [{ index: 12, kind: 'kernel' }] });
    expect(out.exit).toBe(1);
  });

  it('under --variant reference the model agrees with the kernel, and not with the trace', () => {
    const ref = replay('no-drain-in-flight-enqcmd.itf.json', 'reference').json as Json;
    expect(ref.violated).toEqual([]);
    expect(ref.divergences).toEqual([{ index: 12, kind: 'expected', detail: 'the model returns idle, the trace expects ok:2' }]);
  });
});

describe('ioasid-verify replay (the binary)', () => {
  const run = (...args: string[]) => spawnSync('node', [join(ROOT, 'bin/ioasid-verify.mjs'), 'replay', ...args], { encoding: 'utf8', cwd: ROOT });
  const dir = mkdtempSync(join(tmpdir(), 'replay-'));

  it('--json prints one object with the agreed fields; exit 0 on a clean trace', () => {
    const r = run(join(EXAMPLES, 'reference-authorized-enqcmd.itf.json'), '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j).toMatchObject({ ok: true, divergence: null });
    expect(j.steps[0]).toEqual({ index: 1, action: 'open', args: { proc: 1 }, model: '1', kernel: '1', expected: '1', violated: [], kernelViolated: [] });
  });

  it('a trace of actions alone, with no results, replays; its failed calls are not divergences', () => {
    const f = join(dir, 'bare.itf.json');
    const st = (a: string, picks: object) => ({ 'mbt::actionTaken': a, 'mbt::nondetPicks': picks });
    writeFileSync(f, JSON.stringify({ states: [st('init', {}), st('open', { proc: 1 }), st('close', { proc: 1, fd: 7 })] }));
    const r = run(f, '--json');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as Json).steps.map((s) => [s.model, s.kernel, s.expected])).toEqual([['1', '1', null], ['-EBADF', '-EBADF', null]]);
  });

  it('a bad trace is one line on stderr and exit 2', () => {
    const f = join(dir, 'garbage.itf.json');
    writeFileSync(f, '{"states": [');
    const r = run(f);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ioasid-verify: E_JSON: [^\n]+\n$/);
  });
});

describe('bad traces are ToolErrors with a stable code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replay-bad-'));
  it.each([
    ['missing.itf.json', null, 'E_FILE'],
    ['empty.itf.json', '', 'E_JSON'],
    ['nostates.itf.json', '{"states": []}', 'E_TRACE'],
    ['noaction.itf.json', '{"states": [{}, {"mbt::nondetPicks": {}}]}', 'E_TRACE'],
    ['noarg.itf.json', '{"states": [{}, {"mbt::actionTaken": "open", "mbt::nondetPicks": {}}]}', 'E_TRACE'],
    ['badint.itf.json', '{"states": [{}, {"mbt::actionTaken": "open", "mbt::nondetPicks": {"proc": "x"}}]}', 'E_BAD_NUMBER'],
    ['badaction.itf.json', '{"states": [{}, {"mbt::actionTaken": "frobnicate"}]}', 'E_UNKNOWN_NAME'],
    ['badvariant.itf.json', '{"#meta": {"variant": "nope"}, "states": [{}]}', 'E_UNKNOWN_NAME'],
    ['badscope.itf.json', '{"#meta": {"scope": {"procs": 0}}, "states": [{}]}', 'E_SCOPE'],
  ])('%s: %s', (name, content, code) => {
    const f = join(dir, name);
    if (content !== null) writeFileSync(f, content);
    expect(() => replayCommand({ file: f })).toThrow(expect.objectContaining({ name: 'ToolError', code }));
  });
});

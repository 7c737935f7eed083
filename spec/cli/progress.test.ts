/**
 * Progress goes to stderr as plain lines when stderr is not a terminal, with
 * --json too (stdout stays one JSON object); --quiet silences it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eta } from '../../src/cli/progress';
import { runBinary } from './run';

const out = mkdtempSync(join(tmpdir(), 'progress-'));

describe('progress on stderr', () => {
  it('explore --json, piped: a plain line per BFS depth on stderr, the JSON alone on stdout', async () => {
    const r = await runBinary(['explore', '--variant', 'no-dma-block', '--scope', 'tiny', '--json', '--out', out]);
    expect(r.code).toBe(1);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines[0]).toMatch(/^depth 1: \d+ states/);
    expect(r.stderr).not.toContain('\r');
  });

  it('--quiet prints nothing on stderr', async () => {
    const r = await runBinary(['explore', '--variant', 'no-dma-block', '--scope', 'tiny', '--json', '--quiet', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });

  it('prove at one scope says it started and is still running', async () => {
    const r = await runBinary(['prove', '--variant', 'no-dma-block', '--scope', 'tiny', '--json']);
    expect(r.stderr.split('\n')[0]).toBe('prove no-dma-block at scope tiny...');
  }, 60_000);

  it('ETA from the time per item so far', () => {
    expect(eta(10, 1, 4)).toBe(', ETA 30s');
    expect(eta(60, 1, 3)).toBe(', ETA 2m00s');
    expect(eta(5, 0, 3)).toBe('');
    expect(eta(5, 3, 3)).toBe('');
  });
});

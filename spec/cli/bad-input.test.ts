/*
 * Bad input everywhere: every case of the corpus must end with exit 2, exactly
 * one line on stderr `ioasid-verify: E_CODE: message` (the expected code), no
 * stack frame, and nothing on stdout. The whole corpus runs in-process (main()
 * with process.exit stubbed); a sample of it, and a few failures that only a
 * real process can show, go through the real binary.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_INPUTS, type BadInput, writeCorpus } from './badInputs';
import { type CliRun, runBinary, runInProcess } from './run';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ioasid-bad-input-'));
  writeCorpus(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectRefused(run: CliRun, c: BadInput): void {
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  expect(run.stdout, 'stdout').toBe('');
  expect(lines, 'stderr lines').toHaveLength(1);
  expect(lines[0]).toMatch(/^ioasid-verify: E_[A-Z_]+: \S/);
  expect(lines[0]!.startsWith(`ioasid-verify: ${c.code}: `), `${lines[0]} (expected ${c.code})`).toBe(true);
  if (c.says) expect(lines[0]).toContain(c.says);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.code, 'exit code').toBe(2);
}

describe('bad input, in-process', () => {
  it('the corpus is large and names distinct cases', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(BAD_INPUTS.map((c) => c.name)).size).toBe(BAD_INPUTS.length);
  });

  for (const c of BAD_INPUTS) {
    it(`refuses ${c.name}`, async () => {
      expectRefused(await runInProcess(c.args(dir)), c);
    });
  }
});

describe('bad input, through the real binary', () => {
  const sample = [
    'malformed JSON',
    'states not an array',
    'a #bigint with a fraction',
    'an unknown action',
    'a trace over the size limit',
    'negative --runs',
    'non-numeric --depth',
    'a scope file with an mdev whose parent is a pdev',
    'an evidence file of no known kind',
    'an unknown command',
    'no command',
    'bad input with --json still prints nothing on stdout',
  ];

  it('refuses a sample of the corpus exactly as in-process', async () => {
    const cases = sample.map((name) => BAD_INPUTS.find((c) => c.name === name)!);
    expect(cases.every((c) => c !== undefined)).toBe(true);
    const runs = await Promise.all(cases.map((c) => runBinary(c.args(dir))));
    runs.forEach((run, i) => expectRefused(run, cases[i]!));
  });
});

describe('the checker of this corpus', () => {
  it('would notice a command that succeeds, prints a stack or writes to stdout', async () => {
    const ok = await runInProcess(['show', join(import.meta.dirname, '../fixtures/examples/reference-kvm-stays-disabled.itf.json')]);
    expect(() => expectRefused(ok, { name: 'x', args: () => [], code: 'E_JSON' })).toThrow();
    const stack: CliRun = { code: 2, stdout: '', stderr: 'ioasid-verify: E_JSON: x\n    at main (main.ts:1:1)\n' };
    expect(() => expectRefused(stack, { name: 'x', args: () => [], code: 'E_JSON' })).toThrow();
  });
});

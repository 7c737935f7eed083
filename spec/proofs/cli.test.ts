// @vitest-environment node
/*
 * The Z3 commands as users run them: the real binary, which must exit by
 * itself once Z3 is done (a hung WASM thread would time the test out), with
 * the exit codes of DESIGN.md §7, a counterexample to induction printed for a
 * flawed variant, and a BMC trace that `replay` accepts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBinary } from '../cli/run';

const dir = mkdtempSync(join(tmpdir(), 'ioasid-z3-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prove and bmc from the command line', () => {
  it('prove --variant reference --scope tiny: every obligation proved, exit 0', async () => {
    const r = await runBinary(['prove', '--variant', 'reference', '--scope', 'tiny', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { variant: string; obligations: { status: string }[] };
    expect(json.variant).toBe('reference');
    expect(json.obligations.length).toBeGreaterThan(400);
    expect(json.obligations.filter((o) => o.status !== 'proved')).toEqual([]);
  }, 300_000);

  it('prove --variant no-dma-block: exit 1, with a counterexample to induction for destroyed-blocks-dma', async () => {
    const r = await runBinary(['prove', '--variant', 'no-dma-block']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('counterexample to induction: destroyed-blocks-dma after');
    expect(r.stdout).toMatch(/pre-state .*\n.*\n  action: .* -> /);
    expect(r.stdout).not.toContain('WARNING');
  }, 300_000);

  it('bmc --variant implicit-kvm-enqcmd: the shortest violation (2 steps) written as ITF, and replay accepts it', async () => {
    const r = await runBinary(['bmc', '--variant', 'implicit-kvm-enqcmd', '--depth', '3', '--out', dir, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout) as { invariants: Record<string, { holds: boolean | string; length?: number; trace?: string }> };
    const v = json.invariants['explicit-vm-authorization']!;
    expect(v.holds).toBe(false);
    expect(v.length).toBe(2);
    const rep = await runBinary(['replay', v.trace!, '--json']);
    expect(rep.code).not.toBe(2);
    const steps = (JSON.parse(rep.stdout) as { steps: { model: string; expected: string | null; violated: string[] }[] }).steps;
    expect(steps.length).toBe(2);
    for (const s of steps) expect(s.model).toBe(s.expected);
    expect(steps.at(-1)!.violated).toContain('explicit-vm-authorization');
  }, 300_000);
});

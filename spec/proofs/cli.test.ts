// @vitest-environment node
/*
 * The Z3 commands as users run them: the real binary, which must exit by
 * itself once Z3 is done (a hung WASM thread would time the test out), with
 * the exit codes of DESIGN.md §7, a counterexample to induction printed for a
 * flawed variant, and a BMC trace that `replay` accepts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    // the pre-state in domain words, one line per change from the initial state, not one raw JSON line
    expect(r.stdout).toMatch(/pre-state [^\n]*as it differs from the initial state:\n(    [^\n]*\n)+  action: .* -> /);
    expect(r.stdout).not.toMatch(/^    \{"/m);
    expect(r.stdout).not.toContain('WARNING');
  }, 300_000);

  it('bmc --variant implicit-kvm-enqcmd: the shortest violation (2 steps) written as ITF, and replay accepts it', async () => {
    const r = await runBinary(['bmc', '--variant', 'implicit-kvm-enqcmd', '--depth', '3', '--out', dir, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout) as { invariants: Record<string, { holds: boolean | string; length?: number; trace?: string; witness?: { steps: number } }> };
    const v = json.invariants['explicit-vm-authorization']!;
    expect(v.holds).toBe(false);
    expect(v.length).toBe(2);
    const rep = await runBinary(['replay', v.trace!, '--json']);
    expect(rep.code).not.toBe(2);
    const steps = (JSON.parse(rep.stdout) as { steps: { model: string; expected: string | null; violated: string[] }[] }).steps;
    // the 2-step prefix Z3 found, then the witness steps run on the model: the unauthorized descriptor runs
    expect(v.witness!.steps).toBeGreaterThan(0);
    expect(steps.length).toBe(2 + v.witness!.steps);
    for (const s of steps) expect(s.model).toBe(s.expected);
    expect(steps[1]!.violated).toContain('explicit-vm-authorization');
    expect(steps.at(-1)!.model).toMatch(/^ok:\d+$/);
  }, 300_000);

  it('bmc --lemmas --invariant: searches only the named invariants, assuming every claim prove established', async () => {
    const r = await runBinary(['bmc', '--variant', 'reference', '--scope', 'tiny', '--depth', '2', '--invariant', 'quota', '--invariant', 'no-leak', '--lemmas', '--out', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { lemmas: string[]; invariants: Record<string, { holds: boolean | string; upToDepth?: number }> };
    expect(Object.keys(json.invariants).sort()).toEqual(['no-leak', 'quota']);
    for (const v of Object.values(json.invariants)) expect(v).toEqual({ holds: true, upToDepth: 2 });
    // all nine DESIGN invariants and the auxiliary claims are proved for reference
    expect(json.lemmas).toEqual(expect.arrayContaining(['quota', 'no-leak', 'recycle-at-zero', 'wf-files']));
  }, 300_000);

  const boundFile = (name: string, scope: object): string => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify(scope));
    return f;
  };
  const one = { procs: 1, fdsPerProc: 1, quota: 1, pasids: 1, vpasids: 1, swqDepth: 1 };

  it('prove --up-to FILE: every scope up to the bound, one per renaming class, all proved, exit 0', async () => {
    // up to 2 processes, a swq, an mdev, a VM: 15 classes
    const bound = boundFile('b-ref.json', { ...one, procs: 2, devices: [{ id: 1, kind: 'swq' }], mdevs: [{ id: 1, parent: 1, owner: 1, vm: 1 }], vms: [{ id: 1, owner: 1 }] });
    const r = await runBinary(['prove', '--up-to', bound, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { status: string; scopes: { key: string; status: string; proved: number; unknown: number; refuted: number }[] };
    expect(json.status).toBe('proved');
    expect(json.scopes).toHaveLength(15);
    expect(new Set(json.scopes.map((s) => s.key)).size).toBe(15);
    for (const s of json.scopes) expect([s.key, s.status, s.refuted, s.unknown]).toEqual([s.key, 'proved', 0, 0]);
    expect(json.scopes.map((s) => s.key)).toContain('P2 F1 Q1 N1 V1 D1 dev[s] mdev[1/1/1] vm[1]');
  }, 300_000);

  it('prove --up-to FILE --variant no-dma-block: proved without a device, refuted at the first scope with one, exit 1', async () => {
    const bound = boundFile('b-dma.json', { ...one, devices: [{ id: 1, kind: 'pdev', owner: 1 }], mdevs: [], vms: [] });
    const r = await runBinary(['prove', '--up-to', bound, '--variant', 'no-dma-block']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('3 scopes, 2 proved, 1 refuted, 0 unknown');
    expect(r.stdout).toMatch(/^refuted: P1 F1 Q1 N1 V1 D1 dev\[p1\] mdev\[\] vm\[\]: .*first destroyed-blocks-dma after /m);
  }, 300_000);
});

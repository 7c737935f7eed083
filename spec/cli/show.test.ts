/*
 * `show FILE`: the step table and diagram of a trace, run under the trace's
 * own variant (or --variant), with what changed at each step and what broke.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './run';

const EXAMPLES = join(import.meta.dirname, '../fixtures/examples');
const NO_DRAIN = join(EXAMPLES, 'no-drain-in-flight-enqcmd.itf.json');
const PARKED = join(EXAMPLES, 'reference-parked-pasid-blocks-dma.itf.json');

interface Shown {
  variant: string;
  scope: unknown;
  steps: { index: number; action: string; args: Record<string, number>; result: string; expected?: string; changes: string[]; violated: string[]; broke: string[] }[];
  broken: string[];
  differ: number[];
  mermaid: string;
}

async function show(...args: string[]): Promise<Shown> {
  const run = await runInProcess(['show', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Shown;
}

describe('show --json', () => {
  it("runs the trace's variant and says what each step changed and broke", async () => {
    const s = await show(NO_DRAIN);
    expect(s.variant).toBe('no-drain');
    expect(s.scope).toBe('default');
    expect(s.steps).toHaveLength(12);
    const by = (i: number) => s.steps[i - 1]!;
    expect(by(2)).toMatchObject({ action: 'alloc', args: { proc: 1, fd: 1 }, result: '1' });
    expect(by(2).changes).toContain('free -= {1}');
    expect(by(5).changes).toContain('IOASID P1#1 users 1->2');
    expect(by(8).changes).toEqual(['swq 2 queue: +[issuer 1, pasid 1]']);
    expect(by(9).changes).toContain('free += {1}');
    expect(by(9).broke).toEqual(['recycle-at-zero']);
    expect(by(11).broke).toEqual(['no-cross-tenant-dma']);
    // the recycled PASID leaves the pool again at step 10: recycle-at-zero holds there, the harm is done
    expect(by(10).violated).toEqual([]);
    expect(by(11).violated).toEqual(['no-cross-tenant-dma']);
    expect(by(12)).toMatchObject({ action: 'swq_exec', result: 'ok:2', expected: 'ok:2' });
    expect(s.broken).toEqual(['recycle-at-zero', 'no-cross-tenant-dma']);
    expect(s.differ).toEqual([]);
  });

  it('names a parked PASID and a blocked DMA', async () => {
    const s = await show(PARKED);
    const destroy = s.steps.find((x) => x.action === 'destroy' || x.action === 'close')!;
    expect(destroy.changes.join('; ')).toMatch(/IOASID P1#1 destroyed, users \d->\d, DMA blocked, pasid 1 parked/);
    expect(s.steps.some((x) => x.action === 'dma' && x.result === 'blocked')).toBe(true);
    expect(s.broken).toEqual([]);
  });

  it('--variant runs the same calls under another design, and reports where the trace disagrees', async () => {
    const s = await show(NO_DRAIN, '--variant', 'reference');
    expect(s.variant).toBe('reference');
    expect(s.broken).toEqual([]);
    // the reference drained the stale descriptor when the PASID was recycled
    expect(s.steps[11]).toMatchObject({ result: 'idle', expected: 'ok:2' });
    expect(s.differ).toEqual([12]);
  });

  it('draws one message per step between the right participants', async () => {
    const s = await show(NO_DRAIN);
    const lines = s.mermaid.split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    for (const p of ['P1 as process 1', 'P2 as process 2', 'IO as /dev/ioasid', 'KVM as KVM', 'S2 as swq 2']) expect(lines).toContain(`  participant ${p}`);
    const messages = lines.filter((l) => /^ {2}\w+(->>|-x|--x)\w+: /.test(l));
    expect(messages).toHaveLength(12);
    expect(messages[2]).toBe('  P1->>KVM: kvm_set_ioasid_fd(vm=1, fd=1) → 0');
    expect(messages[7]).toBe('  P1->>S2: enqcmd(vm=1, mdev=1, vpasid=1) → queued');
    expect(messages[11]).toBe('  S2->>IO: swq_exec(dev=2) → ok:2');
    expect(lines).toContain('  Note over P2,S2: broke no-cross-tenant-dma');
  });
});

describe('show, for people', () => {
  it('prints a header, a step table and a fenced Mermaid block', async () => {
    const run = await runInProcess(['show', NO_DRAIN]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`${NO_DRAIN}: variant no-drain, scope default, 12 steps`);
    expect(lines.some((l) => /^#\s+action\s+args\s+result\s+changes\s+broke$/.test(l))).toBe(true);
    const exit = lines.findIndex((l) => l.startsWith('9 '));
    expect(lines[exit]).toMatch(/exit\s+proc=1\s+0\s+process 1 exited\s+recycle-at-zero$/);
    // each change of a step on its own line, under the first: rows stay readable
    expect(lines.slice(exit + 1, exit + 6).map((l) => l.trim())).toContain('free += {1}');
    const header = lines.findIndex((l) => /^#\s+action/.test(l));
    const rows = lines.slice(header, lines.indexOf('', header));
    expect(rows.length).toBeGreaterThan(12);
    for (const l of rows) expect(l.length, l).toBeLessThanOrEqual(140);
    expect(run.stdout).toContain('broken: recycle-at-zero, no-cross-tenant-dma');
    expect(run.stdout).toContain('```mermaid\nsequenceDiagram');
  });
});

// @vitest-environment node
/**
 * prove --up-to --jobs N (src/sweep/sweep.ts, Z3 in forked processes): the
 * same scopes, in the same order, with the same verdicts and obligation
 * counts as the sweep in one process; and a slice is exactly its scopes of
 * that sweep. A small bound (6 scopes) keeps it to seconds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_DESIGN, type Rules, type Scope } from '../../model/index';
import { runSweep } from '../../src/sweep/sweep';

const bound: Scope = { procs: 1, fdsPerProc: 1, quota: 1, pasids: 2, vpasids: 1, swqDepth: 1, devices: [{ id: 1, kind: 'swq' }], mdevs: [], vms: [] };
const plan = { bound, design: REFERENCE_DESIGN, timeoutMs: 30000, full: false } as const;
/** The live processes whose parent is this one and whose command line names `what`. */
function children(what: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(ppid) === process.pid && state !== 'Z' && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(what);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const verdicts = (r: Awaited<ReturnType<typeof runSweep>>) => r.scopes.map(({ seconds: _, ...s }) => s);

describe('runSweep', () => {
  it('in 2 processes it gives the sweep of one process; slice 2/2 is its scopes 2, 4, 6', async () => {
    const one = await runSweep({ ...plan, jobs: 1 });
    const done: number[] = [];
    const two = await runSweep({ ...plan, jobs: 2, onScope: (_, n) => done.push(n) });
    expect(one.scopes.length).toBe(6);
    expect(one.status).toBe('proved');
    expect(verdicts(two)).toEqual(verdicts(one));
    expect(two.status).toBe(one.status);
    expect(done).toEqual([1, 2, 3, 4, 5, 6]);
    const slice = await runSweep({ ...plan, jobs: 2, shard: { index: 2, count: 2 } });
    expect(slice.shard).toEqual({ index: 2, count: 2, of: 6 });
    expect(verdicts(slice)).toEqual(verdicts(one).filter((_, i) => i % 2 === 1));
  }, 180_000);

  it("a prover's failure is one E_CHILD error, and the other provers are ended", async () => {
    const err = await runSweep({ ...plan, design: { name: 'broken', rules: null as unknown as Rules }, jobs: 2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_CHILD' });
    expect((err as Error).message).toMatch(/^prove at scope \d of the sweep: /);
    await new Promise((r) => setTimeout(r, 500));
    expect(children('sweepChild')).toEqual([]);
  }, 60_000);
});

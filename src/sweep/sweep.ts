/**
 * Running a sweep (prove at every scope up to a bound, proofs/sweep.ts) on
 * several cores and in slices. `jobs` processes (sweepChild.ts) each prove one
 * scope at a time, handed out largest first so that no large scope is left
 * for the end; the results are put back in the sweep's order, so the output
 * is the same whatever `jobs` is. `shard` keeps only one slice (shard.ts).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { type Design, type Scope, scopesUpTo } from '../../model/index';
import { type SweepResult, type SweepScope, proveScope, sweepStatus } from '../../proofs/index';
import { childModule } from '../childModule';
import { ToolError } from '../errors';
import { type Shard, shardPositions } from './shard';
import type { ProveScopeJob, SweepChildReply } from './sweepChild';

export interface SweepPlan {
  readonly bound: Scope;
  readonly design: Design;
  readonly timeoutMs: number;
  readonly full: boolean;
  /** processes proving at once; 1 = in this process */
  readonly jobs: number;
  readonly shard?: Shard;
  /** after each scope is decided, with how many are done of how many */
  readonly onScope?: (s: SweepScope, done: number, total: number) => void;
}

export interface ShardedSweepResult extends SweepResult {
  /** the slice run, and the size of the whole sweep, when `shard` was given */
  readonly shard?: Shard & { readonly of: number };
}

export async function runSweep(plan: SweepPlan): Promise<ShardedSweepResult> {
  const t0 = performance.now();
  const space = scopesUpTo(plan.bound);
  const positions = plan.shard ? shardPositions(space.length, plan.shard) : space.map((_, i) => i);
  const results = new Map<number, SweepScope>();
  const done = (position: number, s: SweepScope): void => {
    results.set(position, s);
    plan.onScope?.(s, results.size, positions.length);
  };
  if (plan.jobs <= 1 || positions.length <= 1) {
    for (const p of positions) done(p, await proveScope(space[p]!, plan.design, plan));
  } else {
    await inChildren(plan, space, [...positions].reverse(), done);
  }
  const scopes = positions.map((p) => results.get(p)!);
  return {
    design: plan.design,
    bound: plan.bound,
    scopes,
    status: sweepStatus(scopes),
    seconds: (performance.now() - t0) / 1000,
    ...(plan.shard ? { shard: { ...plan.shard, of: space.length } } : {}),
  };
}

/** Proves the scopes at `queue` (in that order) in min(jobs, queue) child processes. */
function inChildren(plan: SweepPlan, space: readonly Scope[], queue: number[], done: (position: number, s: SweepScope) => void): Promise<void> {
  const { module, args } = childModule(import.meta.url, 'sweep/sweepChild');
  const children: ChildProcess[] = [];
  return new Promise<void>((resolve, reject) => {
    let running = 0;
    let failed = false;
    const fail = (message: string): void => {
      if (failed) return;
      failed = true;
      for (const c of children) c.kill();
      reject(new ToolError('E_CHILD', message));
    };
    const next = (child: ChildProcess): void => {
      const position = queue.shift();
      if (position === undefined) {
        child.disconnect();
        return;
      }
      running++;
      const job: ProveScopeJob = { kind: 'prove', position, scope: space[position]!, design: plan.design, timeoutMs: plan.timeoutMs, full: plan.full };
      child.send(job);
    };
    for (let i = 0; i < Math.min(plan.jobs, queue.length); i++) {
      const child = fork(module, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('message', (m: SweepChildReply) => {
        running--;
        if (m.kind === 'failed') return fail(`prove at scope ${m.position + 1} of the sweep: ${m.message}`);
        done(m.position, m.result);
        next(child);
      });
      child.on('error', (e) => fail(`prove --up-to: ${e.message}`));
      child.on('exit', (code, signal) => {
        if (failed) return;
        const why = stderr.trim().split('\n').at(-1);
        if (child.connected || code !== 0) return fail(`prove --up-to: a prover process ${signal ? `ended by ${signal}` : `exited ${code}`} before the sweep was done${why ? `: ${why}` : ''}`);
        if (children.every((c) => c.exitCode !== null) && running === 0 && queue.length === 0) resolve();
      });
      next(child);
    }
  });
}

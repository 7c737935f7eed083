/**
 * Exploring several designs at once on the machine's cores: each design runs
 * in its own process forked from exploreChild.ts (a separate heap, so one
 * large state space cannot starve the others), the largest first. The two
 * talk over the IPC channel in typed messages (ExploreJob, ExploreReply).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { type Design, notifies, recyclesAtDestroy } from '../../model/index';
import { childModule } from '../childModule';
import { ToolError } from '../errors';
import type { ExploreJob, ExploreReply } from './exploreChild';
import type { CounterexampleTrace, VariantVerdict } from './verdicts';

export interface ExploredVariant {
  readonly verdict: VariantVerdict;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
  /** from a child process: each shortest violation as ITF, for the CLI to write */
  readonly traces?: readonly CounterexampleTrace[];
}

export function defaultJobs(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/** The explore processes still running, so that an interrupted parent can end them. */
const live = new Set<ChildProcess>();
/** Set once stopChildren() is called: no new child is started after it. */
let stopping = false;

/**
 * Between two designs explored in this process: let a pending SIGINT/SIGTERM
 * handler run, and if it asked to stop, wait here for it to exit the process
 * instead of starting the next design.
 */
export async function betweenDesigns(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (stopping) await new Promise<never>(() => {});
}

/**
 * Ends every explore process this process started (SIGTERM, then SIGKILL after
 * `graceMs`) and resolves once all have exited. Their traces are written
 * atomically (temp file, then rename), so a killed child leaves no partial file.
 */
export function stopChildren(graceMs = 2000): Promise<void> {
  stopping = true;
  const waits = [...live].map(
    (c) =>
      new Promise<void>((resolve) => {
        if (c.exitCode !== null || c.signalCode !== null) return resolve();
        const hard = setTimeout(() => c.kill('SIGKILL'), graceMs);
        c.once('close', () => {
          clearTimeout(hard);
          resolve();
        });
        c.kill('SIGTERM');
      }),
  );
  return Promise.all(waits).then(() => undefined);
}

function exploreInChild(scopeArg: string, design: Design, out: string): Promise<ExploredVariant> {
  const variant = design.name;
  return new Promise((resolve, reject) => {
    if (stopping) return reject(new ToolError('E_CHILD', `explore ${variant}: not started, the run was interrupted`));
    const { module, args } = childModule(import.meta.url, 'explore/exploreChild');
    const child = fork(module, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    live.add(child);
    let reply: ExploreReply | undefined;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('message', (m: ExploreReply) => (reply = m));
    child.on('error', (e) => reject(new ToolError('E_CHILD', `explore ${variant}: ${e.message}`)));
    child.on('close', (code, signal) => {
      live.delete(child);
      // Ended by stopChildren: the interrupt handler reports the run; this result never comes.
      if (stopping) return;
      if (reply?.kind === 'explored') {
        const { states, transitions, depth, seconds, invariants, surprises, traces } = reply;
        resolve({ verdict: { variant, design, invariants, surprises }, states, transitions, depth, seconds, traces });
      } else if (reply?.kind === 'failed') {
        reject(new ToolError('E_CHILD', `explore ${variant}: ${reply.code}: ${reply.message}`));
      } else {
        reject(new ToolError('E_CHILD', `explore ${variant} ${signal ? `ended by ${signal}` : `exited ${code}`} without a result: ${lastLine(stderr)}`));
      }
    });
    const job: ExploreJob = { kind: 'explore', scopeArg, design, out };
    child.send(job);
  });
}

/** Explores `designs` with up to `jobs` processes; results come back in the order given. */
export async function exploreInParallel(
  scopeArg: string,
  designs: readonly Design[],
  out: string,
  jobs: number,
  onDone?: (v: ExploredVariant, done: number) => void,
): Promise<ExploredVariant[]> {
  // The largest state spaces first (weight), so that no big one is left for the end alone.
  const order = designs.map((_, i) => i).sort((a, b) => weight(designs[b]!) - weight(designs[a]!));
  const results = new Map<number, ExploredVariant>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < order.length) {
      const v = order[next++]!;
      const r = await exploreInChild(scopeArg, designs[v]!, out);
      results.set(v, r);
      onDone?.(r, results.size);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, order.length) }, worker));
  return designs.map((_, i) => results.get(i)!);
}

/**
 * A guess at a design's state count relative to the reference's, from the
 * rules that grow it, measured at `default` (reference 79,885 states;
 * at-destroy 817,547, x10; kvmAuth implicit x2, mdevAuth implicit x2.8, drain
 * false x1.7; at-destroy with both implicit 7,356,992, x92). Only the order
 * of the designs depends on it.
 */
function weight(d: Design): number {
  const r = d.rules;
  return (recyclesAtDestroy(r) ? (notifies(r) ? 10.5 : 10) : 1) * (r.kvmAuth === 'implicit' ? 2 : 1) * (r.mdevAuth === 'implicit' ? 2.8 : 1) * (r.drain ? 1 : 1.7);
}

/** The line of a child's stderr that says what went wrong: the last one that is not a stack frame. */
function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('^'));
  return lines.at(-1) ?? '';
}

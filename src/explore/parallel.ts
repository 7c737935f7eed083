/**
 * Exploring several designs at once on the machine's cores: each design runs
 * as its own `ioasid-verify explore --json` process (a separate heap, so one
 * large state space cannot starve the others), the largest first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Design, type InvariantName, notifies, recyclesAtDestroy } from '../../model/index';
import { ToolError } from '../errors';
import type { InvariantVerdict, VariantVerdict } from './verdicts';

export interface ExploredVariant {
  readonly verdict: VariantVerdict;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
}

interface ExploreJson {
  variant: string;
  states: number;
  transitions: number;
  depth: number;
  seconds: number;
  invariants: Record<InvariantName, InvariantVerdict>;
  surprises: VariantVerdict['surprises'];
}

const BIN = fileURLToPath(new URL('../../bin/ioasid-verify.mjs', import.meta.url));

export function defaultJobs(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/** The explore processes still running, so that an interrupted parent can end them. */
const live = new Set<ChildProcess>();
/** Set once stopChildren() is called: no new child is started after it. */
let stopping = false;

/** Whether stopChildren() was called (an interrupted run): in-process loops stop between designs. */
export function stopRequested(): boolean {
  return stopping;
}

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
    const child = spawn(process.execPath, [BIN, 'explore', '--design-json', JSON.stringify(design), '--scope', scopeArg, '--out', out, '--json', '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    child.on('close', () => live.delete(child));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new ToolError('E_CHILD', `explore ${variant}: ${e.message}`)));
    child.on('close', (code) => {
      // Ended by stopChildren: the interrupt handler reports the run; this result never comes.
      if (stopping) return;
      if (code !== 0 && code !== 1) {
        reject(new ToolError('E_CHILD', `explore ${variant} exited ${code}: ${lastLine(stderr)}`));
        return;
      }
      try {
        const j = JSON.parse(stdout) as ExploreJson;
        resolve({
          verdict: { variant: design.name, design, invariants: j.invariants, surprises: j.surprises },
          states: j.states,
          transitions: j.transitions,
          depth: j.depth,
          seconds: j.seconds,
        });
      } catch {
        reject(new ToolError('E_CHILD', `explore ${variant} printed no JSON: ${lastLine(stderr)}`));
      }
    });
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
  // The designs that recycle at destroy have by far the largest state spaces: start them first.
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

function weight(d: Design): number {
  return notifies(d.rules) ? 3 : recyclesAtDestroy(d.rules) ? 2 : 1;
}

/** The line of a child's stderr that says what went wrong: the last one that is not a stack frame. */
function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('^'));
  return lines.at(-1) ?? '';
}

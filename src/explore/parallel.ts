/**
 * Exploring several designs at once on the machine's cores: each design runs
 * as its own `ioasid-verify explore --json` process (a separate heap, so one
 * large state space cannot starve the others), the largest first.
 */
import { spawn } from 'node:child_process';
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

function exploreInChild(scopeArg: string, design: Design, out: string): Promise<ExploredVariant> {
  const variant = design.name;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'explore', '--design-json', JSON.stringify(design), '--scope', scopeArg, '--out', out, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new ToolError('E_CHILD', `explore ${variant}: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) {
        reject(new ToolError('E_CHILD', `explore ${variant} exited ${code}: ${stderr.trim().split('\n')[0] ?? ''}`));
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
        reject(new ToolError('E_CHILD', `explore ${variant} printed no JSON: ${stderr.trim().split('\n')[0] ?? ''}`));
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

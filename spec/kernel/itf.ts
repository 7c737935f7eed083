/*
 * A tiny ITF reader for the kernel's own trace tests: the action, its named
 * arguments and the expected result of each step. Integers may be plain JSON
 * numbers or {"#bigint": "N"}.
 */
import { readFileSync } from 'node:fs';

export interface ItfStep {
  readonly index: number;
  readonly action: string;
  readonly args: Readonly<Record<string, number>>;
  readonly result: string | undefined;
}

export interface ItfTrace {
  readonly variant: string;
  readonly scope: unknown;
  readonly description: string;
  readonly steps: readonly ItfStep[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function int(v: unknown): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (isRecord(v) && typeof v['#bigint'] === 'string') {
    const n = Number(v['#bigint']);
    if (Number.isSafeInteger(n)) return n;
  }
  throw new Error(`not an ITF integer: ${JSON.stringify(v)}`);
}

export function readItf(path: string): ItfTrace {
  const doc: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!isRecord(doc) || !isRecord(doc['#meta']) || !Array.isArray(doc['states'])) throw new Error(`${path}: not ITF`);
  const meta = doc['#meta'];
  const steps = doc['states'].map((state: unknown, index): ItfStep => {
    if (!isRecord(state) || typeof state['mbt::actionTaken'] !== 'string') throw new Error(`${path}: state ${index}`);
    const picks = isRecord(state['mbt::nondetPicks']) ? state['mbt::nondetPicks'] : {};
    const args = Object.fromEntries(Object.entries(picks).map(([name, v]) => [name, int(v)]));
    const result = typeof state['result'] === 'string' ? state['result'] : undefined;
    return { index, action: state['mbt::actionTaken'], args, result };
  });
  return {
    variant: String(meta['variant']),
    scope: meta['scope'],
    description: String(meta['description'] ?? ''),
    steps,
  };
}

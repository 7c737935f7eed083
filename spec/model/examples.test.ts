/**
 * The example traces of DESIGN.md §6 (copied to spec/fixtures/examples, so the
 * suite reads nothing outside the project), replayed through the model: every
 * result must equal the trace's.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ACTION_ARGS, type ActionType, PRESETS, type Scope, type Variant, isActionType, isPresetName, isVariant, violated,
} from '../../model/index';
import { Machine } from './harness';

const DIR = fileURLToPath(new URL('../fixtures/examples/', import.meta.url));

interface Step {
  readonly type: ActionType;
  readonly args: number[];
  readonly result: string;
}
interface Example {
  readonly variant: Variant;
  readonly scope: Scope;
  readonly steps: Step[];
}

/** An ITF integer: {"#bigint": "N"} or a plain JSON integer. */
function int(v: unknown): number {
  if (typeof v === 'number') return v;
  const big = (v as { '#bigint'?: unknown } | null)?.['#bigint'];
  if (typeof big !== 'string' || !/^-?\d+$/.test(big)) throw new Error(`not an ITF integer: ${JSON.stringify(v)}`);
  return Number(big);
}

function readExample(file: string): Example {
  const itf = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as {
    '#meta': { variant: string; scope: string | Scope };
    states: Record<string, unknown>[];
  };
  const { variant, scope } = itf['#meta'];
  if (!isVariant(variant)) throw new Error(`${file}: unknown variant ${variant}`);
  const resolved = typeof scope === 'string' ? (isPresetName(scope) ? PRESETS[scope] : undefined) : scope;
  if (!resolved) throw new Error(`${file}: unknown scope ${String(scope)}`);
  const [init, ...rest] = itf.states;
  if (init?.['mbt::actionTaken'] !== 'init') throw new Error(`${file}: state 0 is not init`);
  const steps = rest.map((s, i): Step => {
    const type = String(s['mbt::actionTaken']);
    if (!isActionType(type)) throw new Error(`${file}: state ${i + 1}: unknown action ${type}`);
    const picks = (s['mbt::nondetPicks'] ?? {}) as Record<string, unknown>;
    const args = (ACTION_ARGS[type] as readonly string[]).map((n) => int(picks[n]));
    return { type, args, result: String(s.result) };
  });
  return { variant, scope: resolved, steps };
}

const FILES = readdirSync(DIR).filter((f) => f.endsWith('.itf.json')).sort();

describe('example traces', () => {
  it('are all present', () => {
    expect(FILES).toEqual([
      'no-drain-in-flight-enqcmd.itf.json',
      'reference-authorized-enqcmd.itf.json',
      'reference-defeats-in-flight-enqcmd.itf.json',
      'reference-kvm-stays-disabled.itf.json',
      'reference-parked-pasid-blocks-dma.itf.json',
    ]);
  });

  it('the reader accepts plain and #bigint integers and rejects anything else', () => {
    expect(int({ '#bigint': '12' })).toBe(12);
    expect(int(3)).toBe(3);
    expect(() => int({ '#bigint': '1.5' })).toThrow();
    expect(() => int(undefined)).toThrow();
  });

  it.each(FILES)('%s: the model gives every result of the trace', (file) => {
    const ex = readExample(file);
    expect(ex.steps.length).toBeGreaterThan(5);
    const m = new Machine(ex.scope, ex.variant);
    const got = ex.steps.map((st) => m.call(st.type, ...st.args));
    expect(got).toEqual(ex.steps.map((st) => st.result));
  });

  it('reference traces keep every invariant at every step; the no-drain trace breaks two', () => {
    const broken = new Set<string>();
    for (const file of FILES) {
      const ex = readExample(file);
      const m = new Machine(ex.scope, ex.variant);
      for (const st of ex.steps) {
        m.call(st.type, ...st.args);
        const bad = violated(m.scope, m.state);
        if (ex.variant === 'reference') expect(bad, `${file} after ${st.type}`).toEqual([]);
        else bad.forEach((b) => broken.add(b));
      }
    }
    expect([...broken].sort()).toEqual(['no-cross-tenant-dma', 'recycle-at-zero']);
  });
});

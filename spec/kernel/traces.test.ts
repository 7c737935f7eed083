/*
 * The example traces of DESIGN.md replayed on the kernel alone. Reference
 * traces must match step for step; the no-drain trace shows a flaw the kernel
 * does not have, so it must match up to the stale descriptor's run and then
 * differ exactly there (the drain removed it: idle, not ok:2).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IoasidKernel } from '../../src/kernel';
import { ACTIONS, call, DEFAULT, isAction } from './harness';
import { readItf, type ItfTrace } from './itf';

const dir = join(import.meta.dirname, '../fixtures/examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.itf.json')).sort();

/** Each step's kernel result, from state 1 on (state 0 is init). */
function replay(trace: ItfTrace): Array<{ index: number; expected: string | undefined; kernel: string }> {
  expect(trace.scope).toBe('default');
  const k = new IoasidKernel(DEFAULT);
  return trace.steps.slice(1).map((s) => {
    if (!isAction(s.action)) throw new Error(`step ${s.index}: unknown action ${s.action}`);
    const args = ACTIONS[s.action].map((name) => s.args[name]);
    return { index: s.index, expected: s.result, kernel: call(k, s.action, args) };
  });
}

describe('example traces', () => {
  it('are all present', () => {
    expect(files).toHaveLength(5);
  });

  for (const file of files) {
    const trace = readItf(join(dir, file));
    if (trace.variant === 'reference') {
      it(`${file} matches every step`, () => {
        const steps = replay(trace);
        expect(steps.length).toBeGreaterThan(5);
        for (const s of steps) expect({ index: s.index, result: s.kernel }).toEqual({ index: s.index, result: s.expected });
      });
    } else {
      it(`${file} (${trace.variant}) diverges only where the reference design drains`, () => {
        const steps = replay(trace);
        const diverging = steps.filter((s) => s.kernel !== s.expected);
        expect(diverging).toEqual([{ index: 12, expected: 'ok:2', kernel: 'idle' }]);
      });
    }
  }
});

describe('the drain in the traces', () => {
  it('removes the stale descriptor at exit, before the PASID is reused', () => {
    const trace = readItf(join(dir, 'reference-defeats-in-flight-enqcmd.itf.json'));
    const k = new IoasidKernel(DEFAULT);
    for (const s of trace.steps.slice(1, 9)) {
      if (isAction(s.action)) call(k, s.action, ACTIONS[s.action].map((n) => s.args[n]));
    }
    expect(k.debugfs().swqs[0]?.queue).toEqual([{ issuer: 1, pasid: 1 }]);
    expect(k.exit(1)).toBe(0);
    expect(k.debugfs().swqs[0]?.queue).toEqual([]);
    expect(k.debugfs().freePasids).toEqual([1, 2]);
  });
});

/**
 * The counterexamples the viewer tests open: every flawed preset's shortest
 * counterexample at `default` (the regression traces, which the explorer
 * wrote and spec/conformance/regression.test.ts holds to it), run to the end
 * with its witness steps exactly as `explore --out` writes it
 * (src/trace/attack.ts), and replayed on the kernel.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isInvariantName } from '../../model/index';
import { replaySteps } from '../../src/conformance/replay';
import { attackTrace } from '../../src/explore/attack';
import { type Trace, parseTrace } from '../../src/trace/itf';
import { viewInputOf } from '../../src/view/fromTrace';
import type { ViewInput } from '../../src/view/pageData';

const DIR = join(import.meta.dirname, '../fixtures/regression');

export interface Counterexample {
  /** `no-drain--no-cross-tenant-dma` */
  readonly name: string;
  /** the ITF document, as explore writes it */
  readonly doc: object;
  readonly trace: Trace;
}

export function counterexamples(): Counterexample[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.itf.json'))
    .sort()
    .map((f) => {
      const t0 = parseTrace(readFileSync(join(DIR, f), 'utf8'), f);
      const inv = String(t0.invariant);
      if (!isInvariantName(inv)) throw new Error(`${f}: no #meta.invariant`);
      const doc = attackTrace(t0.scope, t0.design, inv, t0.steps.map((s) => s.action), 'exhaustive BFS').doc;
      return { name: f.replace(/\.itf\.json$/, ''), doc, trace: parseTrace(JSON.stringify(doc), f) };
    });
}

/** What `view FILE --replay` gives the renderer for a trace. */
export function viewInput(t: Trace, replay = true): ViewInput {
  return viewInputOf(t, replay ? { replay: replaySteps(t.scope.scope, t.design.rules, t.steps), kernelName: 'kernel (reference)' } : {});
}

/**
 * A worker thread of the parallel BFS (parallelBfs.ts). Per level it is told
 * the frontier (the states lo..hi-1, contiguous in BFS order), takes chunks of
 * it from a shared cursor, expands each state with every candidate call, and
 * adds what it finds to the shared table (sharedTable.ts), checking each new
 * state against the invariants (and lemmas) not yet broken. It answers each
 * level with its counts; the coordinator does the numbering.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AnyAction } from '../../model/actions';
import { scopeCandidates } from '../../model/candidates';
import { type Lemma, lemmasAt } from '../../model/lemmas';
import { notifies } from '../../model/rules';
import type { Scope } from '../../model/scope';
import { type State, initialState } from '../../model/state';
import { type Outcome, stepOf } from '../../model/step';
import type { Design } from '../../model/variants';
import { decode } from './decode';
import { Encoder } from './encode';
import { type SleepSets, absorbedAfter, sleepAfter, sleepSets } from './sleep';
import { CTL, type LevelLimits, type SharedBuffers, SharedViews, brokenBits, insertShared } from './sharedTable';

export interface WorkerSetup {
  /** marks the workerData of this module (a test runner's own worker threads have a parentPort too) */
  readonly role: 'ioasid-bfs';
  readonly scope: Scope;
  readonly design: Design;
  /** check the lemmas of model/lemmas.ts too */
  readonly lemmas: boolean;
  /** skip the calls the reduction puts to sleep (src/explore/sleep.ts) */
  readonly reduce: boolean;
}

/**
 * What the reduction needs of a level: per frontier position, its parent's
 * position in the level before and the call that reached it; per position of
 * the level before, its sleep set and which calls changed it (`words` words
 * each), and the same to fill for this level.
 */
export interface LevelSleep {
  readonly parentAt: SharedArrayBuffer;
  readonly via: SharedArrayBuffer;
  readonly asleepBefore: SharedArrayBuffer;
  readonly enabledBefore: SharedArrayBuffer;
  readonly asleep: SharedArrayBuffer;
  readonly enabled: SharedArrayBuffer;
}

/** One level to expand. */
export interface LevelJob extends LevelLimits {
  readonly kind: 'level';
  readonly lo: number;
  readonly hi: number;
  /** bits of the invariants and lemmas already broken: not checked again */
  readonly broken: number;
  /** new buffers after a growth; absent: the last ones */
  readonly buffers?: SharedBuffers;
  /** with the reduction */
  readonly sleep?: LevelSleep;
}

export type WorkerReply =
  | { readonly kind: 'level'; readonly transitions: number; readonly calls: number; readonly asleep: number; readonly absorbed: number }
  | { readonly kind: 'failed'; readonly message: string };

/** States taken from the cursor at a time. */
const CHUNK = 16;

/** What a worker computes once, at its start: the same for every level. */
interface WorkerFixed {
  readonly actions: readonly AnyAction[];
  /** per action, the model's step with it (stepOf) */
  readonly steps: readonly ((s: State) => Outcome)[];
  /** the lemmas checked in each new state: the scope's (lemmasAt), or none */
  readonly lemmas: readonly Lemma[];
  readonly enc: Encoder;
  readonly init: State;
  /** the reduction's sleep sets, or null without it */
  readonly sleep: SleepSets | null;
}

function expandLevel(setup: WorkerSetup, fixed: WorkerFixed, v: SharedViews, job: LevelJob): WorkerReply {
  const { scope, design } = setup;
  const { actions, steps, lemmas, enc, init } = fixed;
  const nA = actions.length;
  const width = job.hi - job.lo;
  const sleep = job.sleep && fixed.sleep ? fixed.sleep : null;
  const W = sleep ? sleep.words : 0;
  const parentAt = job.sleep ? new Int32Array(job.sleep.parentAt) : null;
  const via = job.sleep ? new Uint16Array(job.sleep.via) : null;
  const asleepBefore = job.sleep ? new Uint32Array(job.sleep.asleepBefore) : null;
  const before = job.sleep ? new Uint32Array(job.sleep.enabledBefore) : null;
  const asleepHere = job.sleep ? new Uint32Array(job.sleep.asleep) : null;
  const enabled = job.sleep ? new Uint32Array(job.sleep.enabled) : null;
  let transitions = 0;
  let calls = 0;
  let asleepCalls = 0;
  let absorbedCalls = 0;
  const absorbedHere = new Uint32Array(W);
  const reply = (): WorkerReply => ({ kind: 'level', transitions, calls, asleep: asleepCalls, absorbed: absorbedCalls });
  for (;;) {
    if (Atomics.load(v.ctl, CTL.stop) !== 0) break;
    const k0 = Atomics.add(v.ctl, CTL.cursor, CHUNK);
    if (k0 >= width) break;
    for (let k = k0, end = Math.min(width, k0 + CHUNK); k < end; k++) {
      const idx = job.lo + k;
      const s = idx === 0 ? init : decode(scope, v.encoding(idx));
      // As in explorer.ts: the calls asleep or absorbed here are counted, not stepped.
      const reduced = sleep !== null && idx !== 0;
      const pAt = reduced ? parentAt![k]! * W : 0;
      if (reduced) {
        sleepAfter(sleep, s, via![k]!, asleepBefore!, pAt, asleepHere!, k * W);
        absorbedAfter(sleep, s, via![k]!, before!, pAt, absorbedHere, 0);
      }
      for (let a = 0; a < nA; a++) {
        calls++;
        const word = a >>> 5;
        const bit = 1 << (a & 31);
        if (reduced && (asleepHere![k * W + word]! & bit) !== 0) {
          asleepCalls++;
          if ((before![pAt + word]! & bit) !== 0) {
            transitions++;
            enabled![k * W + word]! |= bit;
          }
          continue;
        }
        if (reduced && (absorbedHere[word]! & bit) !== 0) {
          absorbedCalls++;
          transitions++;
          enabled![k * W + word]! |= bit;
          continue;
        }
        const t = steps[a]!(s).state;
        if (t === s) continue;
        transitions++;
        if (enabled) enabled[k * W + word]! |= bit;
        enc.encode(t);
        const n = enc.nWords;
        const tid = insertShared(v, job, enc.words, n, enc.hash, k * nA + a);
        if (tid === -2) return reply();
        if (tid >= 0) v.tidBad[tid] = brokenBits(scope, design, lemmas, t, job.broken);
      }
    }
  }
  return reply();
}

const setup = workerData as WorkerSetup | undefined;
if (parentPort && setup?.role === 'ioasid-bfs') {
  const actions = scopeCandidates(setup.scope, setup.design.rules);
  const fixed: WorkerFixed = {
    actions,
    steps: actions.map((a) => stepOf(setup.scope, setup.design.rules, a)),
    lemmas: setup.lemmas ? lemmasAt(setup.scope) : [],
    enc: new Encoder(setup.scope, notifies(setup.design.rules)),
    init: initialState(setup.scope),
    sleep: setup.reduce ? sleepSets(setup.scope, setup.design.rules, actions) : null,
  };
  let views: SharedViews | undefined;
  parentPort.on('message', (job: LevelJob) => {
    let reply: WorkerReply;
    try {
      if (job.buffers) views = new SharedViews(job.buffers);
      reply = expandLevel(setup, fixed, views!, job);
      Atomics.add(views!.ctl, CTL.done, 1);
    } catch (e) {
      reply = { kind: 'failed', message: (e as Error)?.stack ?? String(e) };
    }
    parentPort!.postMessage(reply);
  });
}

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
import { CTL, type LevelLimits, type SharedBuffers, SharedViews, brokenBits, insertShared } from './sharedTable';

export interface WorkerSetup {
  /** marks the workerData of this module (a test runner's own worker threads have a parentPort too) */
  readonly role: 'ioasid-bfs';
  readonly scope: Scope;
  readonly design: Design;
  /** check the lemmas of model/lemmas.ts too */
  readonly lemmas: boolean;
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
}

export type WorkerReply = { readonly kind: 'level'; readonly transitions: number; readonly calls: number } | { readonly kind: 'failed'; readonly message: string };

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
}

function expandLevel(setup: WorkerSetup, fixed: WorkerFixed, v: SharedViews, job: LevelJob): WorkerReply {
  const { scope, design } = setup;
  const { actions, steps, lemmas, enc, init } = fixed;
  const nA = actions.length;
  const width = job.hi - job.lo;
  let transitions = 0;
  let calls = 0;
  for (;;) {
    if (Atomics.load(v.ctl, CTL.stop) !== 0) break;
    const k0 = Atomics.add(v.ctl, CTL.cursor, CHUNK);
    if (k0 >= width) break;
    for (let k = k0, end = Math.min(width, k0 + CHUNK); k < end; k++) {
      const idx = job.lo + k;
      const s = idx === 0 ? init : decode(scope, v.encoding(idx));
      for (let a = 0; a < nA; a++) {
        calls++;
        const t = steps[a]!(s).state;
        if (t === s) continue;
        transitions++;
        enc.encode(t);
        const n = enc.nWords;
        const tid = insertShared(v, job, enc.words, n, enc.hash, k * nA + a);
        if (tid === -2) return { kind: 'level', transitions, calls };
        if (tid >= 0) v.tidBad[tid] = brokenBits(scope, design, lemmas, t, job.broken);
      }
    }
  }
  return { kind: 'level', transitions, calls };
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

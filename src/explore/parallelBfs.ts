/**
 * Exhaustive BFS of one design on several worker threads (bfsWorker.ts), with
 * exactly the result of the sequential explorer (explorer.ts) whatever the
 * number of workers: the same states, transitions, calls and depth, and per
 * invariant the same first violating state and the same trace to it.
 *
 * The search is level-synchronous. In a level the workers expand the frontier
 * into the shared table (sharedTable.ts); each new state keeps the least
 * (frontier position, action index) of a transition that reached it. After the
 * level this thread numbers the new states in that order, which is the order
 * the sequential BFS finds them in, so BFS indices, parents, actions and first
 * violations come out the same. It also grows the shared buffers between
 * levels (stop the world); a level that overflows them is undone and rerun.
 */
import { Worker } from 'node:worker_threads';
import { scopeCandidates } from '../../model/candidates';
import { INVARIANTS, type InvariantName } from '../../model/invariants';
import { lemmasAt } from '../../model/lemmas';
import { notifies } from '../../model/rules';
import type { Scope } from '../../model/scope';
import { initialState } from '../../model/state';
import type { Design } from '../../model/variants';
import { childModule } from '../childModule';
import { ToolError } from '../errors';
import type { LevelJob, LevelSleep, WorkerReply, WorkerSetup } from './bfsWorker';
import { Encoder } from './encode';
import { type ExploreOptions, type ExploreResult, type SearchTree, pathTo, shortestViolations } from './explorer';
import { CTL, DEAD, type SharedBuffers, SharedViews, brokenBits } from './sharedTable';
import { hashWords } from './store';

export interface ParallelOptions {
  /** worker threads (at least 1: that one runs the levels, this thread numbers) */
  readonly workers: number;
  /** also check the lemmas of model/lemmas.ts */
  readonly lemmas?: boolean;
  readonly maxDepth?: number;
  readonly onLayer?: ExploreOptions['onLayer'];
  /** tests: plan no room ahead, so that levels overflow the buffers and are undone and rerun */
  readonly tight?: boolean;
  /** skip the calls the reduction puts to sleep (src/explore/sleep.ts; default true, the result is the same) */
  readonly reduce?: boolean;
}

const sab = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(Math.max(8, bytes));

/** A copy of `old` in a larger buffer. */
function grown(old: SharedArrayBuffer, bytes: number): SharedArrayBuffer {
  const b = sab(bytes);
  new Uint8Array(b).set(new Uint8Array(old));
  return b;
}

/** The buffers, their growth, and the numbering of each level's new states. */
class Coordinator {
  b: SharedBuffers;
  v: SharedViews;
  /** whether `b` changed since the workers last saw it */
  fresh = true;
  states = 0;
  parent = new Int32Array(1 << 12);
  via = new Uint16Array(1 << 12);
  /** per bit (brokenBits): the BFS index of the first state with it, or -1 */
  readonly firstAt = new Int32Array(32).fill(-1);
  broken = 0;

  /** `log2`: of the first sizes (4096 states, 16384 slots) */
  constructor(log2 = 12) {
    const n = 1 << log2;
    this.b = {
      ctl: sab(CTL.size * 4),
      table: sab(16 * n),
      arena: sab(64 * n),
      off: sab(4 * n),
      len: sab(2 * n),
      tidOff: sab(4 * n),
      tidLen: sab(2 * n),
      tidKey: sab(4 * n),
      tidSlot: sab(4 * n),
      tidBad: sab(4 * n),
    };
    this.v = new SharedViews(this.b);
  }

  private set(b: SharedBuffers): void {
    this.b = b;
    this.v = new SharedViews(b);
    this.fresh = true;
  }

  /** The initial state, numbered 0. */
  addInit(words: Uint32Array, n: number, bits: number): void {
    const v = this.v;
    v.arena.set(words.subarray(0, n), 0);
    v.ctl[CTL.arenaTop] = n;
    v.off[0] = 0;
    v.len[0] = n;
    v.table[hashWords(words, 0, n) & v.mask] = 1;
    this.parent[0] = -1;
    this.states = 1;
    this.record(0, bits);
  }

  private record(index: number, bits: number): void {
    const fresh = bits & ~this.broken;
    if (fresh === 0) return;
    for (let b = 0; b < 32; b++) if ((fresh & (1 << b)) !== 0) this.firstAt[b] = index;
    this.broken |= fresh;
  }

  /**
   * Room for a level that adds up to `newStates` states of `newWords` words:
   * tid buffers, a table at most 60% full after it, arena room. Returns the
   * limits the workers get.
   */
  room(newStates: number, newWords: number): { tidCap: number; arenaCap: number } {
    let b = this.b;
    const tids = new Uint32Array(b.tidKey).length;
    if (tids < newStates) {
      let n = tids;
      while (n < newStates) n *= 2;
      b = { ...b, tidOff: sab(4 * n), tidLen: sab(2 * n), tidKey: sab(4 * n), tidSlot: sab(4 * n), tidBad: sab(4 * n) };
    }
    const top = this.v.ctl[CTL.arenaTop]!;
    let words = new Uint32Array(b.arena).length;
    if (top + newWords > words) {
      while (top + newWords > words) words *= 2;
      b = { ...b, arena: grown(b.arena, 4 * words) };
    }
    if (b !== this.b) this.set(b);
    let slots = this.v.table.length;
    while ((this.states + newStates) * 10 > slots * 6) slots *= 2;
    if (slots > this.v.table.length) this.rehash(slots);
    const tidCap = Math.min(new Uint32Array(this.b.tidKey).length, Math.floor(this.v.table.length * 0.75) - this.states);
    return { tidCap, arenaCap: new Uint32Array(this.b.arena).length };
  }

  private rehash(slots: number): void {
    const table = new Int32Array(sab(4 * slots));
    const mask = slots - 1;
    const { arena, off, len } = this.v;
    for (let i = 0; i < this.states; i++) {
      let h = hashWords(arena, off[i]!, len[i]!) & mask;
      while (table[h] !== 0) h = (h + 1) & mask;
      table[h] = i + 1;
    }
    this.set({ ...this.b, table: table.buffer as SharedArrayBuffer });
  }

  /** Empties the table of the level's tids and gives their arena room back. */
  undo(levelTop: number): void {
    const t = this.v.table;
    for (let i = 0; i < t.length; i++) if (t[i]! < 0) t[i] = 0;
    this.v.ctl[CTL.arenaTop] = levelTop;
  }

  /** Per-state arrays for `n` states. */
  private fit(n: number): void {
    if (n <= this.parent.length && n <= this.v.off.length) return;
    let cap = this.parent.length;
    while (cap < n) cap *= 2;
    const p = new Int32Array(cap);
    p.set(this.parent);
    this.parent = p;
    const w = new Uint16Array(cap);
    w.set(this.via);
    this.via = w;
    this.set({ ...this.b, off: grown(this.b.off, 4 * cap), len: grown(this.b.len, 2 * cap) });
  }

  /**
   * Numbers the level's new states (the frontier was lo..) in key order and
   * writes the numbers into their slots; returns how many there are.
   */
  renumber(lo: number, width: number, nA: number): number {
    const v = this.v;
    const m = v.ctl[CTL.newCount]!;
    const { tidKey, tidSlot } = v;
    const start = new Int32Array(width + 1);
    let live = 0;
    for (let t = 0; t < m; t++) {
      if (tidSlot[t] === DEAD) continue;
      start[Math.floor(tidKey[t]! / nA) + 1]!++;
      live++;
    }
    for (let k = 0; k < width; k++) start[k + 1]! += start[k]!;
    const order = new Int32Array(live);
    const fill = start.slice(0, width);
    for (let t = 0; t < m; t++) if (tidSlot[t] !== DEAD) order[fill[Math.floor(tidKey[t]! / nA)]!++] = t;
    // Within one parent, by action: few each, insertion sort.
    for (let k = 0; k < width; k++) {
      for (let i = start[k]! + 1; i < start[k + 1]!; i++) {
        const t = order[i]!;
        let j = i - 1;
        for (; j >= start[k]! && tidKey[order[j]!]! > tidKey[t]!; j--) order[j + 1] = order[j]!;
        order[j + 1] = t;
      }
    }
    this.fit(this.states + live);
    const w = this.v;
    for (let r = 0; r < live; r++) {
      const t = order[r]!;
      const i = this.states + r;
      const key = w.tidKey[t]!;
      const k = Math.floor(key / nA);
      this.parent[i] = lo + k;
      this.via[i] = key - k * nA;
      w.off[i] = w.tidOff[t]!;
      w.len[i] = w.tidLen[t]!;
      w.table[w.tidSlot[t]!] = i + 1;
      this.record(i, w.tidBad[t]!);
    }
    this.states += live;
    return live;
  }

  /** The reduction's view of the frontier lo..hi-1, whose parents were the level from parentLo on. */
  levelSleep(lo: number, hi: number, parentLo: number, words: number, before: { asleep: SharedArrayBuffer; enabled: SharedArrayBuffer }): LevelSleep {
    const width = hi - lo;
    const parentAt = new Int32Array(sab(4 * width));
    const via = new Uint16Array(sab(2 * width));
    for (let k = 0; k < width; k++) {
      parentAt[k] = lo + k === 0 ? 0 : this.parent[lo + k]! - parentLo;
      via[k] = lo + k === 0 ? 0 : this.via[lo + k]!;
    }
    return {
      parentAt: parentAt.buffer as SharedArrayBuffer,
      via: via.buffer as SharedArrayBuffer,
      asleepBefore: before.asleep,
      enabledBefore: before.enabled,
      asleep: sab(4 * width * words),
      enabled: sab(4 * width * words),
    };
  }

  storeBytes(): number {
    return this.v.ctl[CTL.arenaTop]! * 4 + this.v.table.byteLength + this.states * (4 + 2 + 4 + 2);
  }
}

/** The worker threads, each answering one message per level. */
class Crew {
  private readonly workers: Worker[];
  private failure: Error | undefined;

  constructor(n: number, setup: WorkerSetup) {
    const { module, args } = childModule(import.meta.url, 'explore/bfsWorker');
    this.workers = Array.from({ length: n }, () => {
      const w = new Worker(module, { argv: args, workerData: setup });
      w.on('error', (e) => (this.failure ??= e));
      return w;
    });
  }

  /** Sends `job` to every worker; resolves with their replies once all have answered. */
  run(job: LevelJob): Promise<WorkerReply[]> {
    return Promise.all(
      this.workers.map(
        (w) =>
          new Promise<WorkerReply>((resolve, reject) => {
            const onExit = (code: number): void => reject(this.failure ?? new Error(`a BFS worker exited ${code}`));
            w.once('exit', onExit);
            w.once('message', (r: WorkerReply) => {
              w.off('exit', onExit);
              resolve(r);
            });
            w.postMessage(job);
          }),
      ),
    );
  }

  end(): Promise<unknown> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** What the workers count over a level (WorkerReply) and over the run. */
interface LevelCounts {
  transitions: number;
  calls: number;
  asleep: number;
  absorbed: number;
}
const noCounts = (): LevelCounts => ({ transitions: 0, calls: 0, asleep: 0, absorbed: 0 });
function addCounts(to: LevelCounts, r: LevelCounts): void {
  to.transitions += r.transitions;
  to.calls += r.calls;
  to.asleep += r.asleep;
  to.absorbed += r.absorbed;
}

/** Runs one level until it fits its limits; returns its transitions and calls. */
async function runLevel(
  c: Coordinator,
  crew: Crew,
  lo: number,
  hi: number,
  estimate: { states: number; words: number },
  sleep: LevelSleep | undefined,
): Promise<LevelCounts> {
  const levelTop = c.v.ctl[CTL.arenaTop]!;
  for (let want = estimate; ; ) {
    const lim = c.room(want.states, want.words);
    const ctl = c.v.ctl;
    ctl[CTL.newCount] = 0;
    ctl[CTL.cursor] = 0;
    ctl[CTL.stop] = 0;
    ctl[CTL.done] = 0;
    if (sleep) new Uint32Array(sleep.enabled).fill(0); // a rerun starts afresh
    const job: LevelJob = { kind: 'level', lo, hi, broken: c.broken, ...lim, ...(c.fresh ? { buffers: c.b } : {}), ...(sleep ? { sleep } : {}) };
    c.fresh = false;
    const replies = await crew.run(job);
    const failed = replies.find((r) => r.kind === 'failed');
    if (failed?.kind === 'failed') throw new ToolError('E_INTERNAL', `internal error in a BFS worker: ${failed.message}`);
    if (Atomics.load(ctl, CTL.stop) === 0) {
      const n = noCounts();
      for (const r of replies) if (r.kind === 'level') addCounts(n, r);
      return n;
    }
    c.undo(levelTop);
    want = { states: 2 * Math.max(lim.tidCap, want.states), words: 2 * Math.max(lim.arenaCap - levelTop, want.words) };
  }
}

/** The sequential explorer's result for `design` at `scope`, computed by `opts.workers` worker threads. */
export async function exploreParallel(scope: Scope, design: Design, opts: ParallelOptions): Promise<ExploreResult> {
  const t0 = performance.now();
  const { rules } = design;
  const actions = scopeCandidates(scope, rules);
  const nA = actions.length;
  if (nA >= 0xffff) throw new ToolError('E_SCOPE', `${nA} candidate calls: the parallel explorer takes fewer than 65535`);
  const lemmas = opts.lemmas === true;
  const c = new Coordinator(opts.tight ? 2 : 12);
  const init = initialState(scope);
  const enc = new Encoder(scope, notifies(rules));
  enc.encode(init);
  c.addInit(enc.words, enc.nWords, brokenBits(scope, design, lemmas ? lemmasAt(scope) : [], init, 0));
  const reduce = opts.reduce !== false;
  const W = Math.ceil(nA / 32);
  const crew = new Crew(Math.max(1, opts.workers), { role: 'ioasid-bfs', scope, design, lemmas: opts.lemmas === true, reduce });
  let lo = 0;
  let depth = 0;
  const counts = noCounts();
  let last = 1;
  let parentLo = 0;
  let before = { asleep: sab(0), enabled: sab(0) };
  try {
    for (const maxDepth = opts.maxDepth ?? Infinity; c.states > lo && depth < maxDepth; ) {
      const hi = c.states;
      if ((hi - lo) * nA > 0xffffffff) throw new ToolError('E_SCOPE', `a BFS level of ${hi - lo} states is beyond the parallel explorer's keys`);
      const wordsPerState = Math.ceil(c.v.ctl[CTL.arenaTop]! / c.states) + 1;
      const want = opts.tight ? 1 : Math.max(4096, 3 * last, Math.min(nA * (hi - lo), 1 << 16));
      const sleep = reduce ? c.levelSleep(lo, hi, parentLo, W, before) : undefined;
      const r = await runLevel(c, crew, lo, hi, { states: want, words: want * wordsPerState }, sleep);
      addCounts(counts, r);
      if (sleep) before = { asleep: sleep.asleep, enabled: sleep.enabled };
      parentLo = lo;
      last = c.renumber(lo, hi - lo, nA);
      lo = hi;
      if (last > 0) depth++;
      opts.onLayer?.({ depth, states: c.states, frontier: last, seconds: (performance.now() - t0) / 1000 });
    }
  } finally {
    await crew.end();
  }
  return result(c, { scope, design, actions, lemmas, t0, ...counts, depth });
}

function result(
  c: Coordinator,
  r: LevelCounts & { scope: Scope; design: Design; actions: ReturnType<typeof scopeCandidates>; lemmas: boolean; t0: number; depth: number },
): ExploreResult {
  const v = c.v;
  const tree: SearchTree = {
    scope: r.scope,
    rules: r.design.rules,
    init: initialState(r.scope),
    actions: r.actions,
    encoding: (i) => v.encoding(i),
    parent: c.parent,
    via: c.via,
    orderFree: notifies(r.design.rules),
  };
  const firstBad = new Map<InvariantName, number>();
  INVARIANTS.forEach((inv, b) => c.firstAt[b]! >= 0 && firstBad.set(inv.name, c.firstAt[b]!));
  const lemmaAt = lemmasAt(r.scope).map((l, j) => [l.name, c.firstAt[INVARIANTS.length + j]!] as const).filter(([, at]) => at >= 0).sort((x, y) => x[1] - y[1]);
  return {
    variant: r.design.name,
    design: r.design,
    states: c.states,
    transitions: r.transitions,
    calls: r.calls,
    asleep: r.asleep,
    absorbed: r.absorbed,
    depth: r.depth,
    seconds: (performance.now() - r.t0) / 1000,
    storeBytes: c.storeBytes(),
    violations: shortestViolations(tree, firstBad),
    ...(r.lemmas ? { lemmaViolations: new Map(lemmaAt.map(([name, at]) => [name, pathTo(tree, at)])) } : {}),
  };
}

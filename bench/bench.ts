/**
 * `npm run bench`: the explorer's speed and memory, medians of several runs,
 * each run in a fresh process so that peak memory is its own.
 *   npm run bench                     reference at default (5 runs) and large (3 runs), on 1 worker (the
 *                                     sequential explorer) and on every core (the parallel BFS), with the speedup;
 *                                     and `explore` through the CLI at default, wall time, for both
 *   npm run bench -- --all            also every variant at default (1 run each)
 *   npm run bench -- --proofs         also the Z3 proofs, BMC, a sweep and outcome coverage (--long: BMC at 10-11 steps with lemmas, sweep up to default)
 *   npm run bench -- --no-large       without the large scope (minutes)
 *   npm run bench -- --no-check       without `check --scope default` through the CLI (about 30 s a run: all designs, proofs, conformance)
 *   npm run bench -- --check-runs N   runs of that check (default 3, the median quoted; the machine's speed drifts by a third within minutes)
 *   npm run bench -- --sweep-bound B  the prove --up-to bound for the --jobs comparison (default bench/sweep-bound.json, 6 scopes)
 *   npm run bench -- --sweep-runs N   runs of each --jobs setting (default 3; at --sweep-bound default one --jobs 2 run took 470 s)
 *   npm run bench -- --matrix S       also the design-space matrix at scope S (all rules but svaPasidFree) with all cores, once (15 minutes at tiny)
 * Every line says the load average when it was measured: the machine is shared.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshEntry } from '../bin/fresh.mjs';
import { REFERENCE_DESIGN, VARIANTS, VARIANT_NAMES, isReferenceRules } from '../model/index';

interface Run {
  states: number;
  transitions: number;
  calls: number;
  asleep: number;
  absorbed: number;
  depth: number;
  seconds: number;
  cpuSeconds: number;
  storeBytesPerState: number;
  maxRssMB: number;
}

const runTs = fileURLToPath(new URL('../bin/run-ts.mjs', import.meta.url));
const args = process.argv.slice(2);
const cli = fileURLToPath(new URL('../bin/ioasid-verify.mjs', import.meta.url));
const load = (): string => `load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`;

/**
 * explore-once from dist/ (an entry of scripts/build.mjs; built first if dist/
 * is stale), so that its BFS workers start from dist/explore/bfsWorker.mjs as
 * the CLI's do: through tsx each worker thread transpiled the sources again.
 */
function builtOnce(): string {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (freshEntry('bench/explore-once.mjs') === undefined) execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });
  const built = freshEntry('bench/explore-once.mjs');
  if (built === undefined) throw new Error('dist/ is still stale after scripts/build.mjs');
  return fileURLToPath(built);
}

function run(scope: string, variant: string, workers = 1): Run {
  const out = execFileSync(process.execPath, [onceBuilt, scope, variant, String(workers)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Run;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** `n` runs on each worker count of `workers` (alternating); returns the median seconds per count. */
function measure(scope: string, variant: string, n: number, workers: readonly number[] = [1]): number[] {
  const runs = workers.map(() => [] as Run[]);
  for (let i = 0; i < n; i++) workers.forEach((w, j) => runs[j]!.push(run(scope, variant, w)));
  const medians = runs.map((rs) => median(rs.map((x) => x.seconds)));
  workers.forEach((w, j) => line(scope, variant, w, runs[j]!, j === 0 ? '' : `speedup ${(medians[0]! / medians[j]!).toFixed(2)}x`));
  return medians;
}

function line(scope: string, variant: string, workers: number, runs: readonly Run[], note: string): void {
  const n = runs.length;
  const r = runs[0]!;
  const t = median(runs.map((x) => x.seconds));
  const cpu = median(runs.map((x) => x.cpuSeconds));
  console.log(
    [
      `${variant}@${scope} ${workers} worker${workers === 1 ? '' : 's'}`.padEnd(32),
      `${r.states} states`.padStart(16),
      `${r.transitions} transitions`.padStart(22),
      `${((100 * r.asleep) / r.calls).toFixed(0)}% of calls asleep, ${((100 * r.absorbed) / r.calls).toFixed(1)}% absorbed`.padStart(34),
      `depth ${r.depth}`.padStart(9),
      `median ${t.toFixed(2)}s (cpu ${cpu.toFixed(2)}s, n=${n}, min ${Math.min(...runs.map((x) => x.seconds)).toFixed(2)}s)`.padStart(44),
      `${Math.round(r.states / t)} states/s`.padStart(17),
      `${Math.round(r.transitions / t)} transitions/s`.padStart(22),
      `store ${r.storeBytesPerState.toFixed(1)} B/state`.padStart(22),
      `peak RSS ${median(runs.map((x) => x.maxRssMB)).toFixed(0)} MB`.padStart(18),
      note.padStart(16),
      `(${load()})`,
    ].join(' '),
  );
}

/** Wall seconds of one CLI run (fresh process), exiting 0. */
function timeCli(cliArgs: readonly string[], env: Record<string, string> = {}): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...cliArgs], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`ioasid-verify ${cliArgs.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`);
  return (performance.now() - t0) / 1000;
}

/** `--help` wall time, from dist/ (when fresh) and through tsx: the start-up every command pays. */
function measureStartup(n: number): void {
  const built = freshEntry('cli/main.mjs') !== undefined;
  const ways: [string, Record<string, string>][] = [
    [built ? 'dist/ (compiled)' : 'dist/ STALE: through tsx', {}],
    ['through tsx (IOASID_VERIFY_NO_DIST=1)', { IOASID_VERIFY_NO_DIST: '1' }],
  ];
  for (const [how, env] of ways) {
    const t = Array.from({ length: n }, () => timeCli(['--help'], env));
    console.log(`--help ${how}`.padEnd(48), `median ${(median(t) * 1000).toFixed(0)} ms (n=${n}, min ${(Math.min(...t) * 1000).toFixed(0)} ms)`.padStart(36), `(${load()})`);
  }
}

/** `prove --up-to B --jobs J` wall time for J = 1 and J = the cores there are, same bound, alternating runs. */
function measureSweep(bound: string, n: number): void {
  const all = Math.max(2, availableParallelism());
  const times = new Map<number, number[]>([[1, []], [all, []]]);
  for (let i = 0; i < n; i++) for (const j of times.keys()) times.get(j)!.push(timeCli(['prove', '--up-to', bound, '--jobs', String(j), '--json', '--quiet']));
  const one = median(times.get(1)!);
  for (const [j, t] of times) {
    console.log(
      `prove --up-to ${bound} --jobs ${j}`.padEnd(48),
      `median ${median(t).toFixed(1)}s (n=${n}, min ${Math.min(...t).toFixed(1)}s)`.padStart(36),
      j === 1 ? ''.padStart(16) : `speedup ${(one / median(t)).toFixed(2)}x`.padStart(16),
      `(${load()})`,
    );
  }
}

/** `explore --scope S --workers W` through the CLI (dist/ when fresh), wall time, for each W, alternating runs. */
function measureExploreCli(scope: string, workers: readonly number[], n: number): void {
  const times = workers.map(() => [] as number[]);
  for (let i = 0; i < n; i++) workers.forEach((w, j) => times[j]!.push(timeCli(['explore', '--scope', scope, '--workers', String(w), '--json', '--quiet', '--out', tmpOut])));
  workers.forEach((w, j) => {
    const speedup = j === 0 ? '' : `speedup ${(median(times[0]!) / median(times[j]!)).toFixed(2)}x`;
    console.log(`explore --scope ${scope} --workers ${w}`.padEnd(48), `median ${median(times[j]!).toFixed(2)}s wall (n=${n}, min ${Math.min(...times[j]!).toFixed(2)}s)`.padStart(36), speedup.padStart(16), `(${load()})`);
  });
}

/** The positive integer after `flag`, or `dflt` without the flag. */
function positiveArg(flag: string, dflt: number): number {
  if (!args.includes(flag)) return dflt;
  const n = Number(args[args.indexOf(flag) + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: give a positive integer`);
  return n;
}

const onceBuilt = builtOnce();
const tmpOut = mkdtempSync(join(tmpdir(), 'bench-explore-'));
const sweepBound = args.includes('--sweep-bound') ? args[args.indexOf('--sweep-bound') + 1]! : 'bench/sweep-bound.json';
const cores = availableParallelism();
const counts = cores > 1 ? [1, cores] : [1];
console.log(`node ${process.version}, ${new Date().toISOString()}, ${cores} cores, ${load()}`);
measureStartup(9);
measure('default', REFERENCE_DESIGN.name, 5, counts);
measureExploreCli('default', counts, 5);
if (!args.includes('--no-large')) measure('large', REFERENCE_DESIGN.name, 3, counts);
if (!args.includes('--no-check')) {
  const n = positiveArg('--check-runs', 3);
  const t = Array.from({ length: n }, () => timeCli(['check', '--scope', 'default', '--json', '--quiet', '--out', tmpOut]));
  console.log('check --scope default'.padEnd(48), `median ${median(t).toFixed(1)}s wall (n=${n}, min ${Math.min(...t).toFixed(1)}s)`.padStart(36), ''.padStart(16), `(${load()})`);
}
const sweepRuns = positiveArg('--sweep-runs', 3);
measureSweep(sweepBound, sweepRuns);
if (args.includes('--all')) for (const v of VARIANT_NAMES) if (!isReferenceRules(VARIANTS[v].rules)) measure('default', v, 1);
if (args.includes('--matrix')) {
  const scope = args[args.indexOf('--matrix') + 1] ?? 'tiny';
  const jobs = String(availableParallelism());
  const t = timeCli(['matrix', '--scope', scope, '--jobs', jobs, '--json', '--quiet']);
  console.log(`matrix --scope ${scope} --jobs ${jobs}`.padEnd(48), `${t.toFixed(1)} s wall (1 run)`.padStart(36), `(${load()})`);
}
if (args.includes('--proofs')) {
  const proofs = fileURLToPath(new URL('./proofs-once.mts', import.meta.url));
  process.stdout.write(execFileSync(process.execPath, [runTs, proofs, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

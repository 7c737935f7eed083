/**
 * `npm run bench`: the explorer's speed and memory, medians of several runs,
 * each run in a fresh process so that peak memory is its own.
 *   npm run bench                     reference at default (5 runs) and large (3 runs)
 *   npm run bench -- --all            also every variant at default (1 run each)
 *   npm run bench -- --proofs         also the Z3 proofs, BMC, a sweep and outcome coverage (--long: BMC at 10-11 steps with lemmas, sweep up to default)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REFERENCE_DESIGN, VARIANTS, VARIANT_NAMES, isReferenceRules } from '../model/index';

interface Run {
  states: number;
  transitions: number;
  depth: number;
  seconds: number;
  cpuSeconds: number;
  storeBytesPerState: number;
  maxRssMB: number;
}

const runTs = fileURLToPath(new URL('../bin/run-ts.mjs', import.meta.url));
const once = fileURLToPath(new URL('./explore-once.ts', import.meta.url));
const args = process.argv.slice(2);

function run(scope: string, variant: string): Run {
  const out = execFileSync(process.execPath, [runTs, once, scope, variant], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Run;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function measure(scope: string, variant: string, n: number): void {
  const runs = Array.from({ length: n }, () => run(scope, variant));
  const r = runs[0]!;
  const t = median(runs.map((x) => x.seconds));
  const cpu = median(runs.map((x) => x.cpuSeconds));
  console.log(
    [
      `${variant}@${scope}`.padEnd(32),
      `${r.states} states`.padStart(16),
      `${r.transitions} transitions`.padStart(22),
      `depth ${r.depth}`.padStart(9),
      `median ${t.toFixed(2)}s (cpu ${cpu.toFixed(2)}s, n=${n}, min ${Math.min(...runs.map((x) => x.seconds)).toFixed(2)}s)`.padStart(44),
      `${Math.round(r.states / t)} states/s`.padStart(17),
      `${Math.round(r.transitions / t)} transitions/s`.padStart(22),
      `store ${r.storeBytesPerState.toFixed(1)} B/state`.padStart(22),
      `peak RSS ${median(runs.map((x) => x.maxRssMB)).toFixed(0)} MB`.padStart(18),
    ].join(' '),
  );
}

console.log(`node ${process.version}, ${new Date().toISOString()}`);
measure('default', REFERENCE_DESIGN.name, 5);
measure('large', REFERENCE_DESIGN.name, 3);
if (args.includes('--all')) for (const v of VARIANT_NAMES) if (!isReferenceRules(VARIANTS[v].rules)) measure('default', v, 1);
if (args.includes('--proofs')) {
  const proofs = fileURLToPath(new URL('./proofs-once.mts', import.meta.url));
  process.stdout.write(execFileSync(process.execPath, [runTs, proofs, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

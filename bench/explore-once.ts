/** One explore run in a fresh process, for the benchmark: prints one JSON line. `workers` 1 (default) is the sequential explorer. */
import { PRESETS, type PresetName, REFERENCE_DESIGN, isVariant, presetDesign } from '../model/index';
import { explore } from '../src/explore/explorer';
import { exploreParallel } from '../src/explore/parallelBfs';

const [scopeName = 'default', variant = REFERENCE_DESIGN.name, workersArg = '1'] = process.argv.slice(2);
const workers = Number(workersArg);
if (!(scopeName in PRESETS) || !isVariant(variant) || !Number.isInteger(workers) || workers < 1) throw new Error(`usage: explore-once <preset> <variant> [workers]`);
const cpu0 = process.cpuUsage();
const scope = PRESETS[scopeName as PresetName];
const r = workers === 1 ? explore(scope, presetDesign(variant)) : await exploreParallel(scope, presetDesign(variant), { workers });
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    scope: scopeName,
    variant,
    workers,
    states: r.states,
    transitions: r.transitions,
    calls: r.calls,
    asleep: r.asleep,
    absorbed: r.absorbed,
    depth: r.depth,
    seconds: r.seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    storeBytesPerState: r.storeBytes / r.states,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    violated: [...r.violations.keys()],
  }),
);

/** One explore run in a fresh process, for the benchmark: prints one JSON line. */
import { PRESETS, type PresetName, REFERENCE_DESIGN, isVariant, presetDesign } from '../model/index';
import { explore } from '../src/explore/explorer';

const [scopeName = 'default', variant = REFERENCE_DESIGN.name] = process.argv.slice(2);
if (!(scopeName in PRESETS) || !isVariant(variant)) throw new Error(`usage: explore-once <preset> <variant>`);
const cpu0 = process.cpuUsage();
const r = explore(PRESETS[scopeName as PresetName], presetDesign(variant));
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    scope: scopeName,
    variant,
    states: r.states,
    transitions: r.transitions,
    calls: r.calls,
    depth: r.depth,
    seconds: r.seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    storeBytesPerState: r.storeBytes / r.states,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    violated: [...r.violations.keys()],
  }),
);

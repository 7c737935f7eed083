/**
 * The Z3 side of the benchmark, one line each: prove `reference` at tiny,
 * default and large; prove each flawed variant at default (what it refutes);
 * BMC at default for each flawed variant's expected invariants, to the
 * explorer's lengths; outcome coverage at default. Wall and CPU seconds (Z3's
 * WASM runs on the main thread, so CPU is one core's).
 */
import { PRESETS, VARIANTS, VARIANT_NAMES } from '../model/index';
import { bmc } from '../proofs/bmc';
import { outcomes } from '../proofs/outcomes';
import { prove } from '../proofs/prove';

const args = process.argv.slice(2);
/** the explorer's shortest lengths at default (README, `npm start`) */
const EXPLORER: Record<string, number> = {
  'implicit-kvm-enqcmd': 2,
  'implicit-mdev-pasid': 3,
  'no-dma-block': 4,
  'uncharge-on-destroy': 5,
  'recycle-on-destroy': 10,
  'notifier-cleanup': 10,
  'no-drain': 11,
};
/** BMC to depths past this one takes minutes to hours (see README); --long runs them too */
const QUICK_DEPTH = 5;

const cpu = (): number => process.cpuUsage().user / 1e6;
function line(name: string, what: string, wall: number, cpu0: number): void {
  console.log(name.padEnd(40), what.padStart(28), `${wall.toFixed(1)}s (cpu ${(cpu() - cpu0).toFixed(1)}s)`.padStart(24));
}

for (const scope of ['tiny', 'default', 'large'] as const) {
  const c0 = cpu();
  const r = await prove(PRESETS[scope], 'reference');
  const proved = r.obligations.filter((o) => o.status === 'proved').length;
  line(`prove reference@${scope}`, `${proved}/${r.obligations.length} proved`, r.seconds, c0);
}
for (const variant of VARIANT_NAMES.filter((v) => v !== 'reference')) {
  const c0 = cpu();
  const r = await prove(PRESETS.default, variant);
  const expected = VARIANTS[variant].expectedToFail;
  const refuted = [...new Set(r.obligations.filter((o) => o.status === 'refuted').map((o) => o.invariant))];
  const hit = expected.filter((n) => refuted.includes(n)).length;
  line(`prove ${variant}@default`, `${hit}/${expected.length} expected refuted`, r.seconds, c0);
}
for (const variant of VARIANT_NAMES.filter((v) => v !== 'reference')) {
  const depth = Math.max(...VARIANTS[variant].expectedToFail.map(() => EXPLORER[variant]!));
  if (depth > QUICK_DEPTH && !args.includes('--long')) continue;
  const c0 = cpu();
  const r = await bmc(PRESETS.default, variant, depth, { invariants: VARIANTS[variant].expectedToFail });
  const found = Object.entries(r.invariants).map(([k, v]) => `${k}=${v.holds === false ? v.length : v.holds}`);
  line(`bmc ${variant}@default depth ${depth}`, found.join(' '), r.seconds, c0);
}
{
  const c0 = cpu();
  const r = await outcomes(PRESETS.default);
  const ok = r.found.filter((f) => f.replayed).length;
  line('outcomes reference@default', `${ok}/${r.found.length + r.unknown.length} pairs (+${r.unproducible.length} ruled out)`, r.seconds, c0);
}

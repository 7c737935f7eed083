/**
 * The Z3 side of the benchmark, one line each: prove `reference` at tiny,
 * default and large; prove each flawed variant at default (what it refutes);
 * BMC at default for each flawed variant's expected invariants, to the
 * explorer's lengths (up to 7 steps; --long: all); outcome coverage at default. Wall and CPU seconds (Z3's
 * WASM runs on the main thread, so CPU is one core's).
 */
import { type InvariantName, PRESETS, VARIANTS, VARIANT_NAMES, type Variant } from '../model/index';
import { bmc } from '../proofs/bmc';
import { outcomes } from '../proofs/outcomes';
import { prove } from '../proofs/prove';

const args = process.argv.slice(2);
/** the explorer's shortest lengths at default (README, `npm start`) */
const EXPLORER: readonly [string, string, number][] = [
  ['implicit-kvm-enqcmd', 'explicit-vm-authorization', 2],
  ['implicit-mdev-pasid', 'explicit-mdev-authorization', 3],
  ['no-dma-block', 'destroyed-blocks-dma', 4],
  ['uncharge-on-destroy', 'quota', 5],
  ['recycle-on-destroy', 'recycle-at-zero', 4],
  ['notifier-cleanup', 'recycle-at-zero', 4],
  ['no-drain', 'recycle-at-zero', 7],
  ['recycle-on-destroy', 'no-cross-tenant-dma', 10],
  ['notifier-cleanup', 'no-cross-tenant-dma', 10],
  ['no-drain', 'no-cross-tenant-dma', 11],
];
/** BMC past this many steps takes minutes to hours at default (see README); --long runs it too */
const QUICK = 7;

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
  const expected = VARIANTS[variant].expectedToFail;
  // As `prove --variant V` does: stop once the expected invariants are refuted.
  const r = await prove(PRESETS.default, variant, { until: expected });
  const refuted = [...new Set(r.obligations.filter((o) => o.status === 'refuted').map((o) => o.invariant))];
  const hit = expected.filter((n) => refuted.includes(n)).length;
  line(`prove ${variant}@default`, `${hit}/${expected.length} expected refuted`, r.seconds, c0);
}
for (const [variant, name, length] of EXPLORER) {
  if (length > QUICK && !args.includes('--long')) continue;
  const c0 = cpu();
  const r = await bmc(PRESETS.default, variant as Variant, length, { invariants: [name as InvariantName] });
  const v = r.invariants[name as InvariantName];
  line(`bmc ${variant} ${name}@default`, `${v.holds === false ? `length ${v.length}` : v.holds} (explorer ${length})`, r.seconds, c0);
}
{
  const c0 = cpu();
  const r = await outcomes(PRESETS.default);
  const ok = r.found.filter((f) => f.replayed).length;
  line('outcomes reference@default', `${ok}/${r.found.length + r.unknown.length} pairs (+${r.unproducible.length} ruled out)`, r.seconds, c0);
}

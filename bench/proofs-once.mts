/**
 * The Z3 side of the benchmark, one line each: prove `reference` at tiny,
 * default and large; prove each flawed variant at default (what it refutes);
 * BMC at default for each flawed variant's expected invariants, to the
 * explorer's lengths (up to 7 steps; --long: all, past 7 with lemmas); prove at every
 * scope up to tiny (--long: default); outcome coverage at default. Wall and CPU seconds (Z3's
 * WASM runs on the main thread, so CPU is one core's).
 */
import { PRESETS, REFERENCE_DESIGN, REFERENCE_RULES, VARIANTS, VARIANT_NAMES, presetDesign } from '../model/index';
import { explore } from '../src/explore/explorer';
import { bmc } from '../proofs/bmc';
import { outcomes } from '../proofs/outcomes';
import { prove } from '../proofs/prove';
import { sweep } from '../proofs/sweep';

const args = process.argv.slice(2);
/** BMC past this many steps takes minutes to hours at default (see README); --long runs it too */
const QUICK = 7;

const cpu = (): number => process.cpuUsage().user / 1e6;
function line(name: string, what: string, wall: number, cpu0: number): void {
  console.log(name.padEnd(40), what.padStart(28), `${wall.toFixed(1)}s (cpu ${(cpu() - cpu0).toFixed(1)}s)`.padStart(24));
}

for (const scope of ['tiny', 'default', 'large'] as const) {
  const c0 = cpu();
  const r = await prove(PRESETS[scope], REFERENCE_RULES);
  const proved = r.obligations.filter((o) => o.status === 'proved').length;
  line(`prove reference@${scope}`, `${proved}/${r.obligations.length} proved`, r.seconds, c0);
}
for (const variant of VARIANT_NAMES.filter((v) => VARIANTS[v].expectedToFail.length > 0)) {
  const c0 = cpu();
  const expected = VARIANTS[variant].expectedToFail;
  // As `prove --variant V` does: stop once the expected invariants are refuted.
  const r = await prove(PRESETS.default, VARIANTS[variant].rules, { until: expected });
  const refuted = [...new Set(r.obligations.filter((o) => o.status === 'refuted').map((o) => o.invariant))];
  const hit = expected.filter((n) => refuted.includes(n)).length;
  line(`prove ${variant}@default`, `${hit}/${expected.length} expected refuted`, r.seconds, c0);
}
const long = args.includes('--long');
for (const variant of VARIANT_NAMES.filter((v) => VARIANTS[v].expectedToFail.length > 0)) {
  // the explorer's shortest lengths at default: BFS, so the first violation found is a shortest one
  const found = explore(PRESETS.default, presetDesign(variant), long ? {} : { maxDepth: QUICK }).violations;
  for (const name of VARIANTS[variant].expectedToFail) {
    const length = found.get(name)?.actions.length;
    if (length === undefined) {
      console.log(`bmc ${variant} ${name}@default`.padEnd(40), `explorer length > ${QUICK}: --long`.padStart(28));
      continue;
    }
    const c0 = cpu();
    // past QUICK steps, assume what prove establishes (the only way BMC reaches 10 steps here)
    const lemmas = length > QUICK ? ('prove' as const) : [];
    const r = await bmc(PRESETS.default, VARIANTS[variant].rules, length, { invariants: [name], lemmas, timeoutMs: 3_600_000 });
    const v = r.invariants[name];
    line(`bmc ${variant} ${name}@default`, `${v.holds === false ? `length ${v.length}${v.replayed ? '' : ' NOT REPLAYED'}` : v.holds} (explorer ${length})`, r.seconds, c0);
  }
}
{
  // every scope up to tiny (72 classes); --long: up to default (212)
  const bound = long ? 'default' : 'tiny';
  const c0 = cpu();
  const r = await sweep(PRESETS[bound], REFERENCE_DESIGN);
  const proved = r.scopes.filter((s) => s.status === 'proved').length;
  line(`prove reference up to ${bound}`, `${proved}/${r.scopes.length} scopes proved`, r.seconds, c0);
}
{
  const c0 = cpu();
  const r = await outcomes(PRESETS.default);
  const ok = r.found.filter((f) => f.replayed).length;
  line('outcomes reference@default', `${ok}/${r.found.length + r.unknown.length} pairs (+${r.unproducible.length} ruled out)`, r.seconds, c0);
}

/** The Z3 side of the benchmark: prove reference at default and large, BMC at default. One line each. */
import { PRESETS } from '../model/index';
import { bmc } from '../proofs/bmc';
import { prove } from '../proofs/prove';

for (const scope of ['default', 'large'] as const) {
  const r = await prove(PRESETS[scope], 'reference');
  const proved = r.obligations.filter((o) => o.status === 'proved').length;
  console.log(`prove reference@${scope}`.padEnd(32), `${proved}/${r.obligations.length} proved`.padStart(16), `${r.seconds.toFixed(1)}s (build ${r.buildSeconds.toFixed(1)}s)`.padStart(24));
}
for (const [variant, depth] of [['no-dma-block', 5], ['uncharge-on-destroy', 6]] as const) {
  const r = await bmc(PRESETS.default, variant, depth);
  const found = Object.entries(r.invariants).filter(([, v]) => v.holds === false).map(([k, v]) => `${k}=${'length' in v ? v.length : '?'}`);
  console.log(`bmc ${variant}@default depth ${depth}`.padEnd(32), found.join(' ').padStart(16), `${r.seconds.toFixed(1)}s (${r.perDepth.map((d) => d.seconds.toFixed(1)).join(' ')})`.padStart(24));
}

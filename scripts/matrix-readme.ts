/**
 * Writes the README's design-space table from a saved `matrix --json` run
 * (docs/matrix-default.json), between `<!-- matrix-table: FILE -->` and
 * `<!-- /matrix-table -->`. The run itself takes about an hour at `default`
 * (see the README), so the table is rendered from the file it wrote rather
 * than by re-running it; spec/cli/readme-matrix.test.ts holds the README's
 * block to the file, and the file's rows to the presets and to separate
 * explorations of a sample of designs.
 *   ioasid-verify matrix --scope default --rules recycle,drain,kvmAuth,mdevAuth,blockOnDestroy,quotaCounts,destroyInUse --jobs 2 --json > docs/matrix-default.json
 *   node bin/run-ts.mjs scripts/matrix-readme.ts
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INVARIANTS, type Rules, recyclesAtDestroy } from '../model/index';
import { type InteractionJson, interactionCounts, interactionSentence, ofTwoRules, rowLabel } from '../src/explore/matrix';

export interface MatrixJson {
  readonly scope: string;
  readonly rules: readonly string[];
  readonly designs: number;
  readonly explored: number;
  readonly seconds: number;
  readonly rows: readonly {
    readonly design: string;
    readonly preset?: string;
    readonly rules: Rules;
    readonly sameAs?: string;
    readonly states: number;
    readonly seconds: number;
    readonly invariants: Record<string, { readonly holds: boolean; readonly length?: number }>;
  }[];
  readonly interactions: readonly InteractionJson[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MATRIX_BLOCK = /<!-- matrix-table: ([^>]+?) -->\n([\s\S]*?)<!-- \/matrix-table -->/;


/** The markdown of one matrix run: a summary line, the table (folded), the interactions of two rules. */
export function renderMatrix(j: MatrixJson): string {
  const safe = j.rows.filter((r) => Object.values(r.invariants).every((v) => v.holds)).length;
  const head = ['rules changed from reference', 'preset', ...INVARIANTS.map((_, i) => `I${i + 1}`), 'states', 'time'];
  const rows = j.rows.map((r) => [
    `\`${rowLabel(r.rules)}\``,
    r.preset ?? '',
    ...INVARIANTS.map((inv) => (r.invariants[inv.name]!.holds ? '.' : String(r.invariants[inv.name]!.length))),
    String(r.states),
    r.sameAs ? `= ${r.sameAs}` : `${r.seconds.toFixed(1)} s`,
  ]);
  const pairs = j.interactions.filter(ofTwoRules);
  return [
    `Scope \`${j.scope}\`, rules ${j.rules.map((r) => `\`${r}\``).join(', ')}: ${j.designs} designs, ${j.explored} explored, ${safe} keep every invariant; ${j.seconds.toFixed(0)} s in all.`,
    '',
    '<details><summary>the full table (. = holds, N = shortest violation in N steps, "= X": explored as X)</summary>',
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    INVARIANTS.map((inv, i) => `I${i + 1} ${inv.name}`).join(', '),
    '',
    '</details>',
    '',
    `Interactions, each design against the designs that change one of its rules: ${interactionCounts(j.interactions)}. Those of two rules:`,
    '',
    ...pairs.map((x) => `- ${interactionSentence(x, (d) => `\`${d}\``)}`),
    '',
    ...whereTheTimeGoes(j),
  ].join('\n');
}

/** The explored designs' seconds summed by what grows a state space: recycling at destroy, and the two implicit authorizations. */
function whereTheTimeGoes(j: MatrixJson): string[] {
  const explored = j.rows.filter((r) => r.sameAs === undefined);
  const classOf = (r: MatrixJson['rows'][number]): string => {
    const recycles = recyclesAtDestroy(r.rules);
    const implicit = [r.rules.kvmAuth === 'implicit' ? 'kvmAuth' : '', r.rules.mdevAuth === 'implicit' ? 'mdevAuth' : ''].filter((x) => x !== '');
    return `${recycles ? 'recycling at destroy (at-destroy, notifier)' : 'recycling at zero (or busy)'}, ${implicit.length === 0 ? 'both authorizations explicit' : `${implicit.join(' and ')} implicit`}`;
  };
  const classes = new Map<string, { n: number; seconds: number; states: number }>();
  for (const r of explored) {
    const c = classes.get(classOf(r)) ?? { n: 0, seconds: 0, states: 0 };
    classes.set(classOf(r), { n: c.n + 1, seconds: c.seconds + r.seconds, states: Math.max(c.states, r.states) });
  }
  const total = explored.reduce((t, r) => t + r.seconds, 0);
  return [
    `Where the time goes (seconds each exploration took, summed: ${total.toFixed(0)} s over ${explored.length} explorations):`,
    '',
    ...[...classes].sort((a, b) => b[1].seconds - a[1].seconds).map(([c, v]) => `- ${c}: ${v.n} designs, ${v.seconds.toFixed(0)} s (${((100 * v.seconds) / total).toFixed(0)}%), up to ${v.states.toLocaleString('en-US')} states`),
    '',
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const README = `${ROOT}README.md`;
  const text = readFileSync(README, 'utf8');
  const m = MATRIX_BLOCK.exec(text);
  if (!m) throw new Error('README.md has no <!-- matrix-table: FILE --> block');
  const json = JSON.parse(readFileSync(`${ROOT}${m[1]}`, 'utf8')) as MatrixJson;
  writeFileSync(`${README}.tmp`, text.replace(MATRIX_BLOCK, `<!-- matrix-table: ${m[1]} -->\n${renderMatrix(json)}<!-- /matrix-table -->`));
  renameSync(`${README}.tmp`, README);
}

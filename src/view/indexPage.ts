/**
 * The index page of a run (`check --html DIR`, `explore --html DIR`): every
 * design with its verdict per invariant (holds, or the shortest length,
 * linked to the counterexample's page), its states, the expectation it is
 * held to, the proof summary, the conformance lines, and the run's seed,
 * scope and version. Self-contained like the trace pages; pure.
 */
import { INVARIANTS, type InvariantName } from '../../model/index';
import { NO_NETWORK_CSP, esc } from './html';
import { PAGE_STYLE } from './style';

export interface IndexCell {
  readonly inv: InvariantName;
  readonly holds: boolean;
  /** the shortest violation's length */
  readonly length?: number;
  /** the counterexample's page, relative to the index */
  readonly page?: string;
  /** what the design analysis (or the design file) expects; undefined: no expectation */
  readonly expected?: 'holds' | 'fails';
  readonly violation?: string;
  readonly witness?: { readonly steps: number; readonly breach: string };
}

export interface IndexDesign {
  readonly name: string;
  /** `drain=false`, or `the reference rules` */
  readonly rules: string;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
  readonly cells: readonly IndexCell[];
}

export interface IndexInput {
  /** `check` or `explore` */
  readonly command: string;
  readonly scope: string;
  readonly version: string;
  /** what the run's randomness was seeded with, in words */
  readonly seed: string;
  /** the run's one-line outcome ("116 checks, 116 passed, 0 failed") */
  readonly summary: string;
  readonly ok: boolean;
  readonly designs: readonly IndexDesign[];
  /** the proofs stage, one line each (empty: not run) */
  readonly proofs: readonly string[];
  /** the conformance stage, one line each (empty: not run) */
  readonly conformance: readonly string[];
}

function cell(c: IndexCell): string {
  const differs = c.expected !== undefined && (c.expected === 'fails') === c.holds;
  const mark = differs ? ` <strong>! expected ${c.expected === 'fails' ? 'to fail' : 'to hold'}</strong>` : '';
  if (c.holds) return `<td class="holds">holds${mark}</td>`;
  const len = `${c.length} step${c.length === 1 ? '' : 's'}`;
  const title = c.violation ? ` title="${esc(c.violation)}"` : '';
  const link = c.page ? `<a href="${esc(c.page)}"${title}>\u2717 ${len}</a>` : `\u2717 ${len}`;
  const witness = c.witness ? `<br><small>+${c.witness.steps} witness</small>` : '';
  return `<td class="fails">${link}${witness}${mark}</td>`;
}

function verdictTitle(x: IndexInput): string {
  const expects = x.designs.some((d) => d.cells.some((c) => c.expected !== undefined));
  if (!x.ok) return 'Some verdicts differ from what is expected';
  return expects ? 'Every verdict is as expected' : 'No expectation to hold these verdicts to (a design without one)';
}

export function renderIndexPage(x: IndexInput): string {
  const title = `ioasid-verify ${x.command} at scope ${x.scope}`;
  const head = ['design', 'rules', 'states', 'time', ...INVARIANTS.map((i, n) => `<abbr title="${esc(i.name)}">I${n + 1}</abbr>`), 'verdict'];
  const rows = x.designs.map((d) => {
    const differs = d.cells.some((c) => c.expected !== undefined && (c.expected === 'fails') === c.holds);
    const expects = d.cells.some((c) => c.expected !== undefined);
    const verdict = !expects ? 'no expectation' : differs ? '<strong>DIFFERS</strong>' : 'as expected';
    const byInv = new Map(d.cells.map((c) => [c.inv, c]));
    return `<tr><th scope="row">${esc(d.name)}</th><td>${esc(d.rules)}</td><td>${d.states}</td><td>${d.seconds.toFixed(1)} s</td>${INVARIANTS.map((i) => {
      const c = byInv.get(i.name);
      return c ? cell(c) : '<td>-</td>';
    }).join('')}<td>${verdict}</td></tr>`;
  });
  const pages = x.designs.flatMap((d) => d.cells.filter((c) => !c.holds && c.page).map((c) => ({ d, c })));
  const list = pages.map(
    ({ d, c }) =>
      `<li><a href="${esc(c.page!)}">${esc(d.name)}: ${esc(c.inv)} in ${c.length} steps</a>${c.violation ? ` \u2014 ${esc(c.violation)}` : ''}${c.witness ? `; run to the end in ${c.witness.steps} more: ${esc(c.witness.breach)}` : ''}</li>`,
  );
  const legend = INVARIANTS.map((i, n) => `<li><strong>I${n + 1} ${esc(i.name)}</strong>: ${esc(i.statement)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${NO_NETWORK_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="meta">ioasid-verify ${esc(x.version)}; scope <strong>${esc(x.scope)}</strong>; ${esc(x.seed)}.</p>
<section class="verdict${x.ok ? ' ok' : ''}"><h2>${verdictTitle(x)}</h2><p>${esc(x.summary)}</p></section>
</header>
<main>
<table id="designs"><caption>Designs: per invariant, holds, or \u2717 the length of its shortest violation (a link to the counterexample's page); ! marks a verdict other than expected</caption>
<thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<h2>Counterexamples (${pages.length})</h2>
${pages.length > 0 ? `<ul id="counterexamples">${list.join('\n')}</ul>` : '<p>None: every design keeps every invariant at this scope.</p>'}
<h2>Proofs</h2>
${x.proofs.length > 0 ? `<ul>${x.proofs.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '<p>Not run in this command.</p>'}
<h2>Conformance (the kernel against the model)</h2>
${x.conformance.length > 0 ? `<ul>${x.conformance.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '<p>Not run in this command.</p>'}
<h2>Invariants</h2>
<ul>${legend}</ul>
</main>
<footer><p>Written by ioasid-verify ${esc(x.version)}. Open a counterexample to step through it (\u2190 \u2192, Home, End, or #step=N).</p></footer>
</body>
</html>
`;
}

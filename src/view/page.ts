/**
 * One counterexample as one self-contained HTML page: inline style and
 * script, nothing loaded from anywhere (a Content-Security-Policy says so),
 * semantic tables, marks in words and shapes as well as colours. The steps
 * table and the summary are plain HTML; the state panel of the selected step
 * is built by the page's script from the JSON computed in ./pageData.ts.
 * Pure: data in, a string out; the CLI writes it.
 */
import { type Rules, changedRules } from '../../model/index';
import { NO_NETWORK_CSP, esc, scriptJson } from './html';
import { type PageData, type StepView, type ViewInput, pageData } from './pageData';
import { PAGE_SCRIPT } from './script';
import { PAGE_STYLE } from './style';
import { timelineSvg } from './timeline';

function rulesText(rules: Rules): string {
  const changed = changedRules(rules);
  return changed.length === 0 ? 'the reference rules' : changed.map((r) => `${r}=${String(rules[r])}`).join(', ');
}

function stepNote(d: PageData, s: StepView): string {
  const parts: string[] = [];
  if (s.broke.length > 0) parts.push(`<strong>\u2717 broke ${esc(s.broke.join(', '))}</strong>`);
  if (s.breach) parts.push('<strong>\u25c6 breach</strong>');
  else if (s.witness) parts.push('\u25a1 witness');
  if (s.kernelKeeps.length > 0 && d.kernel?.defeatsAt === s.i) parts.push(`kernel keeps ${esc(s.kernelKeeps.join(', '))}: defeats the attack`);
  return parts.join('; ');
}

function stepsTable(d: PageData): string {
  const kernel = d.kernel !== undefined;
  const head = ['#', 'action', 'arguments', kernel ? 'model result' : 'result', ...(kernel ? ['kernel result'] : []), 'notes'];
  const rows = d.steps.map((s) => {
    const [action, args] = s.i === 0 ? ['init', ''] : [s.call.slice(0, s.call.indexOf('(')), s.call.slice(s.call.indexOf('(') + 1, -1)];
    const cls = [s.witness ? 'witness' : '', s.i === d.violationStep ? 'broke' : '', s.breach ? 'breach' : ''].filter(Boolean).join(' ');
    const kernelCell = kernel ? `<td>${s.i === 0 ? '' : esc(s.kernel ?? '')}${s.kernel !== undefined && s.kernel !== s.result ? ' <em>(differs)</em>' : ''}</td>` : '';
    return `<tr id="row-${s.i}" data-step="${s.i}"${cls ? ` class="${cls}"` : ''}><th scope="row"><a href="#step=${s.i}">${s.i}</a></th><td>${esc(action)}</td><td>${esc(args)}</td><td>${esc(s.result)}</td>${kernelCell}<td>${stepNote(d, s)}</td></tr>`;
  });
  return `<table id="steps"><caption>Steps (select one: click, \u2190 \u2192, Home, End, or #step=N in the address)</caption><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function summary(d: PageData, v: ViewInput): string {
  const out: string[] = [];
  const n = d.steps.length - 1;
  out.push(
    `<p class="meta">Design <strong>${esc(d.design)}</strong> (${esc(rulesText(v.design.rules))}), scope <strong>${esc(d.scope)}</strong>, ${d.prefix < n ? `${d.prefix} steps + ${n - d.prefix} witness step${n - d.prefix === 1 ? '' : 's'}` : `${n} steps`}${v.source ? `, from <code>${esc(v.source)}</code>` : ''}${v.version ? `; ioasid-verify ${esc(v.version)}` : ''}.</p>`,
  );
  if (v.description) out.push(`<p class="description">${esc(v.description)}</p>`);
  if (d.violation && d.violationStep !== null) {
    out.push(
      `<section class="verdict" aria-labelledby="verdict-title"><h2 id="verdict-title">\u2717 ${esc(d.violation.inv)} breaks at <a href="#step=${d.violationStep}">step ${d.violationStep}</a></h2>`,
      `<p class="offender"><strong>What breaks it:</strong> ${esc(d.violation.text)}.</p>`,
      `<p><strong>Invariant:</strong> ${esc(d.violation.statement)}.</p>`,
      `<blockquote class="seed"><p>${esc(d.violation.seed)}</p><footer>the seed email (docs/seed.txt)</footer></blockquote>`,
      ...(d.breach
        ? [`<p class="breach"><strong>\u25c6 Run to the end</strong> (${n - d.prefix === 1 ? 'witness step ' : `witness steps ${d.prefix + 1}\u2013`}<a href="#step=${n}">${n}</a>): ${esc(d.breach)}.</p>`]
        : []),
      '</section>',
    );
  } else {
    out.push('<section class="verdict ok"><h2>Every invariant holds at every step of this trace</h2></section>');
  }
  if (d.kernel) {
    const k = d.kernel;
    const defeats =
      k.defeatsAt !== null
        ? `The ${esc(k.name)} defeats the attack: at <a href="#step=${k.defeatsAt}">step ${k.defeatsAt}</a> its state keeps ${esc(d.steps[k.defeatsAt]!.kernelKeeps.join(', '))}, which the model breaks there.`
        : d.violation
          ? `The ${esc(k.name)}'s state breaks what the model breaks: it does not defeat this trace.`
          : `The ${esc(k.name)} keeps every invariant along the trace.`;
    const differ = k.differ.length > 0 ? ` Its results differ from the model's at step${k.differ.length === 1 ? '' : 's'} ${k.differ.map((i) => `<a href="#step=${i}">${i}</a>`).join(', ')}.` : ' Its results equal the model\u2019s at every step.';
    out.push(`<section class="kernel"><h2>Replayed on the kernel implementation</h2><p>${defeats}${differ}</p></section>`);
  }
  return out.join('\n');
}

export function renderTracePage(v: ViewInput): string {
  return renderPage(pageData(v), v);
}

/** The page of `v`, whose data `d` (pageData(v)) the caller has at hand already. */
export function renderPage(d: PageData, v: ViewInput): string {
  const json = { steps: d.steps, start: d.start, violation: d.violation, breach: d.breach ?? null };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${NO_NETWORK_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
${v.back ? `<nav><a href="${esc(v.back.href)}">\u2190 ${esc(v.back.text)}</a></nav>` : ''}
<h1>${esc(d.title)}</h1>
${summary(d, v)}
</header>
<main>
<figure class="timeline-box"><figcaption>Timeline: \u25cb a step, \u2297 where the invariant breaks, \u25a1 a witness step, \u25c6 the breach. Select a marker to see the state.</figcaption>${timelineSvg(d)}</figure>
<div class="cols">
<div class="steps-box">${stepsTable(d)}</div>
<section class="panel" aria-live="polite" aria-labelledby="panel-title">
<h2 id="panel-title">State</h2>
<noscript><p>The state panel needs JavaScript; the steps table and the summary above are complete without it.</p></noscript>
<p id="panel-phrase"></p>
<div id="panel-kernel"></div>
<div id="panel-violations"></div>
<h3>What this step changed</h3>
<ul id="panel-changes"></ul>
<h3>The state after it</h3>
<p class="legend">Rows marked \u26a0 are the objects the violation names; + new, \u0394 changed, \u2212 removed are against the step before.</p>
<div id="tables"></div>
</section>
</div>
</main>
<footer><p>Keys: \u2190 previous step, \u2192 next step, Home the initial state, End the last step. Link to a step with <code>#step=N</code>. Written by ioasid-verify: the results, states, changes and violations on this page were computed from the trace's actions by the model (model/step.ts) when the page was written; the invariant statements and seed sentences are those of model/invariants.ts.</p></footer>
<script type="application/json" id="view-data">${scriptJson(json)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

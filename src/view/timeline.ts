/**
 * The trace as a timeline drawing, its own inline SVG (no library, no
 * network): one marker per step, linked to `#step=N`. Shapes, not colours,
 * tell the kinds apart: a circle per step, a larger circle with a cross
 * where the invariant broke, squares for the witness steps and a diamond for
 * the breach; labels above name the violation and the witness.
 */
import { esc } from './html';
import type { PageData } from './pageData';

const GAP = 30;
const LEFT = 20;
const Y = 52;

export function timelineSvg(d: PageData): string {
  const n = d.steps.length;
  // room on the right for the labels of a short trace
  const width = Math.max(LEFT * 2 + (n - 1) * GAP + 40, 420);
  const x = (i: number): number => LEFT + i * GAP;
  const marks = d.steps.map((s) => {
    const cx = x(s.i);
    const title = `<title>step ${s.i}: ${esc(s.call)}${s.result ? ` → ${esc(s.result)}` : ''}${s.broke.length ? ` (broke ${esc(s.broke.join(', '))})` : ''}${s.witness ? ' (witness)' : ''}</title>`;
    let shape: string;
    if (s.breach) shape = `<path class="m breach" d="M${cx} ${Y - 10}L${cx + 10} ${Y}L${cx} ${Y + 10}L${cx - 10} ${Y}Z"/>`;
    else if (s.witness) shape = `<rect class="m witness" x="${cx - 7}" y="${Y - 7}" width="14" height="14"/>`;
    else if (s.i === d.violationStep) shape = `<circle class="m broke" cx="${cx}" cy="${Y}" r="10"/><path class="x" d="M${cx - 5} ${Y - 5}L${cx + 5} ${Y + 5}M${cx + 5} ${Y - 5}L${cx - 5} ${Y + 5}"/>`;
    else shape = `<circle class="m${s.i === 0 ? ' init' : ''}" cx="${cx}" cy="${Y}" r="${s.i === 0 ? 5 : 7}"/>`;
    return `<a href="#step=${s.i}" id="tl-${s.i}" class="tl">${title}<circle class="ring" cx="${cx}" cy="${Y}" r="14"/>${shape}<text x="${cx}" y="${Y + 28}" text-anchor="middle">${s.i}</text></a>`;
  });
  const labels: string[] = [];
  if (d.violationStep !== null && d.violation) {
    const left = d.violationStep >= 6;
    labels.push(`<text class="label" x="${x(d.violationStep) + (left ? 4 : -4)}" y="12" text-anchor="${left ? 'end' : 'start'}">broke ${esc(d.violation.inv)}</text>`);
  }
  if (d.prefix < n - 1) {
    const x0 = x(d.prefix + 1) - 10;
    const x1 = x(n - 1) + 10;
    // a row of its own under the violation's label, so that the two never overlap
    labels.push(`<path class="bracket" d="M${x0} 36V32H${x1}V36"/><text class="label" x="${x0}" y="28" text-anchor="start">witness</text>`);
  }
  const h = 92;
  return [
    `<svg class="timeline" role="img" aria-labelledby="tl-title" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="tl-title">Timeline of ${n - 1} steps${d.violationStep !== null ? `; the invariant breaks at step ${d.violationStep}` : ''}${d.prefix < n - 1 ? `; witness steps ${d.prefix + 1} to ${n - 1}` : ''}</title>`,
    `<line class="axis" x1="${x(0)}" y1="${Y}" x2="${x(n - 1)}" y2="${Y}"/>`,
    ...labels,
    ...marks,
    '</svg>',
  ].join('');
}

/**
 * The claims of the seed, one by one: the quotation with its source line,
 * the invariants that encode it and why, and the evidence for each, from the
 * report's own runs (reference first, then the variants that break it) and
 * from the files it was given.
 */
import { INVARIANT_BY_NAME, type InvariantName, VARIANTS, isReferenceRules } from '../../model/index';
import { CLAIMS, type Claim } from '../../model/claims';
import { claimVerdict } from './claimVerdict';
import type { ReportInput } from './input';
import { mdCode, mdText } from './markdownText';
import { locateQuote } from './quote';
import { SEED_SOURCE } from './seedText';

export function claimsSection(input: ReportInput): string {
  return ['## The claims of the seed', '', ...CLAIMS.flatMap((c) => claimBlock(input, c))].join('\n');
}

function claimBlock(input: ReportInput, claim: Claim): string[] {
  const at = locateQuote(claim.quote);
  if (!at) throw new Error(`bug: claim ${claim.id} is not in the seed verbatim`);
  const lines = at.first === at.last ? `line ${at.first}` : `lines ${at.first}-${at.last}`;
  const v = claimVerdict(input, claim);
  const status = v.status === 'refuted' ? '**refuted**' : v.status === 'untested' ? '**untested here**: no design violates this at this scope, so nothing here could have refuted it' : v.bounded ? `**confirmed up to depth ${input.depth}**` : '**confirmed**';
  return [
    `### ${claim.title}`,
    '',
    `Claim \`${claim.id}\`.`,
    '',
    `> ${mdText(claim.quote)}`,
    '>',
    `> — ${SEED_SOURCE.attribution} ([${SEED_SOURCE.url.replace('https://', '')}](${SEED_SOURCE.url}); ${SEED_SOURCE.file}, ${lines})`,
    '',
    `Verdict: ${status}.${v.against.length ? ` Against it: ${v.against.map(mdText).join('; ')}.` : ''}`,
    '',
    ...claim.encodedBy.flatMap(({ invariant, why }) => [
      `- Encoded by \`${invariant}\`: ${mdText(INVARIANT_BY_NAME[invariant].statement)}. Why: ${mdText(why)}.`,
      ...evidenceLines(input, invariant).map((l) => `  - ${l}`),
    ]),
    '',
  ];
}

function evidenceLines(input: ReportInput, inv: InvariantName): string[] {
  const out: string[] = [];
  const scope = input.scope.name;
  for (const r of input.runs) {
    const v = r.verdict.invariants[inv];
    const where = r.bounded ? `in all ${r.states} states within depth ${r.depth} at scope ${scope}` : `in all ${r.states} reachable states at scope ${scope} (depth ${r.depth})`;
    if (isReferenceRules(r.verdict.design.rules)) {
      out.push(v.holds ? `explore \`reference\`: holds ${where}, ${r.seconds.toFixed(1)} s` : `explore \`reference\`: **violated in ${v.length} steps**`);
    } else if (!v.holds) {
      out.push(`explore \`${r.variant}\`: violated in ${v.length} steps, see [the ${r.variant} counterexample](#rejected-${r.variant})`);
    }
  }
  // The strongest first: a proof for every scope (prove --parametric) comes before every per-scope result.
  const strongest: string[] = [];
  const lines: string[] = [];
  for (const e of input.evidence) {
    for (const f of e.facts.filter((x) => x.invariant === inv)) {
      if (!isReferenceRules(VARIANTS[f.variant].rules) && f.holds !== false) continue;
      const line = `${e.kind} \`${f.variant}\` (${mdCode(e.file)}): ${mdText(f.text)}`;
      if (e.kind === 'prove-parametric' && f.holds === true) strongest.push(`**for every scope**: ${line}`);
      else lines.push(line);
    }
  }
  return [...strongest, ...out, ...lines];
}

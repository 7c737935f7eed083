/** The invariants of the registry: statement, the claims each encodes, and who breaks it. */
import { INVARIANTS, isReferenceRules } from '../../model/index';
import { CLAIMS } from '../../model/claims';
import type { ReportInput } from './input';
import { anchor, mdCode, mdText } from './markdownText';

export function invariantsSection(input: ReportInput): string {
  const rows = INVARIANTS.map((inv) => {
    const claims = CLAIMS.filter((c) => c.encodedBy.some((e) => e.invariant === inv.name)).map((c) => `[${c.title}](#${anchor(c.title)})`);
    const breakers = input.runs.filter((r) => !r.verdict.invariants[inv.name].holds).map((r) => `[${r.variant}](#rejected-${r.variant})`);
    const ref = input.runs.find((r) => isReferenceRules(r.verdict.design.rules))?.verdict.invariants[inv.name];
    return [mdCode(inv.name), mdText(inv.statement), claims.join(', '), ref?.holds ? 'holds' : `**violated in ${ref?.length ?? '?'} steps**`, breakers.join(', ') || 'none'];
  });
  return [
    '## The invariants',
    '',
    '| invariant | must hold in every reachable state | encodes | reference | broken by |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
}

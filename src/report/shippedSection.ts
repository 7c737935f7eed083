/**
 * "The design that shipped": each preset that differs from the thread's
 * design but is expected to keep every invariant (iommufd-busy, DESIGN.md §9).
 * What changes against the reference is read off its rules; whether it keeps
 * every invariant is what the report's own exploration found and what the
 * evidence files say of it, never the expectation alone.
 */
import { INVARIANTS, REFERENCE_RULES, RULE_NAMES, VARIANTS, VARIANT_NAMES, type Variant, isReferenceRules } from '../../model/index';
import type { ReportInput } from './input';
import { mdCode, mdText } from './markdownText';

export function shippedSection(input: ReportInput): string {
  const shipped = VARIANT_NAMES.filter((v) => VARIANTS[v].expectedToFail.length === 0 && !isReferenceRules(VARIANTS[v].rules));
  if (shipped.length === 0) return '';
  return ['## The design that shipped', '', ...shipped.flatMap((v) => shippedBlock(input, v))].join('\n');
}

function shippedBlock(input: ReportInput, v: Variant): string[] {
  const info = VARIANTS[v];
  const changed = RULE_NAMES.filter((r) => info.rules[r] !== REFERENCE_RULES[r]).map((r) => `${mdCode(r)}: ${mdCode(String(REFERENCE_RULES[r]))} → ${mdCode(String(info.rules[r]))}`);
  const run = input.runs.find((r) => r.variant === info.name);
  const broken = run ? INVARIANTS.filter((inv) => !run.verdict.invariants[inv.name].holds) : [];
  const explored = !run
    ? 'not explored in this run'
    : broken.length === 0
      ? `every one of the ${INVARIANTS.length} invariants holds in all ${run.states} ${run.bounded ? `states within depth ${run.depth}` : 'reachable states'} at scope ${input.scope.name}`
      : `**breaks ${broken.map((b) => mdCode(b.name)).join(', ')}** at scope ${input.scope.name}`;
  const facts = input.evidence.flatMap((e) => e.facts.filter((f) => f.variant === info.name).map((f) => ({ e, f })));
  const proved = facts.filter((x) => x.f.holds === true).map((x) => x.f.invariant);
  const against = facts.filter((x) => x.f.holds === false);
  return [
    `### ${mdCode(info.name)}: ${mdText(info.origin)}`,
    '',
    `- What changes against the thread's design: ${mdText(info.change)} (rules: ${changed.join(', ')}).`,
    `- Found by explore: ${explored}.`,
    facts.length === 0
      ? `- Evidence files: none speak of ${mdCode(info.name)} (run \`ioasid-verify prove --variant ${info.name} --json\` and pass it with \`--evidence\`).`
      : `- Evidence files: ${[...new Set(proved)].length} of ${INVARIANTS.length} invariants proved inductive${against.length > 0 ? `; **against it:** ${against.map((x) => `${mdCode(x.e.file)}: ${x.f.invariant} ${mdText(x.f.text)}`).join('; ')}` : ''}.`,
    '',
  ];
}

/**
 * Whether the evidence confirms a claim: every invariant that encodes it holds
 * in the reference design, in the report's own exploration and in every
 * evidence file that speaks of the reference; refuted if any says otherwise.
 */
import { type InvariantName, VARIANTS, isReferenceRules } from '../../model/index';
import type { Claim } from '../../model/claims';
import type { ReportInput } from './input';

export interface ClaimVerdict {
  /** untested: nothing at this scope could have refuted it (no design, flawed ones included, violates any of its invariants) */
  readonly status: 'confirmed' | 'refuted' | 'untested';
  /** the reference exploration stopped at a depth bound */
  readonly bounded: boolean;
  /** what speaks against it, one line each */
  readonly against: readonly string[];
}

export function claimVerdict(input: ReportInput, claim: Claim): ClaimVerdict {
  const ref = input.runs.find((r) => isReferenceRules(r.verdict.design.rules));
  const against: string[] = [];
  for (const { invariant } of claim.encodedBy) against.push(...againstInvariant(input, invariant));
  // A confirmation means something only if the scope lets some design break the claim.
  const refutable = input.runs.some((r) => claim.encodedBy.some(({ invariant }) => !r.verdict.invariants[invariant].holds));
  const status = against.length > 0 ? 'refuted' : refutable ? 'confirmed' : 'untested';
  return { status, bounded: ref?.bounded ?? false, against };
}

export function againstInvariant(input: ReportInput, invariant: InvariantName): string[] {
  const out: string[] = [];
  const ref = input.runs.find((r) => isReferenceRules(r.verdict.design.rules));
  const v = ref?.verdict.invariants[invariant];
  if (v && !v.holds) out.push(`explore reference: ${invariant} violated in ${v.length} steps`);
  for (const e of input.evidence) {
    for (const f of e.facts) {
      if (isReferenceRules(VARIANTS[f.variant].rules) && f.invariant === invariant && f.holds === false) out.push(`${e.file}: ${invariant} ${f.text}`);
    }
  }
  return out;
}

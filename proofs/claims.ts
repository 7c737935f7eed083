/**
 * The proof goals: everything prove() can establish about a state, by name:
 * the nine invariants of DESIGN.md §4 (model order) and the auxiliary
 * invariants of aux.ts. bmc() and outcomes() may assume the ones prove()
 * established. (The seed's claims, which the invariants encode, are
 * model/claims.ts.)
 */
import { isReferenceRules } from '../model/variants';
import { INVARIANTS, type Rules, type Scope, isInvariantName } from '../model/index';
import { AUX_INVARIANTS } from './aux';
import { invariantFormula } from './invariants';
import type { Encoding } from './symstep';
import type { SymState } from './symstate';
import type { B } from './z3';

export interface ProofGoal {
  readonly name: string;
  readonly kind: 'invariant' | 'aux';
  readonly formula: (enc: Encoding, s: SymState) => B;
  readonly only?: 'flawed';
  readonly sva?: 'only';
}

export const PROOF_GOALS: readonly ProofGoal[] = [
  ...INVARIANTS.map((inv) => ({
    name: inv.name,
    kind: 'invariant' as const,
    formula: (enc: Encoding, s: SymState) => invariantFormula(enc, inv.name, s),
  })),
  ...AUX_INVARIANTS.map((a) => ({ name: a.name, kind: 'aux' as const, formula: a.formula, ...(a.only ? { only: a.only } : {}), ...(a.sva ? { sva: a.sva } : {}) })),
];

/** The goals prove() tries for a design at a scope (§10's own lemmas only at an SVA scope). */
export function goalsFor(rules: Rules, aux = true, scope?: Scope): ProofGoal[] {
  return PROOF_GOALS.filter(
    (c) => (c.kind === 'invariant' || aux) && (c.only !== 'flawed' || !isReferenceRules(rules)) && (c.sva !== 'only' || scope?.sva === true),
  );
}

/** The old names, which proofs/prove.ts still imports. */
export type Claim = ProofGoal;
export const claimsFor = goalsFor;

export function goalFormula(enc: Encoding, name: string, s: SymState): B {
  if (isInvariantName(name)) return invariantFormula(enc, name, s);
  const a = AUX_INVARIANTS.find((x) => x.name === name);
  if (!a) throw new Error(`unknown proof goal ${name}`);
  return a.formula(enc, s);
}

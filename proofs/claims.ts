/**
 * Everything prove() can establish about a state, by name: the nine
 * invariants of DESIGN.md §4 (model order) and the auxiliary invariants of
 * aux.ts. bmc() and outcomes() may assume the ones prove() established.
 */
import { isReferenceRules } from '../model/variants';
import { INVARIANTS, type Rules, isInvariantName } from '../model/index';
import { AUX_INVARIANTS } from './aux';
import { invariantFormula } from './invariants';
import type { Encoding } from './symstep';
import type { SymState } from './symstate';
import type { B } from './z3';

export interface Claim {
  readonly name: string;
  readonly kind: 'invariant' | 'aux';
  readonly formula: (enc: Encoding, s: SymState) => B;
  readonly only?: 'flawed';
}

export const CLAIMS: readonly Claim[] = [
  ...INVARIANTS.map((inv) => ({
    name: inv.name,
    kind: 'invariant' as const,
    formula: (enc: Encoding, s: SymState) => invariantFormula(enc, inv.name, s),
  })),
  ...AUX_INVARIANTS.map((a) => ({ name: a.name, kind: 'aux' as const, formula: a.formula, ...(a.only ? { only: a.only } : {}) })),
];

/** The claims prove() tries for a variant. */
export function claimsFor(rules: Rules, aux = true): Claim[] {
  return CLAIMS.filter((c) => (c.kind === 'invariant' || aux) && (c.only !== 'flawed' || !isReferenceRules(rules)));
}

export function claimFormula(enc: Encoding, name: string, s: SymState): B {
  if (isInvariantName(name)) return invariantFormula(enc, name, s);
  const a = AUX_INVARIANTS.find((x) => x.name === name);
  if (!a) throw new Error(`unknown claim ${name}`);
  return a.formula(enc, s);
}

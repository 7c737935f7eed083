/**
 * TEMPORARY bridge while proofs/ moves from preset names to rules: proofs/
 * encodes the eight designs of the 2021 thread (DESIGN.md §5) and asks their
 * rules of the preset it is given. Any other design, iommufd-busy and the SVA
 * rule included, is refused with a clear error rather than proved with an
 * encoding that ignores its rules.
 */
import { type Design, type Rules, type Scope, type Variant, busyOnDestroy, presetOf, svaFreeAtMmput } from '../../../model/index';
import { ToolError } from '../../errors';

export function proofVariant(design: Design, scope: Scope): Variant {
  if (scope.sva === true) throw new ToolError('E_USAGE', 'the Z3 encoding does not cover the SVA extension (DESIGN.md §10) yet; use explore or simulate at an sva scope');
  const v = presetOf(design.rules);
  if (v === undefined || busyOnDestroy(design.rules) || svaFreeAtMmput(design.rules)) {
    throw new ToolError('E_USAGE', `the Z3 encoding covers the eight designs of the 2021 thread only; ${design.name} is not among them (its rules are explored and model-checked, not yet proved)`);
  }
  return v;
}

/**
 * The rules `prove --parametric` proves (proofs/param encodes every rule but
 * the SVA one): a design it does not encode is refused, never proved as another.
 */
export function parametricRules(design: Design): Rules {
  if (svaFreeAtMmput(design.rules)) {
    throw new ToolError('E_USAGE', `the parametric encoding does not cover the SVA extension (DESIGN.md §10), where svaPasidFree=mmput changes anything; use explore or simulate at an sva scope`);
  }
  return design.rules;
}

/**
 * What the per-scope Z3 encoding (proofs/) covers: every design of rules in
 * DESIGN.md §8 but the SVA extension (§10): no `sva` scope, no
 * `svaPasidFree` other than the reference's. A design outside is refused with
 * a clear error rather than proved with an encoding that ignores its rules.
 */
import { type Design, type Rules, type Scope, svaFreeAtMmput } from '../../../model/index';
import { ToolError } from '../../errors';

export function proofDesign(design: Design, scope: Scope): Design {
  if (scope.sva === true) throw new ToolError('E_USAGE', 'the Z3 encoding does not cover the SVA extension (DESIGN.md §10) yet; use explore or simulate at an sva scope');
  if (svaFreeAtMmput(design.rules)) throw new ToolError('E_USAGE', `the Z3 encoding does not cover svaPasidFree=${design.rules.svaPasidFree} (DESIGN.md §10) yet; ${design.name} is explored and model-checked, not proved`);
  return design;
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

/**
 * What the Z3 encodings cover. The per-scope encoding (proofs/) covers every
 * design of rules in DESIGN.md §8 at every scope, the SVA extension (§10)
 * included. Two things stay outside, and are refused with a clear error rather
 * than proved with an encoding that ignores them:
 * - `prove --up-to` at an SVA bound: the scopes it enumerates
 *   (model/scopeSpace.ts) have no SVA, so it would not prove the extension;
 * - `prove --parametric` of a design whose svaPasidFree is not the
 *   reference's: proofs/param has no mm, bindings or SVA actions.
 */
import { type Design, type Rules, type Scope, svaFreeAtMmput } from '../../../model/index';
import { ToolError } from '../../errors';

/** The design `prove --up-to BOUND` proves: refused at an SVA bound (its scope space has no SVA). */
export function sweepDesign(design: Design, bound: Scope): Design {
  if (bound.sva === true) {
    throw new ToolError('E_USAGE', '--up-to enumerates scopes without the SVA extension (model/scopeSpace.ts), so it would not prove DESIGN.md §10; use prove --scope with the SVA scope itself');
  }
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

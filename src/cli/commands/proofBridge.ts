/**
 * TEMPORARY bridge while proofs/ moves from preset names to rules: the Z3
 * commands accept any design on the command line, and hand proofs/ the preset
 * whose rules it equals. A design that equals no preset is refused with a
 * clear error until the rules-based encoding lands.
 */
import { type Design, type Variant, presetOf } from '../../../model/index';
import { ToolError } from '../../errors';

export function proofVariant(design: Design): Variant {
  const v = presetOf(design.rules);
  if (v === undefined) throw new ToolError('E_USAGE', `the Z3 commands take a preset's rules for now; ${design.name} is no preset`);
  return v;
}

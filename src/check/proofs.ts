/** The proofs stage of `check`: Z3 proves the reference design's invariants inductive. */
import { REFERENCE_RULES } from '../../model/rules';
import type { Scope } from '../../model/index';
import { prove } from '../../proofs/prove';
import type { CheckCase } from './cases';

/** One case per claim (DESIGN invariant or auxiliary): passes only if every obligation of it is proved. */
export async function proofCases(scope: Scope, timeoutMs = 30_000): Promise<CheckCase[]> {
  const r = await prove(scope, REFERENCE_RULES, { timeoutMs });
  const names = [...new Set(r.obligations.map((o) => o.invariant))];
  return names.map((name) => {
    const os = r.obligations.filter((o) => o.invariant === name);
    const bad = os.filter((o) => o.status !== 'proved');
    const refuted = bad.some((o) => o.status === 'refuted');
    return {
      suite: 'prove',
      name: `reference: ${name} inductive (${os.length} obligations)`,
      status: bad.length === 0 ? 'pass' : refuted ? 'fail' : 'unknown',
      seconds: os.reduce((t, o) => t + o.seconds, 0),
      ...(bad.length > 0 ? { message: bad.map((o) => `${o.action}: ${o.status}${o.reason ? ` (${o.reason})` : ''}`).join('; ') } : {}),
    };
  });
}

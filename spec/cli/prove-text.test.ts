/**
 * What `prove` prints about obligations it could not decide: grouped by why,
 * with what to try, a few examples and how many more (no Z3 needed).
 */
import { describe, expect, it } from 'vitest';
import type { Obligation } from '../../proofs/prove';
import { unknownLines } from '../../src/cli/commands/prove';

const ob = (invariant: string, action: string, reason: string): Obligation =>
  ({ invariant, action, status: 'unknown', seconds: 0, round: 1, reason }) as unknown as Obligation;

describe('prove: unknown obligations', () => {
  it('groups them by reason, says why and what to try, shows five and counts the rest', () => {
    const slots = Array.from({ length: 438 }, (_, i) => ob(i % 2 ? 'quota' : 'no-leak', `a${i}`, 'slot bound not proved'));
    const lines = unknownLines([...slots, ob('quota', 'close', 'timeout')], 30000);
    const head = lines.find((l) => l.startsWith('438 unknown: slot bound not proved: '));
    expect(head).toMatch(/fixed number of file and IOASID slots/);
    expect(head).toMatch(/slots-suffice/);
    expect(lines.filter((l) => /^  (quota|no-leak) after a\d+$/.test(l))).toHaveLength(5);
    expect(lines).toContain('  ... and 433 more (--json has them all)');
    expect(lines).toContain('1 unknown: timeout: Z3 gave up within the per-query timeout of 30000 ms; try a larger --timeout (up to 3600000)');
    expect(lines).toContain('  quota after close');
    expect(lines.some((l) => l.includes('... and') && l.includes('timeout'))).toBe(false);
  });

  it('keeps the claims an undecided proof leaned on', () => {
    const lines = unknownLines([ob('quota', 'alloc', 'proved assuming claims left undecided: wf-files')], 1000);
    expect(lines).toContain('1 unknown: proved assuming claims left undecided: proved, but leaning on an auxiliary claim that was left undecided; --full decides every claim');
    expect(lines).toContain('  quota after alloc (proved assuming claims left undecided: wf-files)');
  });

  it('prints nothing when nothing is unknown', () => {
    expect(unknownLines([], 1000)).toEqual([]);
  });
});

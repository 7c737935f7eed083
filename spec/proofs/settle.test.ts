/**
 * prove()'s settlement, without Z3: what the fixed point decided becomes the
 * reported statuses. A proof stands only if the claims it used are
 * established and the slot bound is proved; otherwise it is unknown, saying why.
 */
import { describe, expect, it } from 'vitest';
import { type Obligation, SLOTS_SUFFICE, settle } from '../../proofs/prove';

const ob = (invariant: string, action: string, status: Obligation['status'], used: string[] = []): Obligation =>
  ({ invariant, action, status, seconds: 0, round: 1, ...(used.length ? { used } : {}) }) as Obligation;
const goals = [
  { name: 'quota', kind: 'invariant' as const },
  { name: 'wf-files', kind: 'aux' as const },
];

describe('settle', () => {
  it('everything proved, the slot bound too: every claim proved', () => {
    const final = new Map([
      ['quota', [ob('quota', 'init', 'proved'), ob('quota', 'alloc', 'proved', ['wf-files'])]],
      ['wf-files', [ob('wf-files', 'init', 'proved'), ob('wf-files', 'open', 'proved', ['wf-files'])]],
    ]);
    const r = settle(goals, final, [ob(SLOTS_SUFFICE, 'open', 'proved', ['wf-files'])]);
    expect(r.claims.map((c) => `${c.name}:${c.status}`)).toEqual(['quota:proved', 'wf-files:proved', `${SLOTS_SUFFICE}:proved`]);
    expect(r.obligations.every((o) => o.status === 'proved')).toBe(true);
  });

  it('a proof that leaned on a claim left undecided is unknown, naming it; Init is not demoted', () => {
    const final = new Map([
      ['quota', [ob('quota', 'init', 'proved'), ob('quota', 'alloc', 'proved', ['wf-files'])]],
      ['wf-files', [ob('wf-files', 'init', 'proved'), ob('wf-files', 'open', 'unknown')]],
    ]);
    const r = settle(goals, final, [ob(SLOTS_SUFFICE, 'open', 'proved')]);
    const alloc = r.obligations.find((o) => o.invariant === 'quota' && o.action === 'alloc')!;
    expect(alloc).toMatchObject({ status: 'unknown', reason: 'proved assuming claims left undecided: wf-files' });
    expect(r.obligations.find((o) => o.invariant === 'quota' && o.action === 'init')!.status).toBe('proved');
    expect(r.claims.find((c) => c.name === 'quota')!.status).toBe('unknown');
  });

  it('a claim used by a proof but refuted does not make the proof unknown by "left undecided" (the refutation speaks)', () => {
    const final = new Map([
      ['quota', [ob('quota', 'init', 'proved'), ob('quota', 'alloc', 'proved', ['wf-files'])]],
      ['wf-files', [ob('wf-files', 'init', 'proved'), ob('wf-files', 'open', 'refuted')]],
    ]);
    const r = settle(goals, final, [ob(SLOTS_SUFFICE, 'open', 'proved')]);
    expect(r.obligations.find((o) => o.invariant === 'quota' && o.action === 'alloc')!.status).toBe('proved');
    expect(r.claims.find((c) => c.name === 'wf-files')!.status).toBe('refuted');
  });

  it('without the slot bound, no proof past Init stands: unknown, "slot bound not proved"', () => {
    const final = new Map([
      ['quota', [ob('quota', 'init', 'proved'), ob('quota', 'alloc', 'proved')]],
      ['wf-files', [ob('wf-files', 'init', 'proved'), ob('wf-files', 'open', 'proved')]],
    ]);
    const r = settle(goals, final, [ob(SLOTS_SUFFICE, 'open', 'unknown')]);
    expect(r.obligations.filter((o) => o.action !== 'init' && o.invariant !== SLOTS_SUFFICE).map((o) => o.reason)).toEqual(['slot bound not proved', 'slot bound not proved']);
    expect(r.claims.map((c) => c.status)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('undecided claims fall transitively: a claim established only on an undecided one is not established', () => {
    const three = [...goals, { name: 'fd-unique', kind: 'aux' as const }];
    const final = new Map([
      ['quota', [ob('quota', 'init', 'proved'), ob('quota', 'alloc', 'proved', ['wf-files'])]],
      ['wf-files', [ob('wf-files', 'init', 'proved'), ob('wf-files', 'open', 'proved', ['fd-unique'])]],
      ['fd-unique', [ob('fd-unique', 'init', 'proved'), ob('fd-unique', 'open', 'unknown')]],
    ]);
    const r = settle(three, final, [ob(SLOTS_SUFFICE, 'open', 'proved')]);
    expect(r.obligations.find((o) => o.invariant === 'quota' && o.action === 'alloc')!.reason).toBe('proved assuming claims left undecided: wf-files');
    expect(r.obligations.find((o) => o.invariant === 'wf-files' && o.action === 'open')!.reason).toBe('proved assuming claims left undecided: fd-unique');
  });
});

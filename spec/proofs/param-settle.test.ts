/**
 * proveParametric()'s settlement, without Z3 (proofs/param/prove.ts
 * settleParametric): a proof stands only if every claim it used stands,
 * transitively, else it is unknown, naming them; a claim's status is its
 * obligations' (refuted over unknown over proved); a counting invariant is
 * proved only if the claims it needs are.
 */
import { describe, expect, it } from 'vitest';
import { type ParamObligation, settleParametric } from '../../proofs/param/prove';

const ob = (invariant: string, action: string, status: ParamObligation['status'], used: string[] = []): ParamObligation => ({
  invariant,
  kind: 'invariant',
  action,
  status,
  seconds: 0,
  round: 1,
  ...(used.length ? { used } : {}),
});
const claims = [{ name: 'quota', needs: ['count-charged'] }, { name: 'count-charged' }, { name: 'entry-io' }];

describe('settleParametric', () => {
  it('everything proved: every obligation and claim proved, unchanged', () => {
    const obligations = new Map([
      ['quota', [ob('quota', 'init', 'proved'), ob('quota', 'alloc', 'proved', ['count-charged'])]],
      ['count-charged', [ob('count-charged', 'init', 'proved'), ob('count-charged', 'alloc', 'proved', ['count-charged'])]],
      ['entry-io', [ob('entry-io', 'init', 'proved'), ob('entry-io', 'attach', 'proved')]],
    ]);
    const r = settleParametric(claims, obligations);
    expect([...r.status]).toEqual([['quota', 'proved'], ['count-charged', 'proved'], ['entry-io', 'proved']]);
    expect(r.obligations).toEqual([...obligations.values()].flat());
  });

  it('a proof that used a claim not standing is unknown, naming it, transitively; Init keeps its proof', () => {
    const obligations = new Map([
      ['quota', [ob('quota', 'init', 'proved'), ob('quota', 'alloc', 'proved', ['count-charged'])]],
      ['count-charged', [ob('count-charged', 'init', 'proved'), ob('count-charged', 'alloc', 'proved', ['entry-io'])]],
      ['entry-io', [ob('entry-io', 'init', 'proved'), ob('entry-io', 'attach', 'unknown')]],
    ]);
    const r = settleParametric(claims, obligations);
    const at = (inv: string, action: string): ParamObligation => r.obligations.find((o) => o.invariant === inv && o.action === action)!;
    expect(at('quota', 'alloc')).toMatchObject({ status: 'unknown', reason: 'proved assuming claims not established: count-charged' });
    expect(at('count-charged', 'alloc')).toMatchObject({ status: 'unknown', reason: 'proved assuming claims not established: entry-io' });
    expect(at('quota', 'init').status).toBe('proved');
    expect([...r.status.values()]).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('refuted outranks unknown in a claim status', () => {
    const obligations = new Map([
      ['quota', [ob('quota', 'init', 'proved'), ob('quota', 'alloc', 'unknown'), ob('quota', 'open', 'refuted')]],
      ['count-charged', [ob('count-charged', 'init', 'proved')]],
      ['entry-io', [ob('entry-io', 'init', 'refuted')]],
    ]);
    const r = settleParametric(claims, obligations);
    expect([...r.status]).toEqual([['quota', 'refuted'], ['count-charged', 'proved'], ['entry-io', 'refuted']]);
  });

  it('a counting invariant whose own obligations are proved is unknown while a claim it needs is not proved', () => {
    const obligations = new Map([
      ['quota', [ob('quota', 'init', 'proved'), ob('quota', 'alloc', 'proved')]],
      ['count-charged', [ob('count-charged', 'init', 'proved'), ob('count-charged', 'destroy', 'refuted')]],
      ['entry-io', [ob('entry-io', 'init', 'proved')]],
    ]);
    const r = settleParametric(claims, obligations);
    expect(r.status.get('quota')).toBe('unknown');
    expect(r.obligations.filter((o) => o.invariant === 'quota').every((o) => o.status === 'proved')).toBe(true);
  });
});

/** §10: the SVA actions are in the trace vocabulary only at scopes with "sva": true. */
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/trace/itf';

const trace = (scope: string): string =>
  JSON.stringify({
    '#meta': { variant: 'sva-free-at-mmput', scope },
    states: [{ 'mbt::actionTaken': 'init' }, { 'mbt::actionTaken': 'sva_bind', 'mbt::nondetPicks': { proc: 1, dev: 2 } }],
  });

describe('SVA actions in traces', () => {
  it('are bad input (E_TRACE) at a scope without sva', () => {
    expect(() => parseTrace(trace('default'), 't')).toThrow(/E_TRACE|needs a scope with "sva": true/);
    try {
      parseTrace(trace('default'), 't');
    } catch (e) {
      expect((e as { code?: string }).code).toBe('E_TRACE');
    }
  });

  it('are read at the sva scope', () => {
    const t = parseTrace(trace('sva'), 't');
    expect(t.steps.map((s) => s.action)).toEqual([{ type: 'sva_bind', proc: 1, dev: 2 }]);
    expect(t.variant).toBe('sva-free-at-mmput');
  });
});

/*
 * The ADR-015 checker on bad traces (each problem found, and named), and the
 * trace reader's input rules of DESIGN.md §6/§8: both pick forms, a None or
 * absent pick for a needed argument, #meta.rules validated against
 * model/rules.ts (one-line E_TRACE / E_UNKNOWN_NAME), rules deciding over
 * variant, and the defaults a trace naming nothing falls back to.
 */
import { describe, expect, it } from 'vitest';
import { VARIANTS } from '../../model/index';
import { parseTrace } from '../../src/trace/itf';
import { checkAdr015, parseType } from './adr015';

const int = (n: number) => ({ '#bigint': String(n) });
const some = (n: number) => ({ tag: 'Some', value: int(n) });
const none = { tag: 'None', value: { '#tup': [] } };

function trace(picks: Record<string, unknown>, meta: Record<string, unknown> = {}): string {
  return JSON.stringify({
    '#meta': meta,
    vars: ['mbt::actionTaken', 'mbt::nondetPicks', 'result'],
    states: [
      { 'mbt::actionTaken': 'init', 'mbt::nondetPicks': {}, result: '' },
      { 'mbt::actionTaken': 'open', 'mbt::nondetPicks': { proc: some(1) }, result: '1' },
      { 'mbt::actionTaken': 'alloc', 'mbt::nondetPicks': picks, result: '1' },
    ],
  });
}

describe('the strict ADR-015 checker', () => {
  const good = { vars: ['x', 'm'], states: [{ x: int(1), m: { '#map': [[int(1), true]] } }, { x: int(2), m: { '#map': [] } }] };

  it('finds nothing wrong in a valid trace', () => {
    expect(checkAdr015(good)).toEqual([]);
    expect(checkAdr015({ ...good, '#meta': { varTypes: { x: 'Int', m: 'Int -> Bool' } } })).toEqual([]);
  });

  it.each([
    ['a variable missing from a state', { vars: ['x', 'y'], states: [{ x: int(1), y: int(1) }, { x: int(1) }] }, "state 1 does not define variable 'y'"],
    ['a variable not in vars', { vars: ['x'], states: [{ x: int(1), z: true }] }, "state 0 defines 'z', which is not in vars"],
    ['a plain JSON number', { vars: ['x'], states: [{ x: 3 }] }, 'plain JSON number 3'],
    ['a bad #bigint', { vars: ['x'], states: [{ x: { '#bigint': '1.5' } }] }, '#bigint must be a decimal string'],
    ['a duplicate set element', { vars: ['x'], states: [{ x: { '#set': [int(1), int(1)] } }] }, 'duplicate element'],
    ['a duplicate map key', { vars: ['x'], states: [{ x: { '#map': [[int(1), true], [int(1), false]] } }] }, 'duplicate key'],
    ['a variable that changes type', { vars: ['x'], states: [{ x: int(1) }, { x: 'one' }] }, 'x changes type (Int vs Str)'],
    ['a list of mixed elements', { vars: ['x'], states: [{ x: [int(1), true] }] }, 'element of another type'],
    ['records with different fields', { vars: ['x'], states: [{ x: { a: int(1) } }, { x: { b: int(1) } }] }, 'records with fields {a} vs {b}'],
    ['no states', { vars: ['x'], states: [] }, 'states must be a non-empty list'],
    ['an unknown top-level key', { vars: [], states: [{}], extra: 1 }, "unknown top-level key 'extra'"],
    ['a loop outside the states', { vars: [], states: [{}], loop: 3 }, 'loop 3 is not the index of a state'],
    ['a value against its declared type', { '#meta': { varTypes: { x: 'Set(Int)' } }, vars: ['x'], states: [{ x: [int(1)] }] }, 'x does not have its declared type: Seq(Int) is not Set(Int)'],
    ['a variable without a declared type', { '#meta': { varTypes: {} }, vars: ['x'], states: [{ x: int(1) }] }, "#meta.varTypes has no type for 'x'"],
    ['a variant case not declared', { '#meta': { varTypes: { x: 'Some(Int) | None(<<>>)' } }, vars: ['x'], states: [{ x: { tag: 'Maybe', value: int(1) } }] }, 'case Maybe is not one of'],
  ])('finds %s', (_what, raw, problem) => {
    expect(checkAdr015(raw).join('\n')).toContain(problem);
  });

  it("parses Apalache's type notation", () => {
    expect(() => parseType('Int -> Seq({ a: Int, b: Some(Int) | None(<<>>) })')).not.toThrow();
    expect(() => parseType('Int ->')).toThrow();
    expect(() => parseType('Seq(Int')).toThrow();
  });
});

describe('reading picks', () => {
  it("accepts Quint's Some/None form and a plain record alike", () => {
    const q = parseTrace(trace({ proc: some(1), fd: some(1), dev: none }), 'q');
    const p = parseTrace(trace({ proc: int(1), fd: 1 }), 'p');
    expect(q.steps).toEqual(p.steps);
    expect(q.steps[1]!.action).toEqual({ type: 'alloc', proc: 1, fd: 1 });
  });

  it('a None pick for an argument the action needs: E_TRACE, saying it was not picked', () => {
    expect(() => parseTrace(trace({ proc: some(1), fd: none }), 't.json')).toThrow(
      expect.objectContaining({ code: 'E_TRACE', message: "t.json: state 2: alloc needs argument 'fd', which was not picked (mbt::nondetPicks.fd is None)" }),
    );
    expect(() => parseTrace(trace({ proc: some(1) }), 't.json')).toThrow(expect.objectContaining({ code: 'E_TRACE', message: expect.stringContaining("'fd', which was not picked (mbt::nondetPicks.fd is absent)") }));
  });
});

describe('the design and scope of a trace', () => {
  const picks = { proc: int(1), fd: int(1) };

  it('names nothing: reference at default, and says so (the CLI warns)', () => {
    const t = parseTrace(trace(picks), 't');
    expect({ variant: t.variant, named: t.named, scoped: t.scoped, scope: t.scope.name }).toEqual({ variant: 'reference', named: false, scoped: false, scope: 'default' });
  });

  it('rules decide over the variant; rules given in part apply on top of the variant', () => {
    const full = parseTrace(trace(picks, { variant: 'reference', rules: VARIANTS['no-drain'].rules }), 't');
    expect([full.variant, full.named]).toEqual(['no-drain', true]);
    const part = parseTrace(trace(picks, { variant: 'no-drain', rules: { drain: true } }), 't');
    expect(part.variant).toBe('reference');
    const named = parseTrace(trace(picks, { variant: 'my-design', rules: { blockOnDestroy: false } }), 't');
    expect([named.variant, named.design.name]).toEqual(['no-dma-block', 'no-dma-block']);
  });

  it('an unknown rule is E_UNKNOWN_NAME, a value not allowed E_TRACE naming the allowed ones; one line each', () => {
    expect(() => parseTrace(trace(picks, { rules: { drian: false } }), 't')).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_NAME', message: "unknown rule 'drian'; did you mean 'drain'?" }));
    expect(() => parseTrace(trace(picks, { rules: { drain: 'no' } }), 't')).toThrow(expect.objectContaining({ code: 'E_TRACE', message: 't: #meta.rules.drain is "no"; allowed: true, false' }));
    expect(() => parseTrace(trace(picks, { rules: { recycle: 'never' } }), 't')).toThrow(expect.objectContaining({ message: 't: #meta.rules.recycle is "never"; allowed: at-zero, at-destroy, notifier' }));
    expect(() => parseTrace(trace(picks, { rules: [] }), 't')).toThrow(expect.objectContaining({ code: 'E_TRACE' }));
  });

  it('without rules, the variant must be a preset', () => {
    expect(() => parseTrace(trace(picks, { variant: 'my-design' }), 't')).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_NAME' }));
  });

  it('status and invariant are read', () => {
    const t = parseTrace(trace(picks, { status: 'violation', invariant: 'quota' }), 't');
    expect([t.status, t.invariant]).toEqual(['violation', 'quota']);
  });
});

import { VARIANTS } from '../../model/variants';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESETS, type Scope, type State, VARIANT_NAMES, type Variant, allScopeActions, candidateActions, allActions, initialState, scopeCandidates, step, violated } from '../../model/index';
import { decode } from '../../src/explore/decode';
import { Encoder } from '../../src/explore/encode';

const key = (enc: Encoder, s: State): string => {
  enc.encode(s);
  return Array.from(enc.words.subarray(0, enc.nWords)).join(',');
};
const bytesOf = (enc: Encoder): Uint8Array => new Uint8Array(enc.words.buffer.slice(0, enc.nWords * 4));

/** States along random walks of candidate actions. */
function walks(scope: Scope, variant: Variant): fc.Arbitrary<State[]> {
  const actions = candidateActions(scope, VARIANTS[variant].rules);
  return fc.array(fc.nat(actions.length - 1), { minLength: 1, maxLength: 40 }).map((picks) => {
    const out = [initialState(scope)];
    for (const i of picks) out.push(step(scope, VARIANTS[variant].rules, out[out.length - 1]!, actions[i]!).state);
    return out;
  });
}

/** The same state with its file and ioasid slots permuted (and a free slot put in front). */
function permuted(s: State): State {
  const fmap = (id: number): number => (id === 0 ? 0 : s.files.length + 1 - id + 1);
  const imap = (id: number): number => (id === 0 ? 0 : s.ioasids.length + 1 - id + 1);
  const files = [null, ...[...s.files].reverse()];
  const ioasids = [null, ...[...s.ioasids].reverse().map((io) => (io ? { ...io, file: fmap(io.file) } : null))];
  return {
    ...s,
    files,
    ioasids,
    tables: s.tables.map((t) => t.map((e) => ({ ...e, ioasid: imap(e.ioasid) }))),
    allowed: s.allowed.map(fmap),
    vms: s.vms.map((v) => ({ ...v, presented: fmap(v.presented), entries: v.entries.map((e) => ({ ...e, ioasid: imap(e.ioasid) })) })),
  };
}

describe('canonical encoding', () => {
  it.each(VARIANT_NAMES)('does not depend on slot numbering (%s)', (variant) => {
    const enc = new Encoder(PRESETS.default);
    fc.assert(
      fc.property(walks(PRESETS.default, variant), (states) => {
        for (const s of states) expect(key(enc, permuted(s))).toBe(key(enc, s));
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  // The explorer expands decoded states: they must behave exactly as the originals
  // under every call, including failing and out-of-range ones, and break the same invariants.
  it.each(VARIANT_NAMES)('decodes to a state that encodes alike and answers every call alike (%s)', (variant) => {
    const scope = PRESETS.default;
    const enc = new Encoder(scope);
    const every = allActions(PRESETS.tiny).filter((_, i) => i % 3 === 0).concat(candidateActions(scope, VARIANTS[variant].rules));
    fc.assert(
      fc.property(walks(scope, variant), (states) => {
        const s = states[states.length - 1]!;
        const k = key(enc, s);
        const d = decode(scope, bytesOf(enc));
        expect(key(enc, d)).toBe(k);
        expect(violated(scope, d)).toEqual(violated(scope, s));
        for (const a of every) {
          const x = step(scope, VARIANTS[variant].rules, s, a);
          const y = step(scope, VARIANTS[variant].rules, d, a);
          expect(y.result).toBe(x.result);
          expect(key(enc, y.state)).toBe(key(enc, x.state));
        }
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('tells apart states that differ in anything a call can see', () => {
    const scope = PRESETS.default;
    const enc = new Encoder(scope);
    const s0 = initialState(scope);
    const open = step(scope, VARIANTS['reference'].rules, s0, { type: 'open', proc: 1 }).state;
    const alloc = step(scope, VARIANTS['reference'].rules, open, { type: 'alloc', proc: 1, fd: 1 }).state;
    const keys = [s0, open, alloc, { ...alloc, free: alloc.free ^ 4 }, { ...alloc, alive: [true, false] }].map((s) => key(enc, s));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('canonical encoding at the sva scope (§10)', () => {
  const scope = PRESETS.sva;
  const svaWalks = (variant: Variant): fc.Arbitrary<State[]> => {
    const actions = scopeCandidates(scope, VARIANTS[variant].rules);
    return fc.array(fc.nat(actions.length - 1), { minLength: 1, maxLength: 40 }).map((picks) => {
      const out = [initialState(scope)];
      for (const i of picks) out.push(step(scope, VARIANTS[variant].rules, out[out.length - 1]!, actions[i]!).state);
      return out;
    });
  };

  it.each(['reference', 'sva-free-at-mmput'] as const)('does not depend on slot numbering (%s)', (variant) => {
    const enc = new Encoder(scope);
    fc.assert(fc.property(svaWalks(variant), (states) => {
      for (const s of states) expect(key(enc, permuted(s))).toBe(key(enc, s));
    }), { numRuns: 150, seed: 7 });
  });

  it.each(['reference', 'sva-free-at-mmput'] as const)('decodes to a state that encodes alike and answers every call alike (%s)', (variant) => {
    const enc = new Encoder(scope);
    const every = allScopeActions(scope).filter((_, i) => i % 7 === 0).concat(scopeCandidates(scope, VARIANTS[variant].rules));
    fc.assert(fc.property(svaWalks(variant), (states) => {
      const s = states[states.length - 1]!;
      const k = key(enc, s);
      const d = decode(scope, bytesOf(enc));
      expect(d.mms).toEqual(s.mms);
      expect(d.sva).toEqual(s.sva);
      expect(key(enc, d)).toBe(k);
      expect(violated(scope, d)).toEqual(violated(scope, s));
      for (const a of every) {
        const x = step(scope, VARIANTS[variant].rules, s, a);
        const y = step(scope, VARIANTS[variant].rules, d, a);
        expect(y.result).toBe(x.result);
        expect(key(enc, y.state)).toBe(key(enc, x.state));
      }
    }), { numRuns: 40, seed: 11 });
  });

  it('tells apart mm counts and SVA entries', () => {
    const enc = new Encoder(scope);
    const s0 = initialState(scope);
    const b = step(scope, VARIANTS.reference.rules, s0, { type: 'sva_bind', proc: 1, dev: 2 }).state;
    const c = step(scope, VARIANTS.reference.rules, s0, { type: 'sva_bind', proc: 1, dev: 3 }).state;
    expect(new Set([key(enc, s0), key(enc, b), key(enc, c), key(enc, { ...b, mms: [{ pasid: 1, users: 3 }, b.mms![1]!] })]).size).toBe(4);
  });
});

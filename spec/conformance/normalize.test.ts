import { VARIANTS } from '../../model/variants';
/**
 * normalize: canonical numbering of files and IOASIDs. Relabelling the slots
 * of a state never changes its normal form; nothing is dropped or merged, so
 * states the explorer's encoding merges (they differ only in what no call can
 * observe) stay apart here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESETS, type State, candidateActions, initialState, step } from '../../model/index';
import { DANGLING, normalize } from '../../src/conformance/normalize';

const scope = PRESETS.large;
// no exit or vm_destroy: walks would end in an empty state too soon to test anything
const actions = candidateActions(scope, VARIANTS['recycle-on-destroy'].rules).filter((a) => a.type !== 'exit' && a.type !== 'vm_destroy');

/** The state after a walk of state-changing calls (recycle-on-destroy: dead IOASIDs too). */
function walk(picks: readonly number[]): State {
  return picks.reduce((s, i) => {
    const next = actions.map((a) => step(scope, VARIANTS['recycle-on-destroy'].rules, s, a).state).filter((x) => x !== s);
    return next.length > 0 ? next[i % next.length]! : s;
  }, initialState(scope));
}

/** Moves file i to slot f[i] and ioasid j to slot g[j], leaving holes. */
function relabel(s: State, f: readonly number[], g: readonly number[]): State {
  const fid = (id: number) => (id === 0 ? 0 : f[id - 1]!);
  const gid = (id: number) => (id === 0 ? 0 : g[id - 1]!);
  const files: State['files'][number][] = Array.from({ length: Math.max(0, ...f) }, () => null);
  s.files.forEach((x, i) => (files[f[i]! - 1] = x));
  const ioasids: State['ioasids'][number][] = Array.from({ length: Math.max(0, ...g) }, () => null);
  s.ioasids.forEach((x, i) => (ioasids[g[i]! - 1] = x && { ...x, file: fid(x.file) }));
  return {
    ...s,
    files,
    ioasids,
    tables: s.tables.map((t) => t.map((e) => ({ ...e, ioasid: gid(e.ioasid) }))),
    allowed: s.allowed.map(fid),
    vms: s.vms.map((v) => ({ ...v, presented: fid(v.presented), entries: v.entries.map((e) => ({ ...e, ioasid: gid(e.ioasid) })) })),
  };
}

/** A permutation of 1..n spread over 1..3n (holes included). */
const ids = (n: number) => fc.uniqueArray(fc.integer({ min: 1, max: 3 * n + 1 }), { minLength: n, maxLength: n });

describe('normalize', () => {
  it('is blind to slot numbering, and to nothing else', () => {
    const arb = fc.array(fc.nat(), { minLength: 4, maxLength: 40, size: 'max' }).chain((picks) => {
      const s = walk(picks);
      return fc.tuple(fc.constant(s), ids(s.files.length), ids(s.ioasids.length));
    });
    let nonTrivial = 0;
    fc.assert(
      fc.property(arb, ([s, f, g]) => {
        const r = relabel(s, f, g);
        if (s.ioasids.length > 1) nonTrivial++;
        expect(normalize(r)).toEqual(normalize(s));
        expect(normalize(normalize(s))).toEqual(normalize(s));
      }),
      { seed: 7, numRuns: 500 },
    );
    expect(nonTrivial).toBeGreaterThan(50);
  });

  it('numbers densely in walk order: open files by (proc, fd), then their IOASIDs by handle', () => {
    const s: State = {
      ...initialState(scope),
      files: [null, { proc: 2, fd: 1 }, null, { proc: 1, fd: 1 }],
      ioasids: [{ file: 2, handle: 1, pasid: 3, blocked: false, users: 1 }, null, { file: 4, handle: 2, pasid: 1, blocked: false, users: 1 }, { file: 4, handle: 1, pasid: 2, blocked: false, users: 1 }],
    };
    const n = normalize(s);
    expect(n.files).toEqual([{ proc: 1, fd: 1 }, { proc: 2, fd: 1 }]);
    expect(n.ioasids.map((x) => [x!.file, x!.handle, x!.pasid])).toEqual([[1, 1, 2], [1, 2, 1], [2, 1, 3]]);
  });

  it('drops nothing: objects nothing refers to are kept, after the rest, in id order', () => {
    const s: State = {
      ...initialState(scope),
      files: [{ proc: 1, fd: 0 }, { proc: 1, fd: 1 }],
      ioasids: [{ file: 1, handle: 0, pasid: 2, blocked: true, users: 1 }, null],
    };
    const n = normalize(s);
    expect(n.files).toEqual([{ proc: 1, fd: 1 }, { proc: 1, fd: 0 }]);
    expect(n.ioasids).toEqual([{ file: 2, handle: 0, pasid: 2, blocked: true, users: 1 }]);
  });

  it('marks a reference to a missing object as dangling', () => {
    const base = initialState(scope);
    const s: State = {
      ...base,
      ioasids: [{ file: 9, handle: 0, pasid: 1, blocked: true, users: 1 }],
      allowed: [7, 0],
      tables: [[{ pasid: 1, ioasid: 1, mdev: 0, allowed: true }], [{ pasid: 2, ioasid: 5, mdev: 1, allowed: true }]],
    };
    const n = normalize(s);
    expect(n.ioasids[0]!.file).toBe(DANGLING);
    expect(n.allowed).toEqual([DANGLING, 0]);
    expect(n.tables[1]![0]!.ioasid).toBe(DANGLING);
  });

  it('merges nothing: an allowance for a closed file is not "none", a closed presented file keeps its identity', () => {
    const base: State = { ...initialState(scope), files: [{ proc: 1, fd: 0 }, { proc: 1, fd: 0 }] };
    expect(normalize({ ...base, allowed: [1, 0] })).not.toEqual(normalize({ ...base, allowed: [0, 0] }));
    const vm = base.vms[0]!;
    const a = normalize({ ...base, allowed: [1, 0], vms: [{ ...vm, presented: 1 }, base.vms[1]!] });
    const b = normalize({ ...base, allowed: [1, 0], vms: [{ ...vm, presented: 2 }, base.vms[1]!] });
    expect(a).not.toEqual(b);
  });

  it('keeps a dead IOASID (destroyed, PASID recycled) with its users', () => {
    const dead = { file: 1, handle: 0, pasid: 0, blocked: true };
    const s = (users: number): State => ({
      ...initialState(scope),
      files: [{ proc: 1, fd: 0 }],
      ioasids: [{ ...dead, users }],
      tables: [[{ pasid: 1, ioasid: 1, mdev: 0, allowed: true }], []],
    });
    expect(normalize(s(1))).not.toEqual(normalize(s(2)));
  });

  it('does not change its input', () => {
    const s = walk([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]);
    const copy = structuredClone(s);
    normalize(s);
    expect(s).toEqual(copy);
  });
});

/**
 * Sweep slices (src/sweep/shard.ts) and `merge`, without Z3: the N slices of
 * a sweep hold every scope exactly once whatever N is, and a merge refuses any
 * set that is not exactly the slices 1..N of one sweep.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS, REFERENCE_DESIGN, scopeKey, scopesUpTo } from '../../model/index';
import { readEvidence } from '../../src/report/evidence';
import { type ShardPart, mergeShards, parseShard, shardPositions } from '../../src/sweep/shard';
import { runInProcess } from '../cli/run';

describe('shardPositions', () => {
  for (const bound of ['tiny', 'default', 'large'] as const) {
    it(`the slices of the sweep up to ${bound} hold every scope exactly once, each slice within one scope of the others`, () => {
      const total = scopesUpTo(PRESETS[bound]).length;
      for (const count of [1, 2, 3, 4, 7, 16, total - 1, total, total + 5]) {
        const slices = Array.from({ length: count }, (_, i) => shardPositions(total, { index: i + 1, count }));
        const all = slices.flat().sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: total }, (_, i) => i));
        const sizes = slices.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        for (const s of slices) expect(s).toEqual([...s].sort((a, b) => a - b));
      }
    });
  }

  it('is the same slice every time (deterministic), and round-robin', () => {
    expect(shardPositions(10, { index: 2, count: 3 })).toEqual([1, 4, 7]);
    expect(shardPositions(10, { index: 2, count: 3 })).toEqual(shardPositions(10, { index: 2, count: 3 }));
    expect(shardPositions(2, { index: 3, count: 3 })).toEqual([]);
  });
});

describe('parseShard', () => {
  it('reads I/N and refuses anything else in one line', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '3', 'a/b', '1/2/3', '-1/2', '1/1001']) expect(() => parseShard(bad), bad).toThrow(/--shard/);
  });
});

const keys = scopesUpTo(PRESETS.tiny).map(scopeKey);
const scopeOf = (key: string) => ({ key, status: 'proved' as const });
function part(index: number, count: number, over: Partial<ShardPart<{ key: string; status: 'proved' }>> = {}): ShardPart<{ key: string; status: 'proved' }> {
  return {
    file: `s${index}of${count}.json`,
    variant: 'reference',
    bound: 'tiny',
    rules: REFERENCE_DESIGN.rules,
    shard: { index, count, of: keys.length, timeoutMs: 30000, full: false },
    scopes: shardPositions(keys.length, { index, count }).map((p) => scopeOf(keys[p]!)),
    ...over,
  };
}

describe('mergeShards', () => {
  it('puts the slices back in the order of the sweep, given in any order', () => {
    expect(mergeShards([part(3, 3), part(1, 3), part(2, 3)], keys).map((s) => s.key)).toEqual(keys);
  });

  it('refuses a slice missing, or given twice', () => {
    expect(() => mergeShards([part(1, 3), part(3, 3)], keys)).toThrow(/slice 2\/3 missing/);
    expect(() => mergeShards([part(1, 3), part(2, 3), part(2, 3), part(3, 3)], keys)).toThrow(/slice 2\/3 is given twice/);
    expect(() => mergeShards([], keys)).toThrow(/no shard files/);
  });

  it('refuses slices of different sweeps', () => {
    const other = (over: Partial<ShardPart<{ key: string; status: 'proved' }>>) => () => mergeShards([part(1, 2), part(2, 2, over)], keys);
    expect(other({ variant: 'no-drain' })).toThrow(/another sweep.*variant/);
    expect(other({ bound: 'default' })).toThrow(/another sweep.*bound/);
    expect(other({ rules: { ...REFERENCE_DESIGN.rules, drain: 'none' } })).toThrow(/another sweep.*rules/);
    expect(other({ shard: { index: 2, count: 3, of: keys.length, timeoutMs: 30000, full: false } })).toThrow(/another sweep.*shard count/);
    expect(other({ shard: { index: 2, count: 2, of: keys.length, timeoutMs: 100, full: false } })).toThrow(/another sweep.*timeout/);
    expect(other({ shard: { index: 2, count: 2, of: keys.length, timeoutMs: 30000, full: true } })).toThrow(/another sweep.*--full/);
  });

  it('refuses a file whose scopes are not its slice, or a sweep of another size', () => {
    const p2 = part(2, 2);
    expect(() => mergeShards([part(1, 2), { ...p2, scopes: p2.scopes.slice(1) }], keys)).toThrow(/does not hold slice 2\/2/);
    expect(() => mergeShards([part(1, 2), { ...p2, scopes: [...p2.scopes].reverse() }], keys)).toThrow(/does not hold slice 2\/2: .*scope 1 is/);
    expect(() => mergeShards([part(1, 2), p2], keys.slice(1))).toThrow(/says the sweep has/);
  });
});

describe('merge and report --evidence with shard files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ioasid-shard-'));
  /** A shard file as prove --up-to tiny --shard I/N --json writes it, with made-up timings. */
  function shardFile(index: number, count: number, status: 'proved' | 'refuted' = 'proved'): string {
    const space = scopesUpTo(PRESETS.tiny);
    const scopes = shardPositions(space.length, { index, count }).map((p) => ({
      key: scopeKey(space[p]!),
      scope: space[p],
      status,
      proved: status === 'proved' ? 462 : 461,
      refuted: status === 'proved' ? 0 : 1,
      unknown: 0,
      seconds: 1.5,
      ...(status === 'refuted' ? { first: { invariant: 'no-cross-tenant-dma', action: 'free', status } } : {}),
    }));
    const file = join(dir, `shard-${index}-${count}-${status}.json`);
    const json = { variant: 'reference', rules: REFERENCE_DESIGN.rules, bound: 'tiny', seconds: 9, status, shard: { index, count, of: space.length, timeoutMs: 30000, full: false }, scopes };
    writeFileSync(file, JSON.stringify(json));
    return file;
  }

  it('merge of every slice is the sweep: all scopes in order, exit 0; a slice refuted makes it exit 1', async () => {
    const ok = await runInProcess(['merge', shardFile(2, 2), shardFile(1, 2), '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const j = JSON.parse(ok.stdout) as { status: string; shards: number; scopes: { key: string }[] };
    expect(j.scopes.map((s) => s.key)).toEqual(keys);
    expect(j.status).toBe('proved');
    expect(j.shards).toBe(2);
    const bad = await runInProcess(['merge', shardFile(1, 2), shardFile(2, 2, 'refuted')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/refuted: P/);
  });

  it('merge refuses a set with a slice missing or given twice: one line, E_SHARD, exit 2', async () => {
    const missing = await runInProcess(['merge', shardFile(1, 3), shardFile(3, 3)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ioasid-verify: E_SHARD: slice 2\/3 missing/);
    const twice = await runInProcess(['merge', shardFile(1, 2), shardFile(1, 2), shardFile(2, 2)]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^ioasid-verify: E_SHARD: slice 1\/2 is given twice/);
  });

  it('one slice given to report --evidence claims nothing; the merged file claims every invariant', async () => {
    const slice = readEvidence(shardFile(1, 2));
    expect(slice.facts).toEqual([]);
    expect(slice.summary).toMatch(/slice 1\/2 .*no claim until the slices are merged/);
    const merged = await runInProcess(['merge', shardFile(1, 2), shardFile(2, 2), '--json']);
    const file = join(dir, 'merged.json');
    writeFileSync(file, merged.stdout);
    expect(readEvidence(file).facts.every((f) => f.holds === true)).toBe(true);
    expect(readEvidence(file).facts.length).toBeGreaterThan(0);
  });
});

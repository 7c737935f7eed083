/**
 * Splitting a sweep (prove --up-to) into N deterministic slices, so that a CI
 * matrix of machines shares it (`--shard I/N`, 1-based, the convention of
 * vitest, Playwright and Jest), and putting the slices back together. Pure:
 * the files are read and written by the CLI (src/cli/commands/merge.ts).
 *
 * Slice I holds the scopes at positions I-1, I-1+N, I-1+2N, ... of the
 * sweep's list (model/scopeSpace.ts scopesUpTo, smallest first): round-robin,
 * so each slice gets small and large scopes alike and the slices take about
 * the same time, where contiguous slices would leave the largest scopes to
 * the last one.
 */
import { ToolError } from '../errors';

export interface Shard {
  /** 1..count */
  readonly index: number;
  readonly count: number;
}

export const MAX_SHARDS = 1000;

/** `--shard I/N`: 1 <= I <= N <= MAX_SHARDS. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ToolError('E_USAGE', `--shard must be I/N (slice I of N, e.g. 1/4), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new ToolError('E_BAD_NUMBER', `--shard ${text}: N must be between 1 and ${MAX_SHARDS}`);
  if (index < 1 || index > count) throw new ToolError('E_BAD_NUMBER', `--shard ${text}: I must be between 1 and N (${count})`);
  return { index, count };
}

/** The positions (0-based, ascending) of a list of `total` items that slice `shard` holds. */
export function shardPositions(total: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let p = shard.index - 1; p < total; p += shard.count) out.push(p);
  return out;
}

/** What a shard file says about itself (the `shard` field of `prove --up-to --shard --json`). */
export interface ShardInfo extends Shard {
  /** scopes in the whole sweep */
  readonly of: number;
  readonly timeoutMs: number;
  readonly full: boolean;
}

/** One shard's result as the merge needs it: what sweep it is part of, and its scopes. */
export interface ShardPart<S extends { readonly key: string }> {
  readonly file: string;
  readonly variant: string;
  /** the bound's label (a preset name or a scope object), compared as JSON */
  readonly bound: unknown;
  readonly rules: unknown;
  readonly shard: ShardInfo;
  readonly scopes: readonly S[];
}

/**
 * The scopes of the whole sweep, in its order, from one file per slice.
 * Refuses (E_SHARD) a set that is not exactly the slices 1..N of one sweep:
 * another variant, bound, rules, N, timeout or --full; a slice missing or
 * given twice; a file whose scopes are not its slice of `keys` (the whole
 * sweep's scope keys, recomputed from the bound by the caller).
 */
export function mergeShards<S extends { readonly key: string }>(parts: readonly ShardPart<S>[], keys: readonly string[]): S[] {
  const first = parts[0];
  if (first === undefined) throw new ToolError('E_SHARD', 'no shard files given');
  const same = (what: string, f: (p: ShardPart<S>) => unknown): void => {
    const want = JSON.stringify(f(first));
    const other = parts.find((p) => JSON.stringify(f(p)) !== want);
    if (other) throw new ToolError('E_SHARD', `'${other.file}' is from another sweep than '${first.file}': ${what} ${JSON.stringify(f(other))}, not ${want}`);
  };
  same('variant', (p) => p.variant);
  same('rules', (p) => p.rules);
  same('bound', (p) => p.bound);
  same('shard count', (p) => p.shard.count);
  same('timeout', (p) => p.shard.timeoutMs);
  same('--full', (p) => p.shard.full);
  const count = first.shard.count;
  if (first.shard.of !== keys.length) throw new ToolError('E_SHARD', `'${first.file}' says the sweep has ${first.shard.of} scopes; up to this bound there are ${keys.length}`);
  const byIndex = new Map<number, ShardPart<S>>();
  for (const p of parts) {
    const twice = byIndex.get(p.shard.index);
    if (twice) throw new ToolError('E_SHARD', `slice ${p.shard.index}/${count} is given twice: '${twice.file}' and '${p.file}'`);
    byIndex.set(p.shard.index, p);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new ToolError('E_SHARD', `slice${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: a merge needs all ${count}`);
  const merged: S[] = new Array<S>(keys.length);
  for (const p of parts) {
    const positions = shardPositions(keys.length, p.shard);
    const want = positions.map((i) => keys[i]!);
    const got = p.scopes.map((s) => s.key);
    if (got.length !== want.length || got.some((k, i) => k !== want[i])) {
      const at = got.findIndex((k, i) => k !== want[i]);
      throw new ToolError('E_SHARD', `'${p.file}' does not hold slice ${p.shard.index}/${count}: ${got.length} scopes where the slice has ${want.length}${at >= 0 ? `; scope ${at + 1} is ${got[at]}, not ${want[at] ?? 'none'}` : ''}`);
    }
    positions.forEach((pos, i) => (merged[pos] = p.scopes[i]!));
  }
  return merged;
}

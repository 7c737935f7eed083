/**
 * `merge FILE...`: the slices of a sweep (`prove --up-to B --shard I/N --json`,
 * one file each, e.g. from a CI matrix) put back together as the output of
 * `prove --up-to B`. The scope list is recomputed from the bound, so a set
 * with a slice missing or given twice, or a file of another sweep, is refused
 * (E_SHARD) rather than merged into a sweep that skipped scopes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { scopeKey, scopesUpTo } from '../../../model/index';
import type { SweepScope } from '../../../proofs/sweep';
import { sweepStatus } from '../../../proofs/sweep';
import { ToolError } from '../../errors';
import { resolveScope } from '../../scopes';
import { mergeShards } from '../../sweep/shard';
import { parseDesign } from '../../design';
import type { CommandOutput } from '../output';
import { sweepOutput } from './prove';

const Status = z.enum(['proved', 'refuted', 'unknown']);
const count = z.number().int().nonnegative();
/** What `prove --up-to --shard --json` writes (sweepOutput). */
const ShardFile = z.object({
  variant: z.string(),
  rules: z.record(z.string(), z.unknown()),
  bound: z.union([z.string(), z.record(z.string(), z.unknown())]),
  seconds: z.number().nonnegative(),
  status: Status,
  shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1), of: count, timeoutMs: count, full: z.boolean() }).strict(),
  scopes: z.array(
    z.object({
      key: z.string(),
      scope: z.unknown(),
      status: Status,
      proved: count,
      refuted: count,
      unknown: count,
      seconds: z.number().nonnegative(),
      first: z.object({ invariant: z.string(), action: z.string(), status: Status, reason: z.string().optional() }).strict().optional(),
    }).strict(),
  ),
}).strict();
function readShard(file: string): z.infer<typeof ShardFile> & { file: string } {
  if (!existsSync(file)) throw new ToolError('E_FILE', `shard file '${file}' does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ToolError('E_JSON', `shard file '${file}' is not valid JSON: ${(e as Error).message}`);
  }
  const r = ShardFile.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ToolError('E_SHARD', `'${file}' is not the output of prove --up-to --shard --json: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return { file, ...r.data };
}

export function mergeCommand(files: readonly string[]): CommandOutput {
  const parts = files.map(readShard);
  const first = parts[0];
  if (first === undefined) throw new ToolError('E_SHARD', 'no shard files given');
  const bound = resolveScope(first.bound);
  const keys = scopesUpTo(bound.scope).map(scopeKey);
  const merged = mergeShards(parts, keys);
  const { rules } = parseDesign({ rules: first.rules }, first.file);
  const scopes = merged.map((s): SweepScope => ({ ...s, scope: s.scope as SweepScope['scope'] }));
  const seconds = Math.max(...parts.map((p) => p.seconds));
  return sweepOutput(
    { bound, design: { name: first.variant, rules } },
    { scopes, status: sweepStatus(scopes), seconds },
    { shards: first.shard.count },
  );
}

/**
 * Loading a scope: a preset name, or a JSON file holding a scope object,
 * validated (zod) for shape, ranges and a consistent topology.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { MAX_PASIDS, PRESETS, PRESET_NAMES, type PresetName, type Scope, isPresetName, topologyErrors } from '../model/index';
import { ToolError, unknownName } from './errors';

const small = (max: number) => z.number().int().min(1).max(max);

const ScopeSchema = z
  .object({
    procs: small(8),
    fdsPerProc: small(4),
    quota: small(4),
    pasids: small(MAX_PASIDS),
    vpasids: small(8),
    swqDepth: small(4),
    devices: z
      .array(
        z.union([
          z.object({ id: small(16), kind: z.literal('pdev'), owner: small(8) }).strict(),
          z.object({ id: small(16), kind: z.literal('swq') }).strict(),
        ]),
      )
      .max(16),
    mdevs: z.array(z.object({ id: small(16), parent: small(16), owner: small(8), vm: small(8) }).strict()).max(16),
    vms: z.array(z.object({ id: small(8), owner: small(8) }).strict()).max(8),
    sva: z.boolean().optional(),
  })
  .strict();

/** Checks the shape (the schema), then the cross-references a schema cannot (model/scope.ts topologyErrors). */
export function checkScope(raw: unknown, where: string): Scope {
  // A "$comment" (a string, as in JSON Schema) is the one key allowed besides the fields: scope files may explain themselves.
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && '$comment' in raw) {
    const { $comment, ...rest } = raw as Record<string, unknown>;
    if (typeof $comment !== 'string') throw new ToolError('E_SCOPE', `${where}: $comment: must be a string`);
    raw = rest;
  }
  const parsed = ScopeSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ToolError('E_SCOPE', `${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const s = parsed.data as Scope;
  const [first] = topologyErrors(s);
  if (first !== undefined) throw new ToolError('E_SCOPE', `${where}: ${first}`);
  return s;
}

export interface LoadedScope {
  readonly scope: Scope;
  /** the preset name, or the scope itself when it came from a file */
  readonly label: PresetName | Scope;
  readonly name: string;
}

export function resolveScope(arg: string | object): LoadedScope {
  if (typeof arg === 'object' && arg !== null) {
    const scope = checkScope(arg, 'scope');
    return { scope, label: scope, name: 'custom' };
  }
  const name = String(arg);
  if (isPresetName(name)) return { scope: PRESETS[name], label: name, name };
  if (!/[./\\]/.test(name) && !existsSync(name)) throw unknownName('scope preset', name, PRESET_NAMES);
  if (!existsSync(name)) throw new ToolError('E_FILE', `scope file '${name}' does not exist`);
  if (statSync(name).isDirectory()) throw new ToolError('E_FILE', `scope file '${name}' is a directory`);
  if (statSync(name).size > 1 << 20) throw new ToolError('E_TOO_LARGE', `scope file '${name}' is over 1 MiB`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(name, 'utf8'));
  } catch (e) {
    throw new ToolError('E_JSON', `scope file '${name}' is not valid JSON: ${(e as Error).message}`);
  }
  const scope = checkScope(raw, name);
  return { scope, label: scope, name };
}

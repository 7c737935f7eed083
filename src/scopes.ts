/**
 * Loading a scope: a preset name, or a JSON file holding a scope object,
 * validated (zod) for shape, ranges and a consistent topology.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { MAX_PASIDS, PRESETS, PRESET_NAMES, type PresetName, type Scope, isPresetName } from '../model/index';
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

/** Checks the cross-references a schema cannot: ids 1..n, owners, parents and VMs that exist. */
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
  const bad = (msg: string): never => {
    throw new ToolError('E_SCOPE', `${where}: ${msg}`);
  };
  for (const [name, list] of [['devices', s.devices], ['mdevs', s.mdevs], ['vms', s.vms]] as const) {
    list.forEach((x, i) => x.id !== i + 1 && bad(`${name}[${i}].id is ${x.id}; ids must be 1..n in order`));
  }
  for (const d of s.devices) if (d.kind === 'pdev' && d.owner > s.procs) bad(`device ${d.id} owner ${d.owner} > procs ${s.procs}`);
  for (const v of s.vms) if (v.owner > s.procs) bad(`vm ${v.id} owner ${v.owner} > procs ${s.procs}`);
  for (const m of s.mdevs) {
    if (s.devices[m.parent - 1]?.kind !== 'swq') bad(`mdev ${m.id} parent ${m.parent} is not a swq device`);
    if (m.owner > s.procs) bad(`mdev ${m.id} owner ${m.owner} > procs ${s.procs}`);
    if (s.vms[m.vm - 1]?.owner !== m.owner) bad(`mdev ${m.id} vm ${m.vm} is not a VM of its owner ${m.owner}`);
  }
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

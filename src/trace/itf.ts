/**
 * ▶ Traces in the Informal Trace Format (DESIGN.md §6): reading any valid ITF
 * trace (actions alone suffice; Quint's `--mbt` Some/None picks accepted) and
 * writing the toolkit's own, with the model state and the violated invariants
 * at every step.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import {
  ANY_ACTION_ARGS as ACTION_ARGS,
  type AnyAction as Action,
  actionTypesOf,
  isSvaActionType,
  type InvariantName,
  type Result,
  type State,
  VARIANT_NAMES,
  type Variant,
  isActionType,
  isVariant,
  makeAction,
} from '../../model/index';
import { ToolError, unknownName } from '../errors';
import { type LoadedScope, resolveScope } from '../scopes';

export interface TraceStep {
  readonly action: Action;
  /** the result written in the trace, if any */
  readonly expected?: Result;
}

export interface Trace {
  readonly variant: Variant;
  readonly scope: LoadedScope;
  readonly description?: string;
  readonly steps: readonly TraceStep[];
}

export const MAX_TRACE_BYTES = 16 << 20;

const Picks = z.record(z.string(), z.unknown());
const ItfState = z
  .object({ 'mbt::actionTaken': z.string().optional(), 'mbt::nondetPicks': Picks.optional(), result: z.unknown().optional() })
  .passthrough();
const ItfFile = z
  .object({
    '#meta': z.object({ variant: z.unknown().optional(), scope: z.unknown().optional(), description: z.unknown().optional() }).passthrough().optional(),
    vars: z.array(z.string()).optional(),
    states: z.array(ItfState).min(1),
  })
  .passthrough();

export function readTraceFile(path: string): Trace {
  if (!existsSync(path)) throw new ToolError('E_FILE', `trace file '${path}' does not exist`);
  const st = statSync(path);
  if (st.isDirectory()) throw new ToolError('E_FILE', `'${path}' is a directory, not a trace file`);
  if (st.size > MAX_TRACE_BYTES) throw new ToolError('E_TOO_LARGE', `trace file '${path}' is ${st.size} bytes; the limit is ${MAX_TRACE_BYTES}`);
  return parseTrace(readFileSync(path, 'utf8'), path);
}

export function parseTrace(text: string, where: string): Trace {
  if (text.trim() === '') throw new ToolError('E_JSON', `${where}: empty file`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ToolError('E_JSON', `${where}: not valid JSON: ${(e as Error).message}`);
  }
  const parsed = ItfFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ToolError('E_TRACE', `${where}: not an ITF trace: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const meta = parsed.data['#meta'] ?? {};
  const variantName = meta.variant ?? 'reference';
  if (typeof variantName !== 'string') throw new ToolError('E_TRACE', `${where}: #meta.variant must be a string`);
  if (!isVariant(variantName)) throw unknownName('variant', variantName, VARIANT_NAMES);
  const scopeArg = meta.scope ?? 'default';
  if (typeof scopeArg !== 'string' && (typeof scopeArg !== 'object' || scopeArg === null)) {
    throw new ToolError('E_TRACE', `${where}: #meta.scope must be a preset name or a scope object`);
  }
  const scope = resolveScope(scopeArg as string | object);
  const states = parsed.data.states;
  const first = states[0]!['mbt::actionTaken'];
  if (first !== undefined && first !== 'init') throw new ToolError('E_TRACE', `${where}: state 0 must be the initial state ('init'), not '${first}'`);
  const steps = states.slice(1).map((s, i) => readStep(s, `${where}: state ${i + 1}`, scope.scope.sva === true));
  const description = typeof meta.description === 'string' ? meta.description : undefined;
  return { variant: variantName, scope, steps, ...(description !== undefined ? { description } : {}) };
}

function readStep(s: z.infer<typeof ItfState>, where: string, sva: boolean): TraceStep {
  const name = s['mbt::actionTaken'];
  if (name === undefined) throw new ToolError('E_TRACE', `${where}: no 'mbt::actionTaken'`);
  // §10: the SVA actions are in the vocabulary only at scopes with "sva": true.
  if (isSvaActionType(name) && !sva) throw new ToolError('E_TRACE', `${where}: action '${name}' needs a scope with "sva": true (DESIGN.md section 10)`);
  if (!isActionType(name) && !isSvaActionType(name)) throw unknownName('action', name, actionTypesOf({ sva }));
  const picks = s['mbt::nondetPicks'] ?? {};
  const values = (ACTION_ARGS[name] as readonly string[]).map((arg) => {
    if (!(arg in picks)) throw new ToolError('E_TRACE', `${where}: ${name} needs argument '${arg}' in mbt::nondetPicks`);
    return readInt(unwrapOption(picks[arg]), `${where}: ${name}.${arg}`);
  });
  const result = s.result;
  if (result !== undefined && typeof result !== 'string') throw new ToolError('E_TRACE', `${where}: result must be a string`);
  return { action: makeAction(name, values), ...(result !== undefined ? { expected: result } : {}) };
}

/** Quint's --mbt writes picks as Option variants: {tag: 'Some', value} or {tag: 'None'}. */
function unwrapOption(v: unknown): unknown {
  if (v && typeof v === 'object' && 'tag' in v && (v as { tag: unknown }).tag === 'Some') return (v as { value?: unknown }).value;
  return v;
}

function readInt(v: unknown, where: string): number {
  const text = v && typeof v === 'object' && '#bigint' in v ? (v as { '#bigint': unknown })['#bigint'] : v;
  if (typeof text === 'number' && Number.isInteger(text)) return text;
  if (typeof text === 'string' && /^-?\d{1,400}$/.test(text)) return Number(text);
  throw new ToolError('E_BAD_NUMBER', `${where}: expected an integer ({"#bigint": "N"} or a JSON integer), got ${JSON.stringify(v) ?? 'nothing'}`);
}

// ---- writing ----------------------------------------------------------------

export interface WrittenStep {
  readonly action: Action;
  readonly result: Result;
  readonly state: State;
  readonly violated: readonly InvariantName[];
}

type Itf = null | boolean | string | { '#bigint': string } | Itf[] | { [k: string]: Itf };

const int = (n: number): Itf => ({ '#bigint': String(n) });

function itfValue(v: unknown): Itf {
  if (typeof v === 'number') return int(v);
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(itfValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, itfValue(x)]));
  throw new Error(`bug: cannot write ${String(v)} to ITF`);
}

/** Object tables with free slots are written as ITF maps from id to object. */
function idMap(xs: readonly (object | null)[]): Itf {
  return { '#map': xs.flatMap((x, i) => (x ? [[int(i + 1), itfValue(x)]] : [])) } as unknown as Itf;
}

export function stateVars(s: State): Record<string, Itf> {
  const free: number[] = [];
  for (let p = 1; p < 31; p++) if (s.free & (1 << p)) free.push(p);
  return {
    alive: itfValue(s.alive),
    files: idMap(s.files),
    ioasids: idMap(s.ioasids),
    free: { '#set': free.map(int) } as unknown as Itf,
    tables: itfValue(s.tables),
    queues: itfValue(s.queues),
    allowed: itfValue(s.allowed),
    vms: itfValue(s.vms),
    notifications: itfValue(s.notifications),
    // §10, SVA scopes only: absent elsewhere, so traces of §2-9 are unchanged
    ...(s.mms && s.sva ? { mms: itfValue(s.mms), sva: itfValue(s.sva) } : {}),
  };
}

export interface TraceMeta {
  readonly variant: Variant;
  readonly scope: LoadedScope;
  readonly description?: string;
  readonly [extra: string]: unknown;
}

export function writeTrace(meta: TraceMeta, init: State, steps: readonly WrittenStep[]): object {
  const { scope, ...rest } = meta;
  const state0 = { '#meta': { index: 0 }, 'mbt::actionTaken': 'init', 'mbt::nondetPicks': {}, ...stateVars(init), violated: [] };
  const later = steps.map((st, i) => ({
    '#meta': { index: i + 1 },
    'mbt::actionTaken': st.action.type,
    'mbt::nondetPicks': Object.fromEntries((ACTION_ARGS[st.action.type] as readonly string[]).map((n) => [n, int((st.action as unknown as Record<string, number>)[n]!)])),
    result: st.result,
    ...stateVars(st.state),
    violated: [...st.violated],
  }));
  return {
    '#meta': { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', source: 'ioasid-verify', ...rest, scope: scope.label },
    vars: ['mbt::actionTaken', 'mbt::nondetPicks', 'result', ...Object.keys(stateVars(init)), 'violated'],
    states: [state0, ...later],
  };
}

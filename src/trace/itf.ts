/**
 * ▶ Traces in the Informal Trace Format (DESIGN.md §6, §8): reading any valid
 * ITF trace (actions alone suffice; picks in Quint's `--mbt` Some/None form or
 * as a plain record), and, through ./itfWrite, writing the toolkit's own.
 *
 * The design a trace runs under is `#meta.rules` (validated against
 * model/rules.ts) when present, on top of `#meta.variant` (a preset, or the
 * reference when the variant names none); a trace naming neither runs as
 * `reference` and says so (`named: false`), so that the CLI warns.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import {
  ANY_ACTION_ARGS as ACTION_ARGS,
  type AnyAction as Action,
  actionTypesOf,
  isSvaActionType,
  type InvariantName,
  RULE_NAMES,
  RULE_VALUES,
  type Result,
  type Design,
  REFERENCE_DESIGN,
  type RuleName,
  type Rules,
  type State,
  VARIANTS,
  VARIANT_NAMES,
  designName,
  isActionType,
  isInvariantName,
  isVariant,
  makeAction,
  presetOf,
  rulesLabel,
  ruleValueTexts,
} from '../../model/index';
import { ToolError, unknownName } from '../errors';
import { type LoadedScope, resolveScope } from '../scopes';

export interface TraceStep {
  readonly action: Action;
  /** the result written in the trace, if any */
  readonly expected?: Result;
}

export interface Trace {
  /** the design's name (#meta.variant, or the §8 name of #meta.rules) */
  readonly variant: string;
  /** the design the trace was written for: #meta.rules decides, else the #meta.variant preset */
  readonly design: Design;
  /** false when #meta names neither a variant nor rules (the trace runs as reference, with a warning) */
  readonly named: boolean;
  /** false when #meta names no scope (the trace runs at default) */
  readonly scoped: boolean;
  readonly scope: LoadedScope;
  readonly description?: string;
  /** #meta.status as Quint writes it ("ok", "violation", ...) */
  readonly status?: string;
  /** #meta.invariant, when it names one of §4 */
  readonly invariant?: InvariantName;
  readonly steps: readonly TraceStep[];
  /** steps after this many are witness steps (#meta.witness.from): the violation is shown at this length */
  readonly witnessFrom?: number;
  /** #meta.witness.breach: what the last witness step shows, in domain words */
  readonly breach?: string;
}

export const MAX_TRACE_BYTES = 16 << 20;

const Picks = z.record(z.string(), z.unknown());
const ItfState = z
  .object({ 'mbt::actionTaken': z.string().optional(), 'mbt::nondetPicks': Picks.optional(), result: z.unknown().optional() })
  .passthrough();
const ItfFile = z
  .object({
    '#meta': z
      .object({ variant: z.unknown().optional(), rules: z.unknown().optional(), scope: z.unknown().optional(), description: z.unknown().optional(), status: z.unknown().optional() })
      .passthrough()
      .optional(),
    vars: z.array(z.string()).optional(),
    states: z.array(ItfState).min(1),
  })
  .passthrough();

/** ▶ `#meta.rules`: some or all rules of model/rules.ts, each one of its values (booleans as JSON booleans). */
const ruleSchema = (r: RuleName): z.ZodType<string | boolean> => z.union((RULE_VALUES[r] as readonly (string | boolean)[]).map((v) => z.literal(v)) as [z.ZodLiteral<string | boolean>, ...z.ZodLiteral<string | boolean>[]]);
const RulesSchema = z.object(Object.fromEntries(RULE_NAMES.map((r) => [r, ruleSchema(r).optional()]))).strict();

/** Parses `#meta.rules` on top of `base`: an unknown rule is E_UNKNOWN_NAME, a value not allowed E_TRACE (both one line). */
export function parseRules(raw: unknown, base: Rules, where: string): Rules {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ToolError('E_TRACE', `${where}: #meta.rules must be an object of rules`);
  const parsed = RulesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') throw unknownName('rule', String(issue.keys[0]), RULE_NAMES);
    const rule = String(issue.path[0]) as RuleName;
    const got = JSON.stringify((raw as Record<string, unknown>)[rule]);
    throw new ToolError('E_TRACE', `${where}: #meta.rules.${rule} is ${got}; allowed: ${ruleValueTexts(rule).join(', ')}`);
  }
  return { ...base, ...(parsed.data as Partial<Rules>) };
}

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
  const design = traceDesign(meta.variant, meta.rules, where);
  const scopeArg = meta.scope ?? 'default';
  if (typeof scopeArg !== 'string' && (typeof scopeArg !== 'object' || scopeArg === null)) {
    throw new ToolError('E_TRACE', `${where}: #meta.scope must be a preset name or a scope object`);
  }
  const scope = resolveScope(scopeArg as string | object);
  const states = parsed.data.states;
  const first = states[0]!['mbt::actionTaken'];
  if (first !== undefined && first !== 'init') throw new ToolError('E_TRACE', `${where}: state 0 must be the initial state ('init'), not '${first}'`);
  const resultVar = resultVariable(parsed.data.vars);
  const steps = states.slice(1).map((s, i) => readStep(s, resultVar, `${where}: state ${i + 1}`, scope.scope.sva === true));
  const description = typeof meta.description === 'string' ? meta.description : undefined;
  const witnessFrom = readWitnessFrom(meta.witness, steps.length, where);
  const status = typeof meta.status === 'string' ? meta.status : undefined;
  const w = meta.witness as { breach?: unknown } | undefined;
  const breach = witnessFrom !== undefined && typeof w?.breach === 'string' ? w.breach : undefined;
  const invariant = typeof meta.invariant === 'string' && isInvariantName(meta.invariant) ? meta.invariant : undefined;
  return {
    variant: design.name,
    design,
    named: meta.variant !== undefined || meta.rules !== undefined,
    scoped: meta.scope !== undefined,
    scope,
    steps,
    ...(description !== undefined ? { description } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(invariant !== undefined ? { invariant } : {}),
    ...(witnessFrom !== undefined ? { witnessFrom } : {}),
    ...(breach !== undefined ? { breach } : {}),
  };
}

/** `#meta.witness.from`: the number of steps before the witness steps. */
function readWitnessFrom(w: unknown, steps: number, where: string): number | undefined {
  if (w === undefined) return undefined;
  const from = w && typeof w === 'object' && 'from' in w ? readInt((w as { from: unknown }).from, `${where}: #meta.witness.from`) : undefined;
  if (from === undefined || from < 0 || from > steps) throw new ToolError('E_TRACE', `${where}: #meta.witness.from must be a step number from 0 to ${steps}`);
  return from;
}

/** #meta.variant and #meta.rules as a design: `rules` decides when both are given (§8). */
function traceDesign(variant: unknown, rules: unknown, where: string): Design {
  if (variant !== undefined && typeof variant !== 'string') throw new ToolError('E_TRACE', `${where}: #meta.variant must be a string`);
  if (rules === undefined) {
    const name = variant ?? REFERENCE_DESIGN.name;
    if (!isVariant(name)) throw unknownName('variant', name, VARIANT_NAMES);
    const p = VARIANTS[name];
    return { name, rules: p.rules, expect: p.expectedToFail };
  }
  // A partial record takes the rest from the named preset (the reference if none).
  const base = variant !== undefined && isVariant(variant) ? VARIANTS[variant].rules : REFERENCE_DESIGN.rules;
  const full: Rules = parseRules(rules, base, where);
  const preset = presetOf(full);
  return { name: designName(full, variant), rules: full, ...(preset ? { expect: VARIANTS[preset].expectedToFail } : {}) };
}

/**
 * The variable holding the result: `result`, or, in a trace of a Quint module
 * that imports its spec through an instance (Quint then writes qualified
 * names, `main::spec::result`), the one variable named `...::result`.
 */
function resultVariable(vars: readonly string[] | undefined): string {
  if (vars === undefined || vars.includes('result')) return 'result';
  const qualified = vars.filter((v) => v.endsWith('::result'));
  return qualified.length === 1 ? qualified[0]! : 'result';
}

function readStep(s: z.infer<typeof ItfState>, resultVar: string, where: string, sva: boolean): TraceStep {
  const name = s['mbt::actionTaken'];
  if (name === undefined) throw new ToolError('E_TRACE', `${where}: no 'mbt::actionTaken'`);
  // §10: the SVA actions are in the vocabulary only at scopes with "sva": true.
  if (isSvaActionType(name) && !sva) throw new ToolError('E_TRACE', `${where}: action '${name}' needs a scope with "sva": true (DESIGN.md section 10)`);
  if (!isActionType(name) && !isSvaActionType(name)) throw unknownName('action', name, actionTypesOf({ sva }));
  const picks = s['mbt::nondetPicks'] ?? {};
  const values = (ACTION_ARGS[name] as readonly string[]).map((arg) => {
    const v = picks[arg];
    if (!(arg in picks) || isNone(v)) {
      const how = arg in picks ? 'is None' : 'is absent';
      throw new ToolError('E_TRACE', `${where}: ${name} needs argument '${arg}', which was not picked (mbt::nondetPicks.${arg} ${how})`);
    }
    return readInt(unwrapOption(v), `${where}: ${name}.${arg}`);
  });
  const result = s[resultVar];
  if (result !== undefined && typeof result !== 'string') throw new ToolError('E_TRACE', `${where}: ${resultVar} must be a string`);
  return { action: makeAction(name, values), ...(result !== undefined ? { expected: result } : {}) };
}

const isNone = (v: unknown): boolean => typeof v === 'object' && v !== null && 'tag' in v && (v as { tag: unknown }).tag === 'None';

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

export * from './itfWrite';

/**
 * ▶ The one ITF writer of the toolkit (DESIGN.md §6, Apalache ADR-015): every
 * trace the project writes (explore, bmc, simulate, outcomes, mbt failures)
 * is built here, so that each one is a valid ITF file that Quint's own reader
 * loads:
 *  - every variable of `vars` in every state (`result` is "" in state 0);
 *  - `mbt::nondetPicks` as Quint's `--mbt` writes it: every argument name of
 *    §3 in every state, `{"tag": "Some", "value": V}` for this action's
 *    arguments and `{"tag": "None", "value": {"#tup": []}}` for the others;
 *  - the model state as `#map`s keyed by the ids users know (processes,
 *    devices, mdevs, VMs: 1-based), file references as the `{proc, fd}` the
 *    user opened (fd 0 once closed), not internal file ids;
 *  - `#meta`: format, format-description, source, variant, rules (the full
 *    record of model/rules.ts), scope, status, and `varTypes` in Apalache's
 *    type notation (the checker in spec/trace/adr015.ts holds the values to
 *    them).
 */
import {
  ACTION_ARGS,
  ANY_ACTION_ARGS,
  type AnyAction,
  ACTION_TYPES,
  type Action,
  type InvariantName,
  type Result,
  type Rules,
  type State,
  VARIANTS,
  type Variant,
} from '../../model/index';
import type { LoadedScope } from '../scopes';

export interface WrittenStep {
  readonly action: AnyAction;
  readonly result: Result;
  readonly state: State;
  readonly violated: readonly InvariantName[];
  /** a witness step: after the violation, making the breach observable (src/explore/attack.ts) */
  readonly witness?: boolean;
}

export type Itf = null | boolean | string | { '#bigint': string } | Itf[] | { [k: string]: Itf };

const int = (n: number): Itf => ({ '#bigint': String(n) });
const map = (pairs: readonly (readonly [number, Itf])[]): Itf => ({ '#map': pairs.map(([k, v]) => [int(k), v]) });
const set = (xs: readonly Itf[]): Itf => ({ '#set': [...xs] });

function itfValue(v: unknown): Itf {
  if (typeof v === 'number') return int(v);
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(itfValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, itfValue(x)]));
  throw new Error(`bug: cannot write ${String(v)} to ITF`);
}

/** ▶ Every argument name of §3, the union over all actions, in order of first use. */
export const PICK_NAMES: readonly string[] = [...new Set(ACTION_TYPES.flatMap((t) => ACTION_ARGS[t] as readonly string[]))];

const NONE: Itf = { tag: 'None', value: { '#tup': [] } };

/** Quint's `--mbt` picks: every argument name, Some for this action's, None for the others. */
export function nondetPicks(action: AnyAction | undefined): Itf {
  const args = action ? (ANY_ACTION_ARGS[action.type] as readonly string[]) : [];
  const values = action as unknown as Record<string, number> | undefined;
  return Object.fromEntries(PICK_NAMES.map((n) => [n, args.includes(n) ? { tag: 'Some', value: int(values![n]!) } : NONE]));
}

/** A file reference as the user knows it: the owning process and the fd number (0 once closed); {0, 0} for none. */
function fileRef(s: State, file: number): Itf {
  const f = file > 0 ? s.files[file - 1] : undefined;
  return { proc: int(f?.proc ?? 0), fd: int(f?.fd ?? 0) };
}

const byId = <T>(xs: readonly T[], f: (x: T) => Itf): Itf => map(xs.map((x, i) => [i + 1, f(x)] as const));
const slots = <T>(xs: readonly (T | null)[]): Itf => map(xs.flatMap((x, i) => (x ? [[i + 1, itfValue(x)] as const] : [])));

/** The model state as ITF variables (also printed by `prove` for a counterexample to induction). */
export function stateVars(s: State): Record<string, Itf> {
  const free: number[] = [];
  for (let p = 1; p < 31; p++) if (s.free & (1 << p)) free.push(p);
  return {
    alive: byId(s.alive, (a) => a),
    files: slots(s.files),
    ioasids: slots(s.ioasids),
    free: set(free.map(int)),
    tables: byId(s.tables, itfValue),
    queues: byId(s.queues, itfValue),
    allowed: byId(s.allowed, (file) => fileRef(s, file)),
    vms: byId(s.vms, (v) => ({ alive: v.alive, presented: fileRef(s, v.presented), enabled: v.enabled, entries: itfValue(v.entries) })),
    notifications: itfValue(s.notifications),
    // §10, SVA scopes only: absent elsewhere, so traces of §2-9 are unchanged
    ...(s.mms && s.sva ? { mms: itfValue(s.mms), sva: itfValue(s.sva) } : {}),
  };
}

const SOME_INT = 'Some(Int) | None(<<>>)';
const FILE_REF = '{ proc: Int, fd: Int }';

/** ▶ The type of every variable, in Apalache's notation (`Int -> T` is a `#map`, `Seq(T)` a list). */
export const VAR_TYPES: Readonly<Record<string, string>> = {
  'mbt::actionTaken': 'Str',
  'mbt::nondetPicks': `{ ${PICK_NAMES.map((n) => `${n}: ${SOME_INT}`).join(', ')} }`,
  result: 'Str',
  alive: 'Int -> Bool',
  files: 'Int -> { proc: Int, fd: Int }',
  ioasids: 'Int -> { file: Int, handle: Int, pasid: Int, blocked: Bool, users: Int }',
  free: 'Set(Int)',
  tables: 'Int -> Seq({ pasid: Int, ioasid: Int, mdev: Int, allowed: Bool })',
  queues: 'Int -> Seq({ issuer: Int, pasid: Int })',
  allowed: `Int -> ${FILE_REF}`,
  vms: `Int -> { alive: Bool, presented: ${FILE_REF}, enabled: Bool, entries: Seq({ vpasid: Int, ioasid: Int, pasid: Int, explicit: Bool }) }`,
  notifications: 'Seq({ holder: Str, id: Int, key: Int })',
  violated: 'Seq(Str)',
};

export const TRACE_VARS: readonly string[] = Object.keys(VAR_TYPES);

/** §10: the two variables written only at SVA scopes (per process, per device, as lists). */
export const SVA_VAR_TYPES: Readonly<Record<string, string>> = {
  mms: 'Seq({ pasid: Int, users: Int })',
  sva: 'Seq(Seq({ pasid: Int, proc: Int }))',
};

/** A design as a trace records it: a preset's name or a user's, and the full record of rules. */
export interface DesignLike {
  readonly name: string;
  readonly rules: Rules;
}

export interface TraceMeta {
  /** the design run: its name and full rule record go to #meta.variant and #meta.rules */
  readonly design: DesignLike;
  readonly scope: LoadedScope;
  readonly description?: string;
  readonly [extra: string]: unknown;
}

export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

export function writeTrace(meta: TraceMeta, init: State, steps: readonly WrittenStep[]): object {
  const { scope, design, ...rest } = meta;
  const state = (i: number, action: AnyAction | undefined, result: Result, s: State, violated: readonly InvariantName[], witness = false) => ({
    '#meta': { index: i, ...(witness ? { witness: true } : {}) },
    'mbt::actionTaken': action ? action.type : 'init',
    'mbt::nondetPicks': nondetPicks(action),
    result,
    ...stateVars(s),
    violated: [...violated],
  });
  const states = [state(0, undefined, '', init, []), ...steps.map((st, i) => state(i + 1, st.action, st.result, st.state, st.violated, st.witness === true))];
  // Quint's status words: the trace reaches a violating state, or not (a witness
  // continuation may run past it, to the breach).
  const status = steps.some((st) => st.violated.length > 0) ? 'violation' : 'ok';
  return {
    '#meta': {
      format: 'ITF',
      'format-description': ITF_FORMAT_DESCRIPTION,
      source: 'ioasid-verify',
      ...rest,
      variant: design.name,
      rules: { ...design.rules },
      scope: scope.label,
      status,
      varTypes: init.mms && init.sva ? { ...VAR_TYPES, ...SVA_VAR_TYPES } : VAR_TYPES,
    },
    vars: [...TRACE_VARS.filter((v) => v !== 'violated'), ...(init.mms && init.sva ? ['mms', 'sva'] : []), 'violated'],
    states,
  };
}

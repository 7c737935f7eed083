/**
 * Everything the counterexample page shows, computed here at render time:
 * each step's call and results (the model's, and the kernel's when the trace
 * was replayed), the state after it as domain tables with what changed
 * against the step before, and the violations standing there with the
 * objects they name (src/explore/offender.ts). The page's script only
 * switches between these views.
 */
import {
  type AnyAction as Action,
  type Design,
  INVARIANT_BY_NAME,
  type InvariantName,
  type Result,
  type Scope,
  formatAction,
  initialState,
  notifies,
  violated as violatedIn,
} from '../../model/index';
import type { Replay } from '../conformance/replay';
import { offenderAt } from '../explore/offender';
import { IoasidNamer } from '../render/ioasidNames';
import { actionPhrase } from '../render/phrase';
import { type ShownStep, showSteps } from '../render/steps';
import { type PanelRow, type PanelTable, stateTables } from './snapshot';

/** What the renderer is given: a trace (as read by src/trace/itf.ts) and, optionally, its replay on the kernel. */
export interface ViewInput {
  readonly scope: Scope;
  readonly scopeName: string;
  readonly design: Pick<Design, 'name' | 'rules'>;
  readonly steps: readonly { readonly action: Action; readonly expected?: Result }[];
  /** steps after this many are witness steps */
  readonly witnessFrom?: number;
  /** what the last witness step shows (#meta.witness.breach) */
  readonly breach?: string;
  /** the invariant the trace is about (#meta.invariant) */
  readonly invariant?: InvariantName;
  readonly description?: string;
  /** where the trace came from, shown as is */
  readonly source?: string;
  readonly version?: string;
  /** the trace run on the kernel beside the model (src/conformance/replay.ts) */
  readonly replay?: Replay;
  /** how the kernel is named ("kernel (reference)") */
  readonly kernelName?: string;
  /** a link back to the page that lists this one (check --html's index) */
  readonly back?: { readonly href: string; readonly text: string };
}

export type RowMark = 'changed' | 'new' | 'removed';

export interface MarkedRow extends PanelRow {
  /** against the step before */
  readonly m?: RowMark;
}

export interface MarkedTable extends Omit<PanelTable, 'rows'> {
  readonly rows: readonly MarkedRow[];
}

export interface StandingViolation {
  readonly inv: InvariantName;
  /** the step where it broke */
  readonly since: number;
  /** what breaks it, in domain words */
  readonly text: string;
  /** the keys of the rows that sentence names */
  readonly refs: readonly string[];
}

export interface StepView {
  /** 0 = the initial state */
  readonly i: number;
  /** `alloc(proc=1, fd=1)`; `init` for step 0 */
  readonly call: string;
  readonly phrase: string;
  readonly result: Result;
  /** the kernel's result, when replayed */
  readonly kernel?: Result;
  readonly witness: boolean;
  /** the last witness step: its result shows the breach */
  readonly breach: boolean;
  /** at the breach: the objects of the path it ran through (the violation as it stood the step before) */
  readonly breachRefs: readonly string[];
  readonly changes: readonly string[];
  readonly broke: readonly InvariantName[];
  readonly violations: readonly StandingViolation[];
  /** the kernel's abstracted state keeps these, which the model's breaks */
  readonly kernelKeeps: readonly InvariantName[];
  /** replay notes for this step (divergences other than the model/kernel result) */
  readonly notes: readonly string[];
  readonly tables: readonly MarkedTable[];
}

export interface PageData {
  readonly title: string;
  readonly design: string;
  readonly scope: string;
  readonly steps: readonly StepView[];
  /** the step where the trace's invariant (or the first one) breaks; null if none does */
  readonly violationStep: number | null;
  readonly violation: (StandingViolation & { readonly statement: string; readonly seed: string }) | null;
  /** the number of steps before the witness steps */
  readonly prefix: number;
  readonly breach?: string;
  readonly kernel?: { readonly name: string; readonly defeatsAt: number | null; readonly differ: readonly number[] };
  /** the step the page opens at without #step= */
  readonly start: number;
}

/** Rows against the same table of the step before: new, changed, and removed ones (kept, marked). */
function markTables(prev: readonly PanelTable[] | null, now: readonly PanelTable[]): MarkedTable[] {
  const before = new Map((prev ?? []).map((t) => [t.id, new Map(t.rows.map((r) => [r.k, r]))]));
  return now.map((t) => {
    const old = before.get(t.id);
    if (prev === null || old === undefined) return t;
    const keys = new Set(t.rows.map((r) => r.k));
    const rows: MarkedRow[] = t.rows.map((r) => {
      const o = old.get(r.k);
      if (!o) return { ...r, m: 'new' };
      return o.c.join('\u0000') === r.c.join('\u0000') ? r : { ...r, m: 'changed' };
    });
    for (const [k, o] of old) if (!keys.has(k)) rows.push({ ...o, m: 'removed' });
    return { ...t, rows };
  });
}

function replayNotes(r: Replay | undefined, index: number): string[] {
  const s = r?.steps[index - 1];
  if (!s) return [];
  return s.divergences.filter((d) => d.kind !== 'kernel' && d.kind !== 'expected').map((d) => `${d.kind}: ${d.detail}`);
}

export function pageData(v: ViewInput): PageData {
  const from = v.witnessFrom ?? v.steps.length;
  const shown: ShownStep[] = showSteps(v.scope, v.design.rules, v.steps, from);
  const views = stepViews(v, shown);
  const brokeAt = (inv?: InvariantName): StepView | undefined => views.find((x) => (inv ? x.broke.includes(inv) : x.broke.length > 0));
  const at = brokeAt(v.invariant) ?? brokeAt();
  const inv = at ? (v.invariant && at.broke.includes(v.invariant) ? v.invariant : at.broke[0]!) : undefined;
  const standingAt = at && inv ? at.violations.find((x) => x.inv === inv)! : null;
  const violation = standingAt ? { ...standingAt, statement: INVARIANT_BY_NAME[standingAt.inv].statement, seed: INVARIANT_BY_NAME[standingAt.inv].seed } : null;
  const kernel = v.replay
    ? {
        name: v.kernelName ?? 'kernel',
        defeatsAt: (views.find((x) => inv !== undefined && x.kernelKeeps.includes(inv)) ?? views.find((x) => x.kernelKeeps.length > 0))?.i ?? null,
        differ: views.filter((x) => x.kernel !== undefined && x.kernel !== x.result).map((x) => x.i),
      }
    : undefined;
  const title = violation
    ? `${v.design.name}: ${violation.inv} broken in ${at!.i} step${at!.i === 1 ? '' : 's'}`
    : `${v.design.name}: ${shown.length} step${shown.length === 1 ? '' : 's'}, every invariant holds`;
  return {
    title,
    design: v.design.name,
    scope: v.scopeName,
    steps: views,
    violationStep: at?.i ?? null,
    violation,
    prefix: from,
    ...(v.breach !== undefined && from < shown.length ? { breach: v.breach } : {}),
    ...(kernel ? { kernel } : {}),
    start: at?.i ?? 0,
  };
}

/** One view per step, the initial state's first: each with its tables marked against the step before, and the violations standing there since the step each broke. */
function stepViews(v: ViewInput, shown: readonly ShownStep[]): StepView[] {
  const namer = new IoasidNamer(v.scope);
  const notes = notifies(v.design.rules);
  const init = initialState(v.scope);
  const since = new Map<InvariantName, number>();
  for (const inv of violatedIn(v.scope, init)) since.set(inv, 0);

  let prevTables: PanelTable[] | null = null;
  const views: StepView[] = [];
  const standing = (state: ShownStep['after'], violated: readonly InvariantName[]): StandingViolation[] =>
    violated.map((inv) => {
      const o = offenderAt(v.scope, state, inv);
      return { inv, since: since.get(inv) ?? 0, text: o.text, refs: o.refs };
    });

  const initNames = namer.step(init, init).after;
  const initTables = stateTables(v.scope, init, initNames, notes);
  views.push({
    i: 0,
    call: 'init',
    phrase: 'the initial state: every process running, nothing open, every PASID free',
    result: '',
    witness: false,
    breach: false,
    breachRefs: [],
    changes: [],
    broke: [],
    violations: standing(init, [...since.keys()]),
    kernelKeeps: [],
    notes: [],
    tables: initTables,
  });
  prevTables = initTables;

  shown.forEach((s) => {
    const names = namer.step(s.before, s.after).after;
    for (const inv of s.violated) if (!since.has(inv)) since.set(inv, s.index);
    for (const inv of [...since.keys()]) if (!s.violated.includes(inv)) since.delete(inv);
    const tables = stateTables(v.scope, s.after, names, notes);
    const r = v.replay?.steps[s.index - 1];
    const breach = s.witness && s.index === shown.length;
    const before = views[views.length - 1]!.violations;
    const path = before.find((x) => x.inv === v.invariant) ?? before[0];
    views.push({
      i: s.index,
      call: formatAction(s.action),
      phrase: actionPhrase(s.before, s.action),
      result: s.result,
      ...(r ? { kernel: r.kernel } : {}),
      witness: s.witness,
      breach,
      breachRefs: breach && path ? path.refs : [],
      changes: s.changes,
      broke: s.broke,
      violations: standing(s.after, s.violated),
      kernelKeeps: r ? r.violated.filter((n) => !r.kernelViolated.includes(n)) : [],
      notes: replayNotes(v.replay, s.index),
      tables: markTables(prevTables, tables),
    });
    prevTables = tables;
  });
  return views;
}

/**
 * The design space as a table (DESIGN.md §8 `matrix`): every combination of
 * the chosen rules' values, the others at the reference's.
 *
 * Some combinations are the same design: under `destroyInUse: busy` nothing is
 * destroyed while held, so `recycle`, `blockOnDestroy` and `quotaCounts`
 * change nothing, and `svaPasidFree` changes nothing at a scope without SVA
 * (§8). Each such class is explored once, at its canonical member, and every
 * member's row says which one it shares (spec/explore/matrix.test.ts explores
 * members of a class separately and finds them alike).
 */
import {
  type Design,
  REFERENCE_RULES,
  RULE_NAMES,
  RULE_VALUES,
  changedRules,
  type RuleName,
  type Rules,
  type Scope,
  busyOnDestroy,
  designName,
  presetOf,
  rulesLabel,
  sameRules,
  VARIANTS,
} from '../../model/index';

/** Every combination of `rules`' values, in table order (the first rule varies slowest). */
export function designSpace(rules: readonly RuleName[]): Rules[] {
  let out: Rules[] = [REFERENCE_RULES];
  for (const r of RULE_NAMES) {
    if (!rules.includes(r)) continue;
    out = out.flatMap((base) => (RULE_VALUES[r] as readonly Rules[RuleName][]).map((v) => ({ ...base, [r]: v }) as Rules));
  }
  return out;
}

/** The member of `rules`' class that is explored: rules that cannot matter set to the reference's. */
export function canonicalRules(rules: Rules, scope: Scope): Rules {
  let out = rules;
  if (busyOnDestroy(out)) out = { ...out, recycle: REFERENCE_RULES.recycle, blockOnDestroy: REFERENCE_RULES.blockOnDestroy, quotaCounts: REFERENCE_RULES.quotaCounts };
  if (!(scope as { sva?: boolean }).sva) out = { ...out, svaPasidFree: REFERENCE_RULES.svaPasidFree };
  return out;
}

export interface MatrixPlan {
  /** one per combination, in designSpace order */
  readonly rows: readonly { readonly rules: Rules; readonly name: string; readonly preset?: string; readonly explored: number }[];
  /** the designs to explore: rows point into this list */
  readonly explore: readonly Design[];
}

/** Which combinations to explore, and which row shares which exploration. */
export function planMatrix(rules: readonly RuleName[], scope: Scope): MatrixPlan {
  const explore: Design[] = [];
  const rows = designSpace(rules).map((r) => {
    const canon = canonicalRules(r, scope);
    let i = explore.findIndex((d) => sameRules(d.rules, canon));
    if (i < 0) {
      const preset = presetOf(canon);
      explore.push({ name: designName(canon), rules: canon, ...(preset ? { expect: VARIANTS[preset].expectedToFail } : {}) });
      i = explore.length - 1;
    }
    const preset = presetOf(r);
    return { rules: r, name: designName(r), ...(preset ? { preset } : {}), explored: i };
  });
  return { rows, explore };
}

/** `drain=false+mdevAuth=implicit`, or `reference` spelled as its rules for the table. */
export function rowLabel(rules: Rules): string {
  return rulesLabel(rules) || '(reference rules)';
}

/** One row's verdicts, as the interaction analysis reads them: each broken invariant with its shortest length. */
export interface RowVerdicts {
  readonly rules: Rules;
  readonly broken: ReadonlyMap<string, number>;
}

/**
 * How a combination of rules differs from its parts: measured against the
 * designs that change exactly one of its rules (each a row of the same
 * matrix). An invariant is
 *  - `masked` when some part breaks it and the combination keeps it;
 *  - `emergent` when the combination breaks it and no part does;
 *  - `amplified` when the combination breaks it in fewer steps than every part that does.
 */
export interface Interaction {
  readonly rules: Rules;
  readonly kind: 'masked' | 'emergent' | 'amplified';
  readonly invariant: string;
  /** the combination's length (emergent, amplified) */
  readonly length?: number;
  /** the parts that break it, with their lengths (masked, amplified) */
  readonly parts: readonly { readonly rules: Rules; readonly length: number }[];
}

/** Every interaction among `rows` (rows with at least two rules changed, whose one-rule parts are rows too). */
export function interactions(rows: readonly RowVerdicts[], invariants: readonly string[]): Interaction[] {
  const byLabel = new Map(rows.map((r) => [rulesLabel(r.rules), r]));
  const out: Interaction[] = [];
  for (const row of rows) {
    const changed = changedRules(row.rules);
    if (changed.length < 2) continue;
    const parts = changed.map((n) => byLabel.get(rulesLabel({ ...REFERENCE_RULES, [n]: row.rules[n] } as Rules)));
    if (parts.some((p) => p === undefined)) continue;
    for (const inv of invariants) {
      const breaking = parts.flatMap((p) => (p!.broken.has(inv) ? [{ rules: p!.rules, length: p!.broken.get(inv)! }] : []));
      const length = row.broken.get(inv);
      if (length === undefined) {
        if (breaking.length > 0) out.push({ rules: row.rules, kind: 'masked', invariant: inv, parts: breaking });
      } else if (breaking.length === 0) out.push({ rules: row.rules, kind: 'emergent', invariant: inv, length, parts: [] });
      else if (length < Math.min(...breaking.map((b) => b.length))) out.push({ rules: row.rules, kind: 'amplified', invariant: inv, length, parts: breaking });
    }
  }
  return out;
}

/** A row's verdicts from a per-invariant record ({holds} or {holds: false, length}), as `interactions` reads them. */
export function rowVerdicts(rules: Rules, invariants: Readonly<Record<string, { readonly holds: boolean; readonly length?: number }>>): RowVerdicts {
  return { rules, broken: new Map(Object.entries(invariants).flatMap(([name, v]) => (v.holds ? [] : [[name, v.length!] as const]))) };
}

/** An interaction as `matrix --json` gives it: designs by their rules label. */
export interface InteractionJson {
  readonly design: string;
  readonly kind: Interaction['kind'];
  readonly invariant: string;
  readonly length?: number;
  readonly parts: readonly { readonly design: string; readonly length: number }[];
}

export function interactionJson(x: Interaction): InteractionJson {
  return {
    design: rowLabel(x.rules),
    kind: x.kind,
    invariant: x.invariant,
    ...(x.length !== undefined ? { length: x.length } : {}),
    parts: x.parts.map((p) => ({ design: rowLabel(p.rules), length: p.length })),
  };
}

/** Whether an interaction is of a design that changes exactly two rules (the ones `matrix` and the README list). */
export const ofTwoRules = (x: InteractionJson): boolean => x.design.split('+').length === 2;

/** One interaction in words; `code` marks up a design's name (the README puts it in backticks). */
export function interactionSentence(x: InteractionJson, code: (design: string) => string = (d) => d): string {
  const parts = x.parts.map((p) => `${code(p.design)} ${p.length}`).join(', ');
  return x.kind === 'masked'
    ? `masked: ${code(x.design)} keeps ${x.invariant} (broken by ${parts})`
    : x.kind === 'emergent'
      ? `emergent: ${code(x.design)} breaks ${x.invariant} in ${x.length}, which neither rule alone breaks`
      : `amplified: ${code(x.design)} breaks ${x.invariant} in ${x.length} (alone: ${parts})`;
}

/** How many interactions of each kind. */
export function interactionCounts(found: readonly InteractionJson[]): string {
  const count = (k: Interaction['kind']): number => found.filter((x) => x.kind === k).length;
  return `${count('masked')} masked, ${count('emergent')} emergent, ${count('amplified')} amplified`;
}

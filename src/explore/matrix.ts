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

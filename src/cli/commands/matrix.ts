/**
 * `matrix [--rules a,b]`: the design space of the thread as one table (DESIGN.md
 * §8): every combination of the chosen rules' values explored at the scope,
 * one row per design, with the invariants it breaks and their shortest
 * lengths. Rows that equal a preset carry its name.
 */
import { INVARIANTS, RULE_NAMES, type RuleName, isRuleName } from '../../../model/index';
import { unknownName } from '../../errors';
import { type InteractionJson, type MatrixPlan, interactionCounts, interactionJson, interactionSentence, interactions, ofTwoRules, planMatrix, rowLabel, rowVerdicts } from '../../explore/matrix';
import type { LoadedScope } from '../../scopes';
import { type CommandOutput, EXIT, table } from '../output';
import { exploreAll } from './check';
import { round } from './explore';

export interface MatrixArgs {
  readonly scope: LoadedScope;
  readonly scopeArg: string;
  readonly rules: readonly RuleName[];
  readonly jobs: number;
  readonly out: string;
  readonly progress?: (line: string) => void;
}

export function matrixRules(list: string | undefined): RuleName[] {
  if (list === undefined) return [...RULE_NAMES];
  const names = list.split(',').map((x) => x.trim()).filter((x) => x !== '');
  for (const n of names) if (!isRuleName(n)) throw unknownName('rule', n, RULE_NAMES);
  return [...new Set(names as RuleName[])];
}

export async function matrixCommand(a: MatrixArgs): Promise<CommandOutput> {
  const t0 = performance.now();
  const plan: MatrixPlan = planMatrix(a.rules, a.scope.scope);
  a.progress?.(`matrix: ${plan.rows.length} designs, ${plan.explore.length} distinct to explore at scope ${a.scope.name}`);
  const explored = await exploreAll({ scope: a.scope, scopeArg: a.scopeArg, jobs: a.jobs, out: a.out, designs: plan.explore, ...(a.progress ? { progress: a.progress } : {}) });
  const abbrev = INVARIANTS.map((_, i) => `I${i + 1}`);
  const rows = plan.rows.map((r) => {
    const e = explored[r.explored]!;
    const broken = INVARIANTS.filter((inv) => !e.verdict.invariants[inv.name].holds);
    return { r, e, broken };
  });
  const found = interactions(
    rows.map(({ r, e }) => rowVerdicts(r.rules, e.verdict.invariants)),
    INVARIANTS.map((inv) => inv.name),
  ).map(interactionJson);
  const json = {
    scope: a.scope.label,
    rules: a.rules,
    designs: rows.length,
    explored: plan.explore.length,
    seconds: round((performance.now() - t0) / 1000),
    rows: rows.map(({ r, e }) => ({
      design: r.name,
      ...(r.preset ? { preset: r.preset } : {}),
      rules: r.rules,
      ...(plan.explore[r.explored]!.name !== r.name ? { sameAs: plan.explore[r.explored]!.name } : {}),
      states: e.states,
      seconds: round(e.seconds),
      invariants: Object.fromEntries(INVARIANTS.map((inv) => {
        const v = e.verdict.invariants[inv.name];
        return [inv.name, v.holds ? { holds: true } : { holds: false, length: v.length }];
      })),
    })),
    interactions: found,
  };
  const body = rows.map(({ r, e }) => [
    rowLabel(r.rules),
    r.preset ?? '',
    ...INVARIANTS.map((inv) => {
      const v = e.verdict.invariants[inv.name];
      return v.holds ? '.' : String(v.length);
    }),
    String(e.states),
    plan.explore[r.explored]!.name === r.name ? `${e.seconds.toFixed(1)}s` : `= ${plan.explore[r.explored]!.name}`,
  ]);
  const safe = rows.filter((x) => x.broken.length === 0).length;
  const text = [
    `matrix at scope ${a.scope.name} over ${a.rules.join(', ')}: ${rows.length} designs (${plan.explore.length} distinct explored), ${safe} keep every invariant, ${((performance.now() - t0) / 1000).toFixed(1)}s`,
    '',
    table(['rules (changed from reference)', 'preset', ...abbrev, 'states', 'time'], body),
    '',
    '. = holds; N = shortest violation in N steps; "= X": the same design as X (rules that change nothing here, DESIGN.md §8)',
    INVARIANTS.map((inv, i) => `${abbrev[i]} ${inv.name}`).join('   '),
    ...interactionLines(found),
  ].join('\n');
  return { json, text, exit: EXIT.ok };
}

/**
 * The interactions, against the designs that change one rule: counted by
 * kind, and listed for the designs that change two (the rest are in --json).
 */
export function interactionLines(found: readonly InteractionJson[]): string[] {
  if (found.length === 0) return [];
  const pairs = found.filter(ofTwoRules);
  return [
    '',
    `interactions (against the designs that change one rule): ${interactionCounts(found)}${found.length > pairs.length ? `; ${found.length - pairs.length} in designs with three or more rules changed are in --json` : ''}`,
    ...pairs.map((x) => interactionSentence(x)),
  ];
}

/**
 * `check`: the CI entry point. Explores every preset (or the designs given)
 * at the scope and holds each verdict to its expectation (DESIGN.md §5, §9,
 * or a design file's `expect`): the reference design and iommufd-busy must
 * keep every invariant, each flawed preset must fail exactly the ones
 * expected. Further stages (proofs, conformance) add their cases here.
 */
import { type Design, INVARIANTS, type Scope, presetDesign, variantsAt } from '../../../model/index';
import { type ExploredDesign, exploreCases, exploreDesigns } from '../../check/designs';
import { type ExploredVariant, stopChildren } from '../../explore/parallel';
import type { LoadedScope } from '../../scopes';
import { githubAnnotations, junitXml } from '../junit';
import { type CommandOutput, EXIT, table, writeTextFile } from '../output';
import { round } from './explore';
import { conformanceCases } from '../../conformance/stage';
import { proofCases } from '../../check/proofs';
import { whileInterruptible } from '../interrupt';
import { writeHtmlSite } from '../site';
import { writeTraces } from '../traces';

export interface CheckArgs {
  readonly scope: LoadedScope;
  /** the --scope argument as given, handed on to child processes */
  readonly scopeArg: string;
  /** designs explored at once, each in its own process; 1 = in this process */
  readonly jobs: number;
  /** the designs to check (default: every preset) */
  readonly designs?: readonly Design[];
  readonly out: string;
  readonly junit?: string;
  /** write the run as HTML pages here (src/cli/site.ts) */
  readonly html?: string;
  /** run the Z3 proofs stage (default true) */
  readonly proofs?: boolean;
  readonly progress?: (line: string) => void;
  /** on SIGINT/SIGTERM: end the explore processes, print a partial summary (JSON if `json`), exit 130 */
  readonly interrupt?: { readonly json: boolean };
}

/** The presets checked at a scope: §10's only at an SVA scope (model/variants.ts, variantsAt). */
export const presetDesignsAt = (scope: Scope): readonly Design[] => variantsAt(scope).map(presetDesign);

/** The designs explored (src/check/designs.ts) with check's progress lines, each one's traces written as soon as it is done. */
export function exploreAll(a: CheckArgs, onExplored?: (e: ExploredDesign) => void): Promise<ExploredDesign[]> {
  const designs = a.designs ?? presetDesignsAt(a.scope.scope);
  const t0 = performance.now();
  return exploreDesigns(
    { scope: a.scope, scopeArg: a.scopeArg, designs, traces: a.out, jobs: a.jobs },
    {
      explored: (e) => (writeTraces(e), onExplored?.(e)),
      child: (r, n) =>
        a.progress?.(`explored ${n}/${designs.length} designs (last: ${r.verdict.variant}, ${r.states} states, ${r.seconds.toFixed(1)}s), ${((performance.now() - t0) / 1000).toFixed(1)}s`),
      layer: (design, p) =>
        a.progress?.(`explore ${design.name}: depth ${p.depth}, ${p.states} states, frontier ${p.frontier}, ${(p.states / Math.max(p.seconds, 1e-3)).toFixed(0)} states/s, ${p.seconds.toFixed(1)}s`),
    },
  );
}

/** What an interrupted check prints: the designs explored so far, and what was not finished. */
function partialSummary(a: CheckArgs, done: readonly ExploredVariant[], signal: string, seconds: number) {
  const finished = new Set(done.map((e) => e.verdict.variant));
  const unfinished = (a.designs ?? presetDesignsAt(a.scope.scope)).map((d) => d.name).filter((v) => !finished.has(v));
  const rows = done.map((e) => [e.verdict.variant, String(e.states), `${e.seconds.toFixed(1)}s`, ...INVARIANTS.map((inv) => cellOf(e, inv)), e.verdict.surprises.length === 0 ? 'as expected' : 'DIFFERS']);
  const text = [
    `check at scope ${a.scope.name}: INTERRUPTED by ${signal} after ${seconds.toFixed(1)}s: ${done.length} of ${(a.designs ?? presetDesignsAt(a.scope.scope)).length} designs explored; no verdict (exit 130)`,
    '',
    ...(rows.length > 0 ? [table(['variant', 'states', 'time', ...INVARIANTS.map((_, i) => `I${i + 1}`), 'verdict'], rows), ''] : []),
    `not finished: ${unfinished.join(', ') || 'none'}${a.proofs === false ? '' : '; proofs and conformance not run to the end'}`,
    ...(a.junit ? [`${a.junit} not written`] : []),
  ].join('\n');
  const json = {
    scope: a.scope.label,
    ok: false,
    interrupted: signal,
    seconds: round(seconds),
    variants: done.map((e) => ({ variant: e.verdict.variant, states: e.states, seconds: round(e.seconds), invariants: e.verdict.invariants, surprises: e.verdict.surprises })),
    unfinished,
  };
  return { text, json };
}

function cellOf(e: ExploredVariant, inv: (typeof INVARIANTS)[number]): string {
  const v = e.verdict.invariants[inv.name];
  const expect = e.verdict.design.expect;
  if (expect === undefined) return v.holds ? 'ok' : String(v.length);
  const expected = expect.includes(inv.name);
  return v.holds ? (expected ? 'holds!' : 'ok') : `${v.length}${expected ? '' : '!'}`;
}

export async function checkCommand(a: CheckArgs): Promise<CommandOutput> {
  // The explorations run in child processes; the proofs run here meanwhile.
  a.progress?.(`check at scope ${a.scope.name}: exploring ${(a.designs ?? presetDesignsAt(a.scope.scope)).length} designs${a.jobs > 1 ? ` in ${a.jobs} processes` : ''}${a.proofs === false ? '' : ', proving the reference invariants'}`);
  const proving =
    a.proofs === false
      ? Promise.resolve([])
      : a.jobs > 1
        ? proofCases(a.scope.scope).then((cs) => (a.progress?.(`check: proofs done (${cs.filter((c) => c.status === 'pass').length}/${cs.length} claims proved)`), cs))
        : null;
  const done: ExploredDesign[] = [];
  const release = a.interrupt ? whileInterruptible(a.interrupt.json, () => stopChildren(), (signal, secs) => partialSummary(a, done, signal, secs)) : () => {};
  const explored = await exploreAll(a, (e) => done.push(e));
  if (proving === null) a.progress?.('check: proving the reference invariants');
  const proofs = await (proving ?? proofCases(a.scope.scope));
  a.progress?.('check: conformance (kernel against the model)');
  const cases = [...exploreCases(explored), ...proofs, ...conformanceCases(explored, a.scope)];
  release();
  if (a.junit) writeTextFile(a.junit, junitXml(cases));
  if (process.env.GITHUB_ACTIONS === 'true') for (const line of githubAnnotations(cases)) process.stdout.write(line + '\n');

  const cell = cellOf;
  const rows = explored.map((e) => [
    e.verdict.variant,
    String(e.states),
    `${e.seconds.toFixed(1)}s`,
    ...INVARIANTS.map((inv) => cell(e, inv)),
    e.verdict.design.expect === undefined ? 'no expectation' : e.verdict.surprises.length === 0 ? 'as expected' : 'DIFFERS',
  ]);
  const abbrev = INVARIANTS.map((_, i) => `I${i + 1}`);
  const ok = cases.every((c) => c.status === 'pass');
  const text = [
    `check at scope ${a.scope.name}: ${cases.length} checks, ${cases.filter((c) => c.status === 'pass').length} passed, ${cases.filter((c) => c.status === 'fail').length} failed`,
    '',
    table(['design', 'states', 'time', ...abbrev, 'verdict'], rows),
    '',
    'ok = holds; N = shortest violation in N steps; ! = differs from the design analysis (DESIGN.md §5)',
    INVARIANTS.map((inv, i) => `${abbrev[i]} ${inv.name}`).join('   '),
    '',
    ...explored.flatMap((e) => e.verdict.surprises.map((s) => `DIFFERS: ${e.verdict.variant}: ${s.invariant} ${s.found}, the design analysis says it ${s.expected}`)),
    ...(proofs.length > 0
      ? [`proofs: ${proofs.filter((c) => c.status === 'pass').length}/${proofs.length} claims proved inductive for reference (${proofs.filter((c) => c.status === 'fail').length} refuted, ${proofs.filter((c) => c.status === 'unknown').length} unknown)`]
      : []),
    ...cases.filter((c) => c.suite === 'conformance').map((c) => `conformance: ${c.status === 'pass' ? 'ok' : 'FAILED'}: ${c.name}${c.message ? `: ${c.message}` : ''}`),
    ok ? 'every verdict is as expected' : 'some verdicts differ from the design analysis',
  ].join('\n');
  if (a.html) writeHtmlSite(a.html, { command: 'check', scope: a.scope, explored, cases, ok, summary: text.split('\n')[0]! });
  const json = {
    scope: a.scope.label,
    ok,
    variants: explored.map((e) => ({
      variant: e.verdict.variant,
      rules: e.verdict.design.rules,
      states: e.states,
      transitions: e.transitions,
      depth: e.depth,
      seconds: round(e.seconds),
      invariants: e.verdict.invariants,
      surprises: e.verdict.surprises,
    })),
    checks: cases,
  };
  const failed = cases.some((c) => c.status === 'fail');
  return { json, text, exit: ok ? EXIT.ok : failed ? EXIT.failed : EXIT.unknown };
}

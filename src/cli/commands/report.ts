/**
 * `report --out FILE`: the security argument as Markdown. Explores every
 * variant at the scope (its own evidence), reads the result files given with
 * --evidence, and writes claims -> invariants -> evidence, the rejected
 * alternatives with their counterexamples, and an IOASID's life.
 */
import { dirname, join } from 'node:path';
import type { LoadedScope } from '../../scopes';
import { CLAIMS } from '../../../model/claims';
import { claimVerdict } from '../../report/claimVerdict';
import type { Evidence } from '../../report/evidence';
import type { ReportInput } from '../../report/input';
import { reportMarkdown } from '../../report/markdown';
import { locateQuote } from '../../report/quote';
import { exploreVariants } from '../../report/runs';
import { stopChildren } from '../../explore/parallel';
import { whileInterruptible } from '../interrupt';
import { type CommandOutput, EXIT, writeTextFile } from '../output';
import { writeTraces } from '../traces';
import { round } from './explore';

export interface ReportArgs {
  readonly scope: LoadedScope;
  readonly scopeArg: string;
  readonly out: string;
  /** where counterexample traces go (default: traces/ next to the report) */
  readonly traces?: string;
  readonly evidence: readonly Evidence[];
  readonly depth?: number;
  readonly jobs: number;
  readonly progress?: (line: string) => void;
  /** on SIGINT/SIGTERM: end the explore processes, say what was not written (JSON if `json`), exit 130 */
  readonly interrupt?: { readonly json: boolean };
}

export async function reportCommand(a: ReportArgs): Promise<CommandOutput> {
  const traces = a.traces ?? join(dirname(a.out), 'traces');
  const release = a.interrupt
    ? whileInterruptible(a.interrupt.json, () => stopChildren(), (signal, secs) => ({
        text: `report: INTERRUPTED by ${signal} after ${secs.toFixed(1)}s, while exploring the designs; ${a.out} not written (exit 130)`,
        json: { out: a.out, written: false, interrupted: signal, seconds: round(secs) },
      }))
    : () => {};
  const runs = await exploreVariants({ scope: a.scope, scopeArg: a.scopeArg, traces, jobs: a.jobs, ...(a.depth !== undefined ? { depth: a.depth } : {}), ...(a.progress ? { progress: a.progress } : {}) });
  for (const r of runs) writeTraces(r);
  const command = [
    'ioasid-verify report',
    `--scope ${a.scopeArg}`,
    ...(a.depth !== undefined ? [`--depth ${a.depth}`] : []),
    ...a.evidence.map((e) => `--evidence ${e.file}`),
    `--out ${a.out}`,
  ].join(' ');
  const input: ReportInput = { scope: a.scope, runs, evidence: a.evidence, out: a.out, command, ...(a.depth !== undefined ? { depth: a.depth } : {}) };
  release();
  writeTextFile(a.out, reportMarkdown(input));
  const claims = CLAIMS.map((c) => ({ id: c.id, quote: c.quote, lines: locateQuote(c.quote), invariants: c.encodedBy.map((e) => e.invariant), ...claimVerdict(input, c) }));
  const surprises = runs.flatMap((r) => r.verdict.surprises.map((s) => ({ variant: r.variant, ...s })));
  const ok = claims.every((c) => c.status !== 'refuted') && surprises.length === 0;
  const json = {
    out: a.out,
    traces,
    scope: a.scope.label,
    depth: a.depth ?? null,
    ok,
    claims,
    variants: runs.map((r) => ({ variant: r.variant, states: r.states, transitions: r.transitions, depth: r.depth, bounded: r.bounded, seconds: round(r.seconds), invariants: r.verdict.invariants, surprises: r.verdict.surprises })),
    evidence: a.evidence.map((e) => ({ file: e.file, kind: e.kind, sha256: e.sha256, summary: e.summary, recheck: e.recheck })),
  };
  const text = [
    `report written to ${a.out} (traces under ${traces})`,
    `${claims.filter((c) => c.status === 'confirmed').length} of ${claims.length} claims confirmed, ${claims.filter((c) => c.status === 'untested').length} untested at this scope${a.depth !== undefined ? ` (explored up to depth ${a.depth})` : ''}; ${runs.length} variants explored at scope ${a.scope.name}`,
    ...claims.filter((c) => c.status === 'refuted').map((c) => `REFUTED ${c.id}: ${c.against.join('; ')}`),
    ...surprises.map((s) => `DIFFERS: ${s.variant}: ${s.invariant} ${s.found}, the design analysis says it ${s.expected}`),
    ...(a.evidence.length ? [`evidence: ${a.evidence.map((e) => `${e.file} (${e.kind})`).join(', ')}`] : []),
  ].join('\n');
  return { json, text, exit: ok ? EXIT.ok : EXIT.failed };
}

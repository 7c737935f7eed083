/**
 * `check --html DIR` and `explore --html DIR`: the run as a small static
 * site a CI job uploads. DIR/index.html lists every design with its
 * verdicts (src/view/indexPage.ts); each counterexample the run wrote gets
 * its own page beside it (src/view/page.ts, replayed on the kernel), linked
 * from the index and linking back. Only this, the CLI layer, writes them.
 */
import { basename, join } from 'node:path';
import { INVARIANTS, changedRules } from '../../model/index';
import { WALK_SEED } from '../conformance/stage';
import type { ExploredVariant } from '../explore/parallel';
import { expectedToFail } from '../explore/verdicts';
import type { LoadedScope } from '../scopes';
import { readTraceFile } from '../trace/itf';
import { type IndexDesign, renderIndexPage } from '../view/indexPage';
import { tracePage } from './commands/view';
import type { CheckCase } from './junit';
import { writeTextFile } from './output';
import { VERSION } from './version';

export interface SiteRun {
  readonly command: 'check' | 'explore';
  readonly scope: LoadedScope;
  readonly explored: readonly ExploredVariant[];
  /** check's cases: the proofs and conformance lines come from them */
  readonly cases?: readonly CheckCase[];
  readonly ok: boolean;
  /** the run's one-line outcome */
  readonly summary: string;
}

/** `out/traces/no-drain--quota.itf.json` -> `no-drain--quota.html` (the pages sit beside index.html). */
const pageName = (trace: string): string => basename(trace).replace(/(\.itf)?\.json$/, '') + '.html';

/** Writes DIR/index.html and one page per counterexample; returns the paths written. */
export function writeHtmlSite(dir: string, run: SiteRun): { index: string; pages: string[] } {
  const pages: string[] = [];
  const designs: IndexDesign[] = run.explored.map((e) => {
    const d = e.verdict.design;
    const changed = changedRules(d.rules);
    return {
      name: e.verdict.variant,
      rules: changed.length === 0 ? 'the reference rules' : changed.map((r) => `${r}=${String(d.rules[r])}`).join(', '),
      states: e.states,
      transitions: e.transitions,
      depth: e.depth,
      seconds: e.seconds,
      cells: INVARIANTS.map((inv) => {
        const v = e.verdict.invariants[inv.name];
        const fails = expectedToFail(d, inv.name);
        const expected = fails === undefined ? {} : { expected: fails ? ('fails' as const) : ('holds' as const) };
        if (v.holds) return { inv: inv.name, holds: true, ...expected };
        let page: string | undefined;
        if (v.trace) {
          page = pageName(v.trace);
          const { html } = tracePage(readTraceFile(v.trace), { replay: true, source: v.trace, back: { href: 'index.html', text: `the index of this ${run.command} run` } });
          writeTextFile(join(dir, page), html);
          pages.push(join(dir, page));
        }
        return {
          inv: inv.name,
          holds: false,
          length: v.length,
          ...(page ? { page } : {}),
          ...expected,
          ...(v.violation ? { violation: v.violation } : {}),
          ...(v.witness ? { witness: v.witness } : {}),
        };
      }),
    };
  });
  const cases = run.cases ?? [];
  const proofs = cases.filter((c) => c.suite === 'prove');
  const proofLines =
    proofs.length > 0
      ? [
          `${proofs.filter((c) => c.status === 'pass').length}/${proofs.length} claims proved inductive for reference (${proofs.filter((c) => c.status === 'fail').length} refuted, ${proofs.filter((c) => c.status === 'unknown').length} unknown)`,
          ...proofs.filter((c) => c.status !== 'pass').map((c) => `${c.status}: ${c.name}${c.message ? `: ${c.message}` : ''}`),
        ]
      : [];
  const conformance = cases.filter((c) => c.suite === 'conformance').map((c) => `${c.status === 'pass' ? 'ok' : 'FAILED'}: ${c.name}${c.message ? `: ${c.message}` : ''}`);
  const walks = conformance.length > 0;
  const index = join(dir, 'index.html');
  writeTextFile(
    index,
    renderIndexPage({
      command: run.command,
      scope: run.scope.name,
      version: VERSION,
      seed: walks
        ? `exhaustive search (no randomness); the conformance walks use seed ${WALK_SEED}`
        : 'exhaustive search: no randomness, no seed',
      summary: run.summary,
      ok: run.ok,
      designs,
      proofs: proofLines,
      conformance,
    }),
  );
  return { index, pages };
}

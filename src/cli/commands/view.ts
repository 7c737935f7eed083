/**
 * `view FILE [--out PAGE.html] [--replay]`: a trace as one self-contained
 * HTML page (src/view/): the steps, the state at each as the domain's
 * objects, what each step changed, the violation with its seed sentence and
 * the objects it names. With --replay the kernel's result stands beside the
 * model's at every step (src/conformance/replay.ts), and the page says where
 * the kernel defeats the attack.
 */
import { type Design, isReferenceRules } from '../../../model/index';
import { type Replay, replaySteps } from '../../conformance/replay';
import type { LoadedScope } from '../../scopes';
import { type Trace, readTraceFile } from '../../trace/itf';
import { viewInputOf } from '../../view/fromTrace';
import { renderPage } from '../../view/page';
import { type PageData, pageData } from '../../view/pageData';
import { type CommandOutput, EXIT, writeTextFile } from '../output';
import { VERSION } from '../version';

export interface ViewArgs {
  readonly file: string;
  /** the page to write (default: the trace's path with .html for .itf.json) */
  readonly out?: string;
  readonly replay: boolean;
  readonly scope?: LoadedScope;
  readonly design?: Design;
}

/** `out/traces/x.itf.json` -> `out/traces/x.html`. */
export function defaultPagePath(file: string): string {
  return /\.itf\.json$|\.json$/.test(file) ? file.replace(/(\.itf)?\.json$/, '.html') : `${file}.html`;
}

/** How a replay names the kernel: configured as the design when it implements it, else the reference it runs as. */
export function kernelName(r: Replay, design: Pick<Design, 'name' | 'rules'>): string {
  return r.kernelImplements && !isReferenceRules(design.rules) ? `kernel (configured as ${design.name})` : 'kernel (reference)';
}

/** The page of one trace, as a string: the CLI's `view`, and the pages of `check --html`. */
export function tracePage(
  trace: Trace,
  o: { replay: boolean; source: string; scope?: LoadedScope; design?: Design; back?: { href: string; text: string } },
): { html: string; data: PageData; replay?: Replay } {
  const scope = o.scope ?? trace.scope;
  const design = o.design ?? trace.design;
  const replay = o.replay ? replaySteps(scope.scope, design.rules, trace.steps) : undefined;
  const input = viewInputOf(trace, { scope, design, source: o.source, version: VERSION, ...(replay ? { replay, kernelName: kernelName(replay, design) } : {}) });
  const v = o.back ? { ...input, back: o.back } : input;
  const data = pageData(v);
  return { html: renderPage(data, v), data, ...(replay ? { replay } : {}) };
}

export function viewCommand(a: ViewArgs): CommandOutput {
  const trace = readTraceFile(a.file);
  const out = a.out ?? defaultPagePath(a.file);
  const { html, data: d, replay } = tracePage(trace, { replay: a.replay, source: a.file, ...(a.scope ? { scope: a.scope } : {}), ...(a.design ? { design: a.design } : {}) });
  writeTextFile(out, html);
  const n = trace.steps.length;
  const prefix = trace.witnessFrom ?? n;
  const json = {
    file: a.file,
    page: out,
    bytes: Buffer.byteLength(html),
    steps: n,
    witness: n - prefix,
    violation: d.violation && d.violationStep !== null ? { step: d.violationStep, invariant: d.violation.inv, offender: d.violation.text } : null,
    replayed: replay !== undefined,
  };
  const text = [
    `wrote ${out} (${(json.bytes / 1024).toFixed(0)} KB): ${prefix} steps${n > prefix ? ` + ${n - prefix} witness step${n - prefix === 1 ? '' : 's'}` : ''}${replay ? ', replayed on the kernel' : ''}`,
    json.violation ? `${json.violation.invariant} breaks at step ${json.violation.step}: ${json.violation.offender}` : 'every invariant holds at every step',
    `open it in a browser; #step=N selects a step (${out}#step=${json.violation?.step ?? 0})`,
  ].join('\n');
  return { json, text, exit: EXIT.ok };
}

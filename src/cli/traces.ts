/** The CLI's half of a counterexample: the explorer returns each trace as data, and the CLI writes it. */
import type { CounterexampleTrace } from '../explore/verdicts';
import { writeJsonFile } from './output';

/** Writes each trace to the file its verdict names, unless an explore process has written it already. */
export function writeTraces(e: { readonly traces: readonly CounterexampleTrace[]; readonly written?: boolean }): void {
  if (e.written === true) return;
  for (const t of e.traces) writeJsonFile(t.path, t.doc);
}

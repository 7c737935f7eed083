/** The evidence files the report was given, each named with its kind, digest and summary. */
import type { ReportInput } from './input';
import { mdCode, mdText } from './markdownText';
import { RECHECK_MAX_CALLS, RECHECK_MAX_STATES } from './recheck';

export function evidenceSection(input: ReportInput): string {
  if (input.evidence.length === 0) return ['## Evidence files', '', 'None were given: every fact above comes from the runs this report made.', ''].join('\n');
  return [
    '## Evidence files',
    '',
    `Each file was checked against the exact schema the command that writes it uses, and re-run here where that is cheap: an exploration of up to ${RECHECK_MAX_STATES.toLocaleString('en-US')} states is explored again, random walks of up to ${RECHECK_MAX_CALLS.toLocaleString('en-US')} calls are walked again from their seed, a counterexample trace is run through the model, a replay is replayed. A file that disagrees with its re-run is refused; the others say why they were not re-run.`,
    '',
    '| file | kind | sha256 | summary | re-checked |',
    '| --- | --- | --- | --- | --- |',
    ...input.evidence.map((e) => `| ${mdCode(e.file)} | ${e.kind} | ${mdCode(e.sha256.slice(0, 16))} | ${mdText(e.summary)} | ${mdText(e.recheck.text)} |`),
    '',
  ].join('\n');
}

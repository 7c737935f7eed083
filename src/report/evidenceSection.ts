/** The evidence files the report was given, each named with its kind, digest and summary. */
import type { ReportInput } from './input';
import { mdCode, mdText } from './markdownText';

export function evidenceSection(input: ReportInput): string {
  if (input.evidence.length === 0) return ['## Evidence files', '', 'None were given: every fact above comes from the runs this report made.', ''].join('\n');
  return [
    '## Evidence files',
    '',
    '| file | kind | sha256 | summary |',
    '| --- | --- | --- | --- |',
    ...input.evidence.map((e) => `| ${mdCode(e.file)} | ${e.kind} | ${mdCode(e.sha256.slice(0, 16))} | ${mdText(e.summary)} |`),
    '',
  ].join('\n');
}

/** The evidence files the report was given, each named with its kind, digest and summary. */
import type { ReportInput } from './input';
import { mdCode, mdText } from './markdownText';

/** Why each kind of file is taken as written, and cited by its digest. */
const NOT_RECHECKED: Record<string, string> = {
  explore: 'the report explores every design itself at its own scope; this file is cited for its scope',
  simulate: 'random walks are cited with their seed; re-run them with the seed to check',
  bmc: 'a Z3 search takes minutes to hours; replay its trace with `ioasid-verify replay`',
  check: 'a full check takes minutes; re-run `ioasid-verify check`',
  prove: 'Z3 proofs take seconds to hours; re-run `ioasid-verify prove`',
  'prove-parametric': 'the parametric Z3 proof takes a minute or more; re-run `ioasid-verify prove --parametric`',
  replay: 're-run `ioasid-verify replay` on its trace',
  mutation: 'a Stryker run takes tens of minutes; re-run `npm run mutation`',
  result: 'no command to re-run',
};

export function evidenceSection(input: ReportInput): string {
  if (input.evidence.length === 0) return ['## Evidence files', '', 'None were given: every fact above comes from the runs this report made.', ''].join('\n');
  return [
    '## Evidence files',
    '',
    'Each file was checked against the exact schema the command that writes it uses; none is re-run here.',
    '',
    '| file | kind | sha256 | summary | re-checked |',
    '| --- | --- | --- | --- | --- |',
    ...input.evidence.map((e) => `| ${mdCode(e.file)} | ${e.kind} | ${mdCode(e.sha256.slice(0, 16))} | ${mdText(e.summary)} | not re-checked: ${NOT_RECHECKED[e.kind]} |`),
    '',
  ].join('\n');
}

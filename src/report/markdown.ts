/** The whole report, in GitHub-renderable Markdown, assembled from its sections. */
import { mermaidBlock } from '../render/mermaid';
import { alternativesSection } from './alternativesSection';
import { claimsSection } from './claimsSection';
import { evidenceSection } from './evidenceSection';
import type { ReportInput } from './input';
import { invariantsSection } from './invariantsSection';
import { lifecycleDiagram } from './lifecycle';
import { shippedSection } from './shippedSection';
import { summarySection } from './summarySection';

export function reportMarkdown(input: ReportInput): string {
  return [
    summarySection(input),
    claimsSection(input),
    invariantsSection(input),
    [
      "## An IOASID's life",
      '',
      'The reference design in black; in red, the shortcut each rejected alternative takes and the invariant it breaks.',
      '',
      mermaidBlock(lifecycleDiagram()),
      '',
    ].join('\n'),
    shippedSection(input),
    alternativesSection(input),
    evidenceSection(input),
  ].join('\n');
}

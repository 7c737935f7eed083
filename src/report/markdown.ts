/** The whole report, in GitHub-renderable Markdown, assembled from its sections. */
import { mermaidBlock } from '../render/mermaid';
import { alternativesSection } from './alternativesSection';
import { claimsSection } from './claimsSection';
import { evidenceSection } from './evidenceSection';
import type { ReportInput } from './input';
import { invariantsSection } from './invariantsSection';
import { lifecycleDiagram } from './lifecycle';
import { summarySection } from './summarySection';

export function reportMarkdown(input: ReportInput): string {
  return [
    summarySection(input),
    claimsSection(input),
    invariantsSection(input),
    [
      "## An IOASID's life",
      '',
      'The reference design in black; in red, the shortcut each rejected alternative takes and the invariants this run found it to break.',
      '',
      mermaidBlock(lifecycleDiagram(new Map(input.runs.map((r) => [r.variant, Object.entries(r.verdict.invariants).filter(([, v]) => !v.holds).map(([n]) => n)])))),
      '',
    ].join('\n'),
    alternativesSection(input),
    evidenceSection(input),
  ].join('\n');
}

/** The whole report, in GitHub-renderable Markdown, assembled from its sections. */
import { anchor } from './markdownText';
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
  return withContents(
    [
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
    shippedSection(input),
    alternativesSection(input),
    evidenceSection(input),
    ].join('\n'),
  );
}


/** A table of contents of the `##` and `###` headings, put after the title. */
function withContents(md: string): string {
  const lines = md.split('\n');
  const heads = lines.filter((l) => /^#{2,3} /.test(l));
  const toc = ['## Contents', '', ...heads.map((h) => `${h.startsWith('### ') ? '  ' : ''}- [${h.replace(/^#+ /, '')}](#${anchor(h.replace(/^#+ /, ''))})`), ''];
  const at = lines.findIndex((l) => l.startsWith('## '));
  return at < 0 ? md : [...lines.slice(0, at), ...toc, ...lines.slice(at)].join('\n');
}

export { anchor } from './markdownText';

/**
 * The rejected design alternatives: for each flawed variant, what it changes,
 * who argued it, what the design analysis expects it to break and what the
 * exploration found; then each shortest counterexample told as a story (one
 * sentence per step) and drawn as a sequence diagram.
 */
import { dirname, relative } from 'node:path';
import { INVARIANTS, type InvariantName, VARIANTS, type Variant, variantsAt } from '../../model/index';
import { mermaidBlock } from '../render/mermaid';
import { sequenceDiagram } from '../render/sequence';
import { showSteps } from '../render/steps';
import { storySentence } from '../render/story';
import { svaStory } from '../render/svaStory';
import type { ReportInput } from './input';
import { mdCode, mdText } from './markdownText';
import { type VariantRun, counterexample } from './runs';

export function alternativesSection(input: ReportInput): string {
  // Rejected: the presets the design analysis expects to break something.
  const flawed = variantsAt(input.scope.scope).filter((v) => VARIANTS[v].expectedToFail.length > 0);
  return ['## Rejected design alternatives', '', ...flawed.flatMap((v) => variantBlock(input, v))].join('\n');
}

function variantBlock(input: ReportInput, variant: Variant): string[] {
  const info = VARIANTS[variant];
  const run = input.runs.find((r) => r.variant === variant);
  if (!run) throw new Error(`bug: no run of ${variant}`);
  const broken = INVARIANTS.flatMap((inv) => {
    const v = run.verdict.invariants[inv.name];
    return v.holds ? [] : [{ name: inv.name, length: v.length, trace: v.trace }];
  }).sort((a, b) => a.length - b.length);
  const expected = info.expectedToFail.map(mdCode).join(', ');
  const found = broken.length ? broken.map((b) => `${mdCode(b.name)} in ${b.length} steps`).join(', ') : 'nothing: no counterexample at this scope';
  const asExpected = run.verdict.surprises.length === 0;
  return [
    `### Rejected: ${variant}`,
    '',
    `- What changes: ${mdText(info.change)}.`,
    `- Origin: ${mdText(info.origin)}.`,
    `- The design analysis expects it to break: ${expected}.`,
    `- Found by explore at scope ${input.scope.name}: breaks ${found}. ${asExpected ? 'As expected.' : `**Differs from the design analysis:** ${run.verdict.surprises.map((s) => `${s.invariant} ${s.found}, expected ${s.expected}`).join('; ')}.`}`,
    '',
    ...broken.flatMap((b) => counterexampleBlock(input, run, b.name, b.trace)),
  ];
}

function counterexampleBlock(input: ReportInput, run: VariantRun, invariant: InvariantName, trace: string | undefined): string[] {
  if (!trace) return [];
  const variant = run.variant as Variant;
  const steps = showSteps(input.scope.scope, VARIANTS[variant].rules, counterexample(run, invariant).map((action) => ({ action })));
  const link = relative(dirname(input.out), trace).split('\\').join('/');
  return [
    `#### How ${mdCode(invariant)} breaks under ${mdCode(variant)} (${steps.length} steps)`,
    '',
    `Trace: [${mdText(link)}](${encodeURI(link)}); see it with ${mdCode(`ioasid-verify show ${trace}`)}.`,
    '',
    ...steps.map((s) => `${s.index}. ${mdText(storySentence(s))}`),
    '',
    ...kernelTerms(input, variant, steps),
    mermaidBlock(sequenceDiagram(input.scope.scope, steps)),
    '',
  ];
}

/** §10: the 2022 SVA use-after-free in kernel terms, when the counterexample shows it (src/render/svaStory.ts). */
function kernelTerms(input: ReportInput, variant: Variant, steps: Parameters<typeof svaStory>[2]): string[] {
  const story = svaStory(input.scope.scope, VARIANTS[variant].rules, steps);
  if (story.length === 0) return [];
  return ['In kernel terms:', '', ...story.map((line) => (line.startsWith('  ') ? `  ${mdText(line.trim())}` : `- ${mdText(line)}`)), ''];
}

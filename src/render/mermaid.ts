/**
 * Text safe inside a Mermaid label. Mermaid's grammars end a label at a
 * newline, ';' or '#' (its entity escape), so those become entity codes;
 * everything else we emit is plain ASCII words, numbers and punctuation.
 */
export function mermaidText(s: string): string {
  return s
    .replace(/[#;]/g, (c) => (c === '#' ? '#35;' : '#59;'))
    .replace(/[\r\n]+/g, ' ')
    .trim();
}

/** A fenced block GitHub renders as a diagram. */
export function mermaidBlock(diagram: string): string {
  return ['```mermaid', diagram.trimEnd(), '```'].join('\n');
}

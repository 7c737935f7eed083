/**
 * The real Mermaid parser, in Node. mermaid.parse needs a DOM for some
 * diagram types (stateDiagram sanitises labels with DOMPurify at load time),
 * so a happy-dom window is installed as the global one before mermaid loads.
 */
import { Window } from 'happy-dom';

type Parse = (text: string) => Promise<unknown>;
let parser: Promise<Parse> | undefined;

export function mermaidParser(): Promise<Parse> {
  parser ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    if (g.window === undefined) {
      const w = new Window();
      g.window = w;
      g.document = w.document;
    }
    const { default: mermaid } = await import('mermaid');
    return (text: string) => mermaid.parse(text);
  })();
  return parser;
}

/** The bodies of the ```mermaid fenced blocks of a Markdown text, in order. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

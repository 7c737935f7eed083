/**
 * A trace's steps as a plain-text table for a terminal. Each change of a step
 * gets its own line (and long ones wrap), so rows stay readable.
 */
import { table } from './table';
import type { ShownStep } from './steps';

const WIDTH = 56;

/** Splits `text` at spaces into lines of at most `width` characters (longer words stay whole). */
export function wrap(text: string, width = WIDTH): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = `  ${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...out, line];
}

export function stepTable(steps: readonly ShownStep[]): string {
  const rows = steps.flatMap((s) => {
    const changes = s.changes.length > 0 ? s.changes.flatMap((c) => wrap(c)) : ['-'];
    const first = [
      String(s.index),
      s.action.type,
      Object.entries(s.args).map(([k, v]) => `${k}=${v}`).join(' '),
      s.expected !== undefined && s.expected !== s.result ? `${s.result} (trace says ${s.expected})` : s.result,
      changes[0]!,
      s.broke.join(', '),
    ];
    return [first, ...changes.slice(1).map((c) => ['', '', '', '', c, ''])];
  });
  return table(['#', 'action', 'args', 'result', 'changes', 'broke'], rows);
}

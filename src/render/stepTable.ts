/** A trace's steps as a plain-text table for a terminal. */
import { table } from '../cli/output';
import type { ShownStep } from './steps';

export function stepTable(steps: readonly ShownStep[]): string {
  const rows = steps.map((s) => [
    String(s.index),
    s.action.type,
    Object.entries(s.args).map(([k, v]) => `${k}=${v}`).join(' '),
    s.expected !== undefined && s.expected !== s.result ? `${s.result} (trace says ${s.expected})` : s.result,
    s.changes.join('; ') || '-',
    s.broke.join(', '),
  ]);
  return table(['#', 'action', 'args', 'result', 'changes', 'broke'], rows);
}

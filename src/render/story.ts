/**
 * A step as one sentence of a story: who did what, what came back, what it
 * changed, and what broke. Generated from the action and the state change.
 */
import { match } from 'ts-pattern';
import type { AnyAction as Action, Result } from '../../model/index';
import { actionPhrase } from './phrase';
import type { ShownStep } from './steps';

export function storySentence(s: ShownStep): string {
  const what = actionPhrase(s.before, s.action);
  const changes = s.changes.length > 0 ? ` (${s.changes.join('; ')})` : '';
  const broke = s.broke.length > 0 ? `, and from here on ${s.broke.join(' and ')} ${s.broke.length > 1 ? 'are' : 'is'} violated` : '';
  return `${what[0]!.toUpperCase()}${what.slice(1)}${outcome(s.action, s.result)}${changes}${broke}.`;
}

function outcome(action: Action, result: Result): string {
  if (result.startsWith('-E')) return `, refused with ${result}`;
  const landed = /^ok:(-?\d+)$/.exec(result);
  if (landed) return `: the DMA lands in the memory of process ${landed[1]}`;
  return match(result)
    .with('blocked', () => ': the DMA is blocked (a PCIe TLP error)')
    .with('fault', () => ': it faults')
    .with('queued', () => ': the descriptor is queued')
    .with('retry', () => ': the queue is full, retry')
    .with('idle', () => ': there is nothing to do')
    .with('0', () => '')
    .otherwise(() => (action.type === 'open' ? ` and gets fd ${result}` : action.type === 'alloc' ? ` and gets handle ${result}` : `, result ${result}`));
}

/** A trace as read by src/trace/itf.ts (and its replay, if any), as the renderer's input. */
import type { Design } from '../../model/index';
import type { Replay } from '../conformance/replay';
import type { LoadedScope } from '../scopes';
import type { Trace } from '../trace/itf';
import type { ViewInput } from './pageData';

export interface FromTrace {
  /** instead of the trace's own #meta design and scope */
  readonly design?: Design;
  readonly scope?: LoadedScope;
  readonly replay?: Replay;
  readonly kernelName?: string;
  readonly source?: string;
  readonly version?: string;
}

export function viewInputOf(t: Trace, o: FromTrace = {}): ViewInput {
  const scope = o.scope ?? t.scope;
  return {
    scope: scope.scope,
    scopeName: scope.name,
    design: o.design ?? t.design,
    steps: t.steps,
    ...(t.witnessFrom !== undefined ? { witnessFrom: t.witnessFrom } : {}),
    ...(t.breach !== undefined ? { breach: t.breach } : {}),
    ...(t.invariant !== undefined ? { invariant: t.invariant } : {}),
    ...(t.description !== undefined ? { description: t.description } : {}),
    ...(o.source !== undefined ? { source: o.source } : {}),
    ...(o.version !== undefined ? { version: o.version } : {}),
    ...(o.replay !== undefined ? { replay: o.replay, kernelName: o.kernelName ?? 'kernel' } : {}),
  };
}

/** Running a list of actions through the model, recording each step for a trace. */
import { type AnyAction as Action, type Scope, type State, type Rules, initialState, step, violated } from '../../model/index';
import type { WrittenStep } from './itf';

export interface ModelRun {
  readonly init: State;
  readonly steps: WrittenStep[];
}

export function runModel(scope: Scope, rules: Rules, actions: readonly Action[]): ModelRun {
  const init = initialState(scope);
  const steps: WrittenStep[] = [];
  let s = init;
  for (const action of actions) {
    const o = step(scope, rules, s, action);
    s = o.state;
    steps.push({ action, result: o.result, state: s, violated: violated(scope, s) });
  }
  return { init, steps };
}

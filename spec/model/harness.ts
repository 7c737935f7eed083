import { VARIANTS } from '../../model/variants';
/**
 * A small driver for the model's table-driven tests: a Machine holds one
 * scope, one variant and the current state, and checks each call's result as
 * it goes. Failed calls must hand back the very same state object (step.ts's
 * contract), so `refuse` asserts identity, not just equality.
 */
import { expect } from 'vitest';
import {
  ANY_ACTION_ARGS,
  type AnyActionType,
  type Outcome,
  PRESETS,
  type Scope,
  type State,
  type Variant,
  formatAction,
  initialState,
  makeAction,
  step,
} from '../../model/index';

export const DEFAULT: Scope = PRESETS.default;
export const TINY: Scope = PRESETS.tiny;
/** Room for two of everything the presets have one of. */
export const SMALL: Scope = { ...PRESETS.default, fdsPerProc: 2, quota: 2, pasids: 3, vpasids: 2, swqDepth: 2 };
/** SMALL with quota 3: two live IOASIDs and still room to allocate. */
export const ROOMY: Scope = { ...SMALL, quota: 3 };
/** Process 1 owns both mdevs of swq 2, both given to its VM 1. */
export const TWO_MDEVS: Scope = {
  ...SMALL,
  mdevs: [
    { id: 1, parent: 2, owner: 1, vm: 1 },
    { id: 2, parent: 2, owner: 1, vm: 1 },
  ],
};

/**
 * One call and the result it must give, its arguments by name (ACTION_ARGS):
 * `{ call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' }`.
 * The type wants exactly the arguments of that call.
 */
export type Call = {
  readonly [T in AnyActionType]: { readonly call: T; readonly args: Readonly<Record<(typeof ANY_ACTION_ARGS)[T][number], number>>; readonly gives: string };
}[AnyActionType];

/** A call's arguments in ACTION_ARGS order. */
export function argsOf(c: Call): number[] {
  return (ANY_ACTION_ARGS[c.call] as readonly string[]).map((name) => (c.args as Record<string, number>)[name]!);
}

export const isErrno = (r: string): boolean => r.startsWith('-E');

export class Machine {
  state: State;

  constructor(
    readonly scope: Scope = DEFAULT,
    readonly variant: Variant = 'reference',
    state?: State,
  ) {
    this.state = state ?? initialState(scope);
  }

  /** One step from the current state, without moving. */
  peek(type: AnyActionType, args: readonly number[]): Outcome {
    return step(this.scope, VARIANTS[this.variant].rules, this.state, makeAction(type, args));
  }

  /** One step; moves to the new state and returns the result. */
  call(type: AnyActionType, ...args: number[]): string {
    const out = this.peek(type, args);
    this.state = out.state;
    return out.result;
  }

  /** Runs calls in order, asserting each result. */
  run(...calls: readonly Call[]): this {
    for (const c of calls) {
      const args = argsOf(c);
      const got = this.call(c.call, ...args);
      expect(got, `${formatAction(makeAction(c.call, args))} in ${this.variant}`).toBe(c.gives);
    }
    return this;
  }

  /** Asserts the call fails with `errno` and returns the identical state object. */
  refuse(errno: string, type: AnyActionType, ...args: number[]): void {
    const out = this.peek(type, args);
    const what = `${formatAction(makeAction(type, args))} in ${this.variant}`;
    expect(out.result, what).toBe(errno);
    expect(out.state, `${what}: a failed call returns the same state`).toBe(this.state);
  }

  /** An event that changes nothing (fault, idle, retry): asserts the result and an unchanged state. */
  observe(result: string, type: AnyActionType, ...args: number[]): void {
    const before = structuredClone(this.state);
    const out = this.peek(type, args);
    expect(out.result, formatAction(makeAction(type, args))).toBe(result);
    expect(out.state).toEqual(before);
  }

  fork(): Machine {
    return new Machine(this.scope, this.variant, this.state);
  }

  /** PASIDs in the free pool, ascending. */
  freePasids(): number[] {
    const out: number[] = [];
    for (let p = 1; p <= this.scope.pasids; p++) if (this.state.free & (1 << p)) out.push(p);
    return out;
  }

  /** The open fd numbers of `proc`, ascending. */
  openFds(proc: number): number[] {
    return this.state.files
      .filter((f) => f !== null && f.proc === proc && f.fd !== 0)
      .map((f) => f!.fd)
      .sort((a, b) => a - b);
  }

  /** The ioasid object live as `handle` in the file open as `fd` of `proc`. */
  live(proc: number, fd: number, handle: number) {
    const file = this.state.files.findIndex((f) => f !== null && f.proc === proc && f.fd === fd) + 1;
    return this.state.ioasids.find((io) => io !== null && io.file === file && io.handle === handle);
  }

  /** The ioasid object holding `pasid` (live or parked). */
  holding(pasid: number) {
    return this.state.ioasids.find((io) => io !== null && io.pasid === pasid);
  }
}

/** Common set-up: process `proc` opens fd 1 and allocates handle 1. */
export function opened(m: Machine, proc = 1, handle = '1'): Machine {
  return m.run({ call: 'open', args: { proc }, gives: '1' }, { call: 'alloc', args: { proc, fd: 1 }, gives: handle });
}

/** Process 1's VM 1 with fd 1 presented, enabled, and vpasid 1 -> handle 1. */
export function mappedVm(m: Machine): Machine {
  return m.run(
    { call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0' },
    { call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 1 }, gives: '0' },
    { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 1, ioasid: 1 }, gives: '0' },
  );
}

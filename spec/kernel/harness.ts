/*
 * Test harness for the kernel alone: topologies, and a dispatcher from the
 * DESIGN.md action vocabulary (snake_case names, named arguments, result
 * strings) to IoasidKernel calls, shared by the table tests, trace replay and
 * the random tests. Of the kernel it imports only src/kernel's public surface
 * (index.ts); of the model only the vocabulary, model/actions.ts's ACTION_ARGS
 * (the action names and their argument names), never its state or step, so the
 * kernel's expected results here are written by hand, not computed by the model.
 */
import { describe, expect, it } from 'vitest';
import { errnoName, IoasidKernel, type KernelParams, type KernelTopology } from '../../src/kernel';
import { ACTION_ARGS, SVA_ACTION_ARGS } from '../../model/actions';

export const DEFAULT: KernelTopology = {
  procs: 2, fdsPerProc: 1, quota: 1, pasids: 2, vpasids: 1, swqDepth: 1,
  devices: [{ id: 1, kind: 'pdev', owner: 1 }, { id: 2, kind: 'swq' }],
  mdevs: [{ id: 1, parent: 2, owner: 1, vm: 1 }, { id: 2, parent: 2, owner: 2, vm: 2 }],
  vms: [{ id: 1, owner: 1 }, { id: 2, owner: 2 }],
};

/** DESIGN.md's `large`, with a second fd per process. */
export const LARGE: KernelTopology = { ...DEFAULT, quota: 2, pasids: 3, fdsPerProc: 2 };

/** DEFAULT plus an mdev 3 of proc 1 on the same parent, for cross-mdev cases. */
export const TWO_MDEVS: KernelTopology = {
  ...LARGE,
  mdevs: [...DEFAULT.mdevs, { id: 3, parent: 2, owner: 1, vm: 1 }],
};

/** Argument names per action, in call order: the vocabulary of DESIGN.md §3, less `deliver` (the kernel has no notifier). */
const { deliver: _noNotifier, ...kernelActions } = ACTION_ARGS;
export const ACTIONS = kernelActions;

export type ActionName = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

export function isAction(name: string): name is ActionName {
  return Object.hasOwn(ACTIONS, name);
}

/** The SVA calls of DESIGN.md §10, for scripts on topologies with `sva` (kept out of ACTION_NAMES, which the random tests range over). */
export const SVA_ACTIONS = SVA_ACTION_ARGS;
export type StepName = ActionName | keyof typeof SVA_ACTIONS;
const STEPS = { ...ACTIONS, ...SVA_ACTIONS };

function isStep(name: string): name is StepName {
  return Object.hasOwn(STEPS, name);
}

type Outcome = number | string | { kind: string; asid?: number };

function resultString(out: Outcome): string {
  if (typeof out === 'number') return errnoName(out);
  if (typeof out === 'string') return out;
  return out.kind === 'ok' ? `ok:${out.asid}` : out.kind;
}

/** Calls the kernel with positional arguments; returns the DESIGN.md result string. */
export function call(k: IoasidKernel, action: StepName, a: readonly unknown[]): string {
  const fns: Record<StepName, () => Outcome> = {
    open: () => k.open(a[0]),
    close: () => k.close(a[0], a[1]),
    alloc: () => k.alloc(a[0], a[1]),
    destroy: () => k.destroy(a[0], a[1], a[2]),
    attach: () => k.attach(a[0], a[1], a[2], a[3]),
    detach: () => k.detach(a[0], a[1], a[2]),
    mdev_allow_pasid: () => k.mdevAllowPasid(a[0], a[1], a[2]),
    mdev_attach: () => k.mdevAttach(a[0], a[1], a[2], a[3]),
    mdev_detach: () => k.mdevDetach(a[0], a[1], a[2]),
    kvm_set_ioasid_fd: () => k.kvmSetIoasidFd(a[0], a[1], a[2]),
    kvm_enable_enqcmd: () => k.kvmEnableEnqcmd(a[0], a[1]),
    kvm_map_pasid: () => k.kvmMapPasid(a[0], a[1], a[2], a[3]),
    kvm_unmap_pasid: () => k.kvmUnmapPasid(a[0], a[1], a[2]),
    vm_destroy: () => k.vmDestroy(a[0], a[1]),
    exit: () => k.exit(a[0]),
    dma: () => k.dma(a[0], a[1]),
    enqcmd: () => k.enqcmd(a[0], a[1], a[2]),
    swq_exec: () => k.swqExec(a[0]),
    sva_bind: () => k.svaBind(a[0], a[1]),
    sva_unbind: () => k.svaUnbind(a[0], a[1]),
    sva_submit: () => k.svaSubmit(a[0], a[1]),
    exit_files: () => k.exitFiles(a[0]),
  };
  return resultString(fns[action]());
}

/** `"alloc 1 1"` is alloc(proc 1, fd 1). */
export function parseStep(line: string): [StepName, number[]] {
  const [name = '', ...args] = line.trim().split(/\s+/);
  if (!isStep(name)) throw new Error(`unknown action ${name}`);
  if (args.length !== STEPS[name].length) throw new Error(`${line}: wants ${STEPS[name].join(', ')}`);
  return [name, args.map(Number)];
}

/** `"open 1; alloc 1 1"` */
export function parseScript(steps: string): Array<[StepName, number[]]> {
  return steps.split(';').filter((s) => s.trim() !== '').map(parseStep);
}

export function step(k: IoasidKernel, line: string): string {
  return call(k, ...parseStep(line));
}

/** Runs each step of a script; returns their results. */
export function script(k: IoasidKernel, steps: string): string[] {
  return parseScript(steps).map(([name, args]) => call(k, name, args));
}

/** A kernel on `topology` after `setup`, every setup ioctl having succeeded. */
export function boot(topology: KernelTopology, setup = '', params: Partial<KernelParams> = {}): IoasidKernel {
  const k = new IoasidKernel(topology, params);
  for (const [name, args] of parseScript(setup)) {
    const result = call(k, name, args);
    if (result.startsWith('-')) throw new Error(`setup step "${name} ${args.join(' ')}" failed: ${result}`);
  }
  return k;
}

/**
 * A table row: `setup` ioctls must succeed; each step of `steps` is
 * `action args = result`. A step failing with an errno must leave debugfs
 * unchanged, and so must every `dma` (a DMA changes no kernel state).
 */
export interface Case {
  readonly name: string;
  readonly topology?: KernelTopology;
  readonly setup?: string;
  readonly steps: string;
  /** module parameters (default: all off) */
  readonly params?: Partial<KernelParams>;
}

export function runCase(c: Case): void {
  const k = boot(c.topology ?? DEFAULT, c.setup ?? '', c.params);
  for (const line of c.steps.split(';')) {
    const [action = '', expected = ''] = line.split('=').map((s) => s.trim());
    const before = k.debugfs();
    const got = step(k, action);
    expect(`${action} = ${got}`).toBe(`${action} = ${expected}`);
    if (got.startsWith('-') || action.startsWith('dma')) expect(k.debugfs()).toEqual(before);
  }
}

/** Registers one vitest case per row. */
export function table(title: string, cases: readonly Case[]): void {
  describe(title, () => {
    for (const c of cases) it(c.name, () => runCase(c));
  });
}

import { VARIANTS } from '../../model/variants';
/**
 * The refinement mapping (kernel debugfs -> model State) and the adapter
 * (model Action -> kernel call -> result string), on hand-made histories.
 */
import { describe, expect, it } from 'vitest';
import { type Action, type ActionType, PRESETS, type State, initialState, makeAction, step } from '../../model/index';
import { abstractKernel } from '../../src/conformance/abstraction';
import { runOnKernel } from '../../src/conformance/adapter';
import { normalize } from '../../src/conformance/normalize';
import { IoasidKernel } from '../../src/kernel/index';

const scope = PRESETS.default;
const A = (type: ActionType, ...args: number[]): Action => makeAction(type, args);

/** Runs `actions` on a fresh kernel and on the reference model; returns both sides and the kernel's results. */
function both(actions: readonly Action[]): { k: IoasidKernel; s: State; results: string[] } {
  const k = new IoasidKernel(scope);
  let s = initialState(scope);
  const results = actions.map((a) => {
    s = step(scope, VARIANTS['reference'].rules, s, a).state;
    return runOnKernel(k, a);
  });
  return { k, s, results };
}

describe('runOnKernel', () => {
  it('returns the result strings of DESIGN.md §3 for every kind of outcome', () => {
    const { results } = both([
      A('open', 1), A('open', 1), A('alloc', 1, 1), A('alloc', 1, 1), A('close', 1, 2), A('attach', 1, 1, 1, 1),
      A('dma', 1, 1), A('dma', 1, 2), A('dma', 2, 1), A('mdev_allow_pasid', 1, 1, 1), A('mdev_attach', 1, 1, 1, 1),
      A('kvm_set_ioasid_fd', 1, 1, 1), A('kvm_enable_enqcmd', 1, 1), A('kvm_map_pasid', 1, 1, 1, 1),
      A('enqcmd', 1, 1, 1), A('enqcmd', 1, 1, 1), A('swq_exec', 2), A('swq_exec', 2), A('destroy', 1, 1, 1), A('dma', 1, 1),
      A('kvm_unmap_pasid', 1, 1, 1), A('mdev_detach', 1, 1, 1), A('detach', 1, 1, 1), A('vm_destroy', 1, 1), A('exit', 2), A('exit', 1),
      A('deliver'),
    ]);
    expect(results).toEqual([
      '1', '-EMFILE', '1', '-EDQUOT', '-EBADF', '0',
      'ok:1', 'fault', 'fault', '0', '0',
      '0', '0', '0',
      'queued', 'retry', 'ok:1', 'idle', '0', 'blocked',
      '0', '0', '0', '0', '0', '0',
      'idle',
    ]);
  });

  it('passes each argument in its place (a permuted call would fail differently)', () => {
    const { results } = both([A('open', 2), A('alloc', 2, 1), A('open', 1), A('alloc', 1, 1), A('attach', 1, 1, 1, 2), A('detach', 1, 1, 2), A('attach', 2, 1, 1, 1)]);
    expect(results).toEqual(['1', '1', '1', '1', '-ENOENT', '-ENOENT', '-EPERM']);
  });
});

describe('abstractKernel', () => {
  it('maps every kind of object, with the ghost bits the reference design guarantees', () => {
    const { k } = both([
      A('open', 1), A('alloc', 1, 1), A('attach', 1, 1, 1, 1), A('mdev_allow_pasid', 1, 1, 1), A('mdev_attach', 1, 1, 1, 1),
      A('kvm_set_ioasid_fd', 1, 1, 1), A('kvm_enable_enqcmd', 1, 1), A('kvm_map_pasid', 1, 1, 1, 1), A('enqcmd', 1, 1, 1),
      A('close', 1, 1),
    ]);
    const s = abstractKernel(scope, k.debugfs());
    expect(s).toEqual({
      alive: [true, true],
      files: [{ proc: 1, fd: 0 }],
      ioasids: [{ file: 1, handle: 0, pasid: 1, blocked: true, users: 3 }],
      free: 1 << 2,
      tables: [[{ pasid: 1, ioasid: 1, mdev: 0, allowed: true }], [{ pasid: 1, ioasid: 1, mdev: 1, allowed: true }]],
      queues: [[], [{ issuer: 1, pasid: 1 }]],
      allowed: [1, 0],
      vms: [
        { alive: true, presented: 1, enabled: true, entries: [{ vpasid: 1, ioasid: 1, pasid: 1, explicit: true }] },
        { alive: true, presented: 0, enabled: false, entries: [] },
      ],
      notifications: [],
    });
  });

  it('keeps the kernel ids (allocation counters); normalized, they match the model slots', () => {
    const churn = Array.from({ length: 4 }, () => [A('open', 1), A('alloc', 1, 1), A('close', 1, 1)]).flat();
    const { k, s } = both([...churn, A('open', 2), A('open', 1), A('alloc', 1, 1), A('alloc', 2, 1)]);
    const a = abstractKernel(scope, k.debugfs());
    expect(a.files.filter((f) => f !== null)).toHaveLength(2);
    expect(a.files.length).toBeGreaterThan(2);
    expect(s.files).toHaveLength(2);
    expect(normalize(a)).toEqual(normalize(s));
  });

  it('shows exited processes and destroyed VMs as gone', () => {
    const { k } = both([A('vm_destroy', 2, 2), A('exit', 1)]);
    const a = abstractKernel(scope, k.debugfs());
    expect(a.alive).toEqual([false, true]);
    expect(a.vms.map((v) => v.alive)).toEqual([false, false]);
  });

  it('leaves a device, mdev or VM the kernel does not show empty, rather than crashing', () => {
    const a = abstractKernel(scope, { procs: [], files: [], ioasids: [], freePasids: [1, 2], pdevs: [], swqs: [], mdevs: [], vms: [] });
    expect(a).toEqual({ ...initialState(scope), alive: [false, false], vms: initialState(scope).vms.map((v) => ({ ...v, alive: false })) });
  });
});

/**
 * The model and the kernel agree on any argument at all, not only on the
 * integers a trace can carry: non-integer numbers, strings, bigints, objects.
 * At the `rich` scope every index space has room above 1, so a value like 1.5
 * lies between two valid indices (at `default` it would be out of range for
 * another reason). Every call with garbage in one argument must give the
 * model's result and leave both states equal.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_ARGS, ACTION_TYPES, type Action, type ActionType } from '../../model/index';
import { divergence, lockstep, startLockstep } from '../../src/conformance/lockstep';
import { mbtScope } from '../mbt/scopes';

const GARBAGE: readonly unknown[] = [
  1.5, 0.5, 2.000001, NaN, Infinity, -Infinity, -0, 2 ** 53, -(2 ** 53), '1', '2', '', 1n, 2n, null, undefined, true,
  [], [1], { valueOf: () => 1 }, Object(1), Symbol('1'), () => 1,
];

const scope = mbtScope('rich').scope;
const A = (type: ActionType, args: readonly unknown[]): Action => {
  const a: Record<string, unknown> = { type };
  (ACTION_ARGS[type] as readonly string[]).forEach((n, i) => (a[n] = args[i]));
  return a as unknown as Action;
};

/** Every holder in place, both fds of process 1 open, vpasid 1 mapped and 2 free. */
const SETUP: Action[] = [
  A('open', [1]), A('open', [1]), A('alloc', [1, 1]), A('alloc', [1, 1]), A('attach', [1, 1, 1, 1]), A('mdev_allow_pasid', [1, 1, 1]),
  A('mdev_attach', [1, 1, 1, 1]), A('kvm_set_ioasid_fd', [1, 1, 1]), A('kvm_enable_enqcmd', [1, 1]), A('kvm_map_pasid', [1, 1, 1, 1]),
  A('enqcmd', [1, 1, 1]), A('open', [2]), A('alloc', [2, 1]),
];

/** Arguments that reach each call's own checks in the SETUP state. */
const VALID: Record<ActionType, readonly number[]> = {
  open: [1], close: [1, 2], alloc: [1, 2], destroy: [1, 1, 2], attach: [1, 1, 1, 2], detach: [1, 1, 1],
  mdev_allow_pasid: [1, 3, 2], mdev_attach: [1, 1, 1, 2], mdev_detach: [1, 1, 1],
  kvm_set_ioasid_fd: [1, 1, 1], kvm_enable_enqcmd: [1, 1], kvm_map_pasid: [1, 1, 2, 2], kvm_unmap_pasid: [1, 1, 1],
  vm_destroy: [1, 1], exit: [1], dma: [1, 1], enqcmd: [1, 1, 1], swq_exec: [2], deliver: [],
};

function ready() {
  const ls = startLockstep(scope);
  for (const a of SETUP) expect(divergence(lockstep(ls, a))).toBeNull();
  return ls;
}

describe.each(ACTION_TYPES.filter((t) => ACTION_ARGS[t].length > 0))('%s with garbage', (type) => {
  it.each(ACTION_ARGS[type].map((n, i) => [n, i] as const))('in %s: the kernel does what the model does', (_name, pos) => {
    const ls = ready();
    for (const g of GARBAGE) {
      const r = lockstep(ls, A(type, VALID[type].map((v, i) => (i === pos ? g : v))));
      expect(`${String(g)}: ${divergence(r) ?? r.kernel}`).toMatch(new RegExp(`^${String(g).replace(/[^\w]/g, '.')}: (-E[A-Z]+|fault|idle)$`));
    }
  });
});

describe('the valid arguments', () => {
  it('reach each call, so that the argument replaced by garbage is the one that decides', () => {
    const results = ACTION_TYPES.map((t) => {
      const ls = ready();
      return [t, lockstep(ls, A(t, VALID[t])).kernel];
    });
    expect(Object.fromEntries(results)).toEqual({
      open: '-EMFILE', close: '0', alloc: '-ENOSPC', destroy: '0', attach: '0', detach: '0',
      mdev_allow_pasid: '0', mdev_attach: '0', mdev_detach: '0',
      kvm_set_ioasid_fd: '0', kvm_enable_enqcmd: '0', kvm_map_pasid: '0', kvm_unmap_pasid: '0',
      vm_destroy: '0', exit: '0', dma: 'ok:1', enqcmd: 'queued', swq_exec: 'ok:1', deliver: 'idle',
    });
  });
});

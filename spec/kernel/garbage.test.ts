/*
 * "Every ioctl comes from unreliable user space": garbage in every argument
 * of every call gets the errno an out-of-range number gets at that position
 * (or the documented fault/idle), never throws, and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, boot, call, DEFAULT, type ActionName } from './harness';

const hostile = new Proxy({}, {
  get: () => { throw new Error('trap'); },
  has: () => { throw new Error('trap'); },
  getPrototypeOf: () => { throw new Error('trap'); },
  ownKeys: () => { throw new Error('trap'); },
});

const GARBAGE: ReadonlyArray<[string, unknown]> = [
  ['"1"', '1'], ['""', ''], ['"x"', 'x'], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity],
  ['-1', -1], ['0', 0], ['-0', -0], ['1.5', 1.5], ['0.999', 0.999], ['2**53', 2 ** 53], ['2**60', 2 ** 60],
  ['-(2**53)', -(2 ** 53)], ['1e308', 1e308], ['undefined', undefined], ['null', null], ['true', true], ['1n', 1n],
  ['{}', {}], ['[]', []], ['[1]', [1]], ['{valueOf: 1}', { valueOf: () => 1 }], ['{toString: "1"}', { toString: () => '1' }],
  ['new Number(1)', Object(1)], ['Symbol', Symbol('1')], ['function', () => 1], ['Object.create(null)', Object.create(null)],
  ['a throwing getter', { get id(): number { throw new Error('getter'); } }], ['a hostile proxy', hostile],
];

/** Every holder in place, so each argument of each call is the one that decides. */
const RICH = 'open 1; alloc 1 1; attach 1 1 1 1; mdev_allow_pasid 1 1 1; mdev_attach 1 1 1 1; '
  + 'kvm_set_ioasid_fd 1 1 1; kvm_enable_enqcmd 1 1; kvm_map_pasid 1 1 1 1; enqcmd 1 1 1; open 2';

/** Arguments valid at every position in RICH (the call may still fail later, on its own errors). */
const VALID: Record<ActionName, readonly number[]> = {
  open: [1], close: [1, 1], alloc: [1, 1], destroy: [1, 1, 1], attach: [1, 1, 1, 1], detach: [1, 1, 1],
  mdev_allow_pasid: [1, 1, 1], mdev_attach: [1, 1, 1, 1], mdev_detach: [1, 1, 1],
  kvm_set_ioasid_fd: [1, 1, 1], kvm_enable_enqcmd: [1, 1], kvm_map_pasid: [1, 1, 1, 1], kvm_unmap_pasid: [1, 1, 1],
  vm_destroy: [1, 1], exit: [1], dma: [1, 1], enqcmd: [1, 1, 1], swq_exec: [2],
};

/** What a call may return when it refused to act. */
const REFUSED = /^(-E[A-Z]+|fault|idle)$/;

function attempt(action: ActionName, args: readonly unknown[]): { result: string; changed: boolean } {
  const k = boot(DEFAULT, RICH);
  const before = k.debugfs();
  const result = call(k, action, args);
  return { result, changed: JSON.stringify(k.debugfs()) !== JSON.stringify(before) };
}

describe('garbage arguments', () => {
  for (const action of ACTION_NAMES) {
    VALID[action].forEach((_, pos) => {
      it(`${action}, argument ${pos + 1}: like an out-of-range number, and nothing changes`, () => {
        const at = (v: unknown): unknown[] => VALID[action].map((a, i) => (i === pos ? v : a));
        const outOfRange = attempt(action, at(99));
        expect(outOfRange.result).toMatch(REFUSED);
        expect(outOfRange.changed).toBe(false);
        // The argument decided: with it valid, the call gets further.
        expect(outOfRange.result).not.toBe(attempt(action, VALID[action]).result);
        expect(attempt(action, at(0)).result).toBe(outOfRange.result);
        for (const [label, value] of GARBAGE) {
          const got = attempt(action, at(value));
          expect({ label, ...got }).toEqual({ label, result: outOfRange.result, changed: false });
        }
      });
    });

    it(`${action}: garbage everywhere, and no arguments at all`, () => {
      for (const [label, value] of GARBAGE) {
        const got = attempt(action, VALID[action].map(() => value));
        expect(got.result, label).toMatch(REFUSED);
        expect(got.changed, label).toBe(false);
      }
      expect(attempt(action, []).result).toMatch(REFUSED);
    });
  }

  it('the valid arguments reach each call\'s own checks', () => {
    const valid = Object.fromEntries(ACTION_NAMES.map((a) => [a, attempt(a, VALID[a]).result]));
    expect(valid).toEqual({
      open: '-EMFILE', close: '0', alloc: '-EDQUOT', destroy: '0', attach: '-EEXIST', detach: '0',
      mdev_allow_pasid: '0', mdev_attach: '-EEXIST', mdev_detach: '0',
      kvm_set_ioasid_fd: '0', kvm_enable_enqcmd: '0', kvm_map_pasid: '-EEXIST', kvm_unmap_pasid: '0',
      vm_destroy: '0', exit: '0', dma: 'ok:1', enqcmd: 'retry', swq_exec: 'ok:1',
    });
  });
});

/**
 * DESIGN.md §3 common checks: every argument out of range (0, -1, n+1, 1.5,
 * NaN) gets its documented errno or event outcome, from a state in which the
 * in-range call succeeds; and the common checks come in their order
 * (-ESRCH, -EPERM, -EBADF, then the action's own).
 */
import { describe, expect, it } from 'vitest';
import { ACTION_ARGS, type ActionType, type ArgName, type Scope } from '../../model/index';
import { type Call, Machine, ROOMY, argsOf, isErrno, mappedVm, opened } from './harness';

/** A state of ROOMY from which every in-range call below succeeds. */
function base(): Machine {
  return mappedVm(
    opened(new Machine(ROOMY)).run(
      { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '2' },
      { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 1 }, gives: '0' },
      { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0' },
      { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 1 }, gives: '0' },
    ),
  ).run({ call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued' });
}

const bound = (scope: Scope, arg: ArgName): number =>
  ({
    proc: scope.procs, fd: scope.fdsPerProc, ioasid: scope.quota, pasid: scope.pasids, vpasid: scope.vpasids,
    dev: scope.devices.length, mdev: scope.mdevs.length, vm: scope.vms.length,
  })[arg];

/** A call with in-range arguments, its success result, and the outcome when each argument alone is out of range. */
type Row = Call & { readonly call: ActionType; readonly outOfRange: Readonly<Record<string, string>> };

const ROWS: readonly Row[] = [
  { call: 'open', args: { proc: 1 }, gives: '2', outOfRange: { proc: '-ESRCH' } },
  { call: 'close', args: { proc: 1, fd: 1 }, gives: '0', outOfRange: { proc: '-ESRCH', fd: '-EBADF' } },
  { call: 'alloc', args: { proc: 1, fd: 1 }, gives: '3', outOfRange: { proc: '-ESRCH', fd: '-EBADF' } },
  { call: 'destroy', args: { proc: 1, fd: 1, ioasid: 1 }, gives: '0', outOfRange: { proc: '-ESRCH', fd: '-EBADF', ioasid: '-ENOENT' } },
  { call: 'attach', args: { proc: 1, dev: 1, fd: 1, ioasid: 2 }, gives: '0', outOfRange: { proc: '-ESRCH', dev: '-EPERM', fd: '-EBADF', ioasid: '-ENOENT' } },
  { call: 'detach', args: { proc: 1, dev: 1, pasid: 1 }, gives: '0', outOfRange: { proc: '-ESRCH', dev: '-EPERM', pasid: '-ENOENT' } },
  { call: 'mdev_allow_pasid', args: { proc: 1, mdev: 1, fd: 1 }, gives: '0', outOfRange: { proc: '-ESRCH', mdev: '-EPERM', fd: '-EBADF' } },
  { call: 'mdev_attach', args: { proc: 1, mdev: 1, fd: 1, ioasid: 2 }, gives: '0', outOfRange: { proc: '-ESRCH', mdev: '-EPERM', fd: '-EBADF', ioasid: '-ENOENT' } },
  { call: 'mdev_detach', args: { proc: 1, mdev: 1, pasid: 1 }, gives: '0', outOfRange: { proc: '-ESRCH', mdev: '-EPERM', pasid: '-ENOENT' } },
  { call: 'kvm_set_ioasid_fd', args: { proc: 1, vm: 1, fd: 1 }, gives: '0', outOfRange: { proc: '-ESRCH', vm: '-EPERM', fd: '-EBADF' } },
  { call: 'kvm_enable_enqcmd', args: { proc: 1, vm: 1 }, gives: '0', outOfRange: { proc: '-ESRCH', vm: '-EPERM' } },
  { call: 'kvm_map_pasid', args: { proc: 1, vm: 1, vpasid: 2, ioasid: 2 }, gives: '0', outOfRange: { proc: '-ESRCH', vm: '-EPERM', vpasid: '-ENOENT', ioasid: '-ENOENT' } },
  { call: 'kvm_unmap_pasid', args: { proc: 1, vm: 1, vpasid: 1 }, gives: '0', outOfRange: { proc: '-ESRCH', vm: '-EPERM', vpasid: '-ENOENT' } },
  { call: 'vm_destroy', args: { proc: 1, vm: 1 }, gives: '0', outOfRange: { proc: '-ESRCH', vm: '-EPERM' } },
  { call: 'exit', args: { proc: 1 }, gives: '0', outOfRange: { proc: '-ESRCH' } },
  { call: 'dma', args: { dev: 1, pasid: 1 }, gives: 'ok:1', outOfRange: { dev: 'fault', pasid: 'fault' } },
  { call: 'enqcmd', args: { vm: 1, mdev: 1, vpasid: 1 }, gives: 'queued', outOfRange: { vm: 'fault', mdev: 'fault', vpasid: 'fault' } },
  { call: 'swq_exec', args: { dev: 2 }, gives: 'ok:1', outOfRange: { dev: 'idle' } },
];

describe('out-of-range arguments', () => {
  it('the table covers every action but deliver', () => {
    expect(ROWS.map((r) => r.call).sort()).toEqual(Object.keys(ACTION_ARGS).filter((t) => t !== 'deliver').sort());
  });

  describe.each(ROWS)('$call', (row) => {
    const type = row.call;
    const args = argsOf(row);
    it(`in range: ${row.gives}`, () => {
      expect(base().peek(type, args).result).toBe(row.gives);
    });
    const names = ACTION_ARGS[type] as readonly ArgName[];
    it('names the outcome of every argument', () => expect(Object.keys(row.outOfRange)).toEqual(names));
    it.each(names.map((n, i) => [n, i, row.outOfRange[n]!] as const))('%s out of range: %s', (name, i, want) => {
      const m = base();
      const n = bound(m.scope, name);
      for (const bad of [0, -1, n + 1, 1.5, Number.NaN]) {
        const bent = args.map((v, j) => (j === i ? bad : v));
        if (isErrno(want)) m.refuse(want, type, ...bent);
        else m.observe(want, type, ...bent);
      }
    });
  });
});

describe('common checks come in order', () => {
  /** [action, args, expected]: each case has a later error applying as well. */
  const cases: readonly (readonly [string, ActionType, readonly number[], string])[] = [
    // exited process (-ESRCH) with a foreign device / VM and a closed fd
    ['attach: -ESRCH before -EPERM', 'attach', [1, 2, 2, 9], '-ESRCH'],
    ['detach: -ESRCH before -EPERM', 'detach', [1, 2, 1], '-ESRCH'],
    ['mdev_allow_pasid: -ESRCH before -EPERM', 'mdev_allow_pasid', [1, 2, 2], '-ESRCH'],
    ['mdev_attach: -ESRCH before -EPERM', 'mdev_attach', [1, 2, 2, 9], '-ESRCH'],
    ['mdev_detach: -ESRCH before -EPERM', 'mdev_detach', [1, 2, 1], '-ESRCH'],
    ['kvm_set_ioasid_fd: -ESRCH before -EPERM', 'kvm_set_ioasid_fd', [1, 2, 2], '-ESRCH'],
    ['kvm_enable_enqcmd: -ESRCH before -EPERM', 'kvm_enable_enqcmd', [1, 2], '-ESRCH'],
    ['kvm_map_pasid: -ESRCH before -EPERM', 'kvm_map_pasid', [1, 2, 9, 9], '-ESRCH'],
    ['kvm_unmap_pasid: -ESRCH before -EPERM', 'kvm_unmap_pasid', [1, 2, 9], '-ESRCH'],
    ['vm_destroy: -ESRCH before -EPERM', 'vm_destroy', [1, 2], '-ESRCH'],
    ['close: -ESRCH before -EBADF', 'close', [1, 2], '-ESRCH'],
    ['alloc: -ESRCH before -EBADF', 'alloc', [1, 2], '-ESRCH'],
    ['destroy: -ESRCH before -EBADF', 'destroy', [1, 2, 9], '-ESRCH'],
    ['exit: -ESRCH', 'exit', [1], '-ESRCH'],
  ];
  it.each(cases)('%s (process 1 has exited, or out of range)', (_name, type, args, want) => {
    const m = base().run({ call: 'open', args: { proc: 2 }, gives: '1' }, { call: 'exit', args: { proc: 1 }, gives: '0' });
    m.refuse(want, type, ...args);
    for (const proc of [0, 3]) m.refuse(want, type, proc, ...args.slice(1)); // out of range likewise
  });

  const live: readonly (readonly [string, ActionType, readonly number[], string])[] = [
    ['attach: a swq is -EPERM before -EBADF', 'attach', [1, 2, 2, 9], '-EPERM'],
    ['attach: another process\'s pdev', 'attach', [2, 1, 1, 1], '-EPERM'],
    ['detach: a swq is -EPERM before -ENOENT', 'detach', [1, 2, 1], '-EPERM'],
    ['mdev_allow_pasid: -EPERM before -EBADF', 'mdev_allow_pasid', [1, 2, 2], '-EPERM'],
    ['mdev_attach: -EPERM (owner) before -EBADF', 'mdev_attach', [1, 2, 2, 9], '-EPERM'],
    ['mdev_detach: -EPERM before -ENOENT', 'mdev_detach', [2, 1, 1], '-EPERM'],
    ['kvm_set_ioasid_fd: -EPERM before -EBADF', 'kvm_set_ioasid_fd', [1, 2, 2], '-EPERM'],
    ['kvm_enable_enqcmd: -EPERM before -EINVAL', 'kvm_enable_enqcmd', [1, 2], '-EPERM'],
    ['kvm_map_pasid: -EPERM before -EINVAL', 'kvm_map_pasid', [1, 2, 1, 1], '-EPERM'],
    ['kvm_unmap_pasid: -EPERM before -ENOENT', 'kvm_unmap_pasid', [2, 1, 1], '-EPERM'],
    ['vm_destroy: another process\'s VM', 'vm_destroy', [2, 1], '-EPERM'],
    ['attach: -EBADF before -ENOENT', 'attach', [1, 1, 2, 9], '-EBADF'],
    ['destroy: -EBADF before -ENOENT', 'destroy', [1, 2, 9], '-EBADF'],
    ['mdev_attach: -EBADF before -EPERM (not allowed)', 'mdev_attach', [1, 1, 2, 9], '-EBADF'],
  ];
  it.each(live)('%s', (_name, type, args, want) => {
    base().refuse(want, type, ...args);
  });

  it('-EBADF before -EBUSY (mdev_allow_pasid, kvm_set_ioasid_fd): a closed fd 2', () => {
    const m = base();
    m.refuse('-EBADF', 'mdev_allow_pasid', 1, 1, 2);
    m.refuse('-EBADF', 'kvm_set_ioasid_fd', 1, 1, 2);
    m.run({ call: 'open', args: { proc: 1 }, gives: '2' });
    m.refuse('-EBUSY', 'mdev_allow_pasid', 1, 1, 2);
    m.refuse('-EBUSY', 'kvm_set_ioasid_fd', 1, 1, 2);
  });

  it('a destroyed VM is -EPERM for every VM call', () => {
    const m = base().run({ call: 'vm_destroy', args: { proc: 1, vm: 1 }, gives: '0' });
    m.refuse('-EPERM', 'kvm_set_ioasid_fd', 1, 1, 1);
    m.refuse('-EPERM', 'kvm_enable_enqcmd', 1, 1);
    m.refuse('-EPERM', 'kvm_map_pasid', 1, 1, 1, 1);
    m.refuse('-EPERM', 'kvm_unmap_pasid', 1, 1, 1);
    m.refuse('-EPERM', 'vm_destroy', 1, 1);
  });
});

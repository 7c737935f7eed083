import { VARIANTS } from '../../model/variants';
/**
 * The lockstep comparison behind the model-based tests and `replay`: each
 * kind of divergence is reported (results, states, ghost bits, invariants on
 * the kernel side, kernel bookkeeping, a kernel throw), and a clean step is
 * not.
 */
import { describe, expect, it } from 'vitest';
import { type Action, type ActionType, PRESETS, type State, makeAction } from '../../model/index';
import { kernelBookkeeping } from '../../src/conformance/bookkeeping';
import { compareStates, divergence, kernelInvariants, lockstep, startLockstep } from '../../src/conformance/lockstep';
import { IoasidKernel, type KernelSnapshot } from '../../src/kernel/index';

const scope = PRESETS.default;
const A = (type: ActionType, ...args: number[]): Action => makeAction(type, args);
const SETUP = [A('open', 1), A('alloc', 1, 1), A('mdev_allow_pasid', 1, 1, 1), A('mdev_attach', 1, 1, 1, 1), A('kvm_set_ioasid_fd', 1, 1, 1), A('kvm_enable_enqcmd', 1, 1), A('kvm_map_pasid', 1, 1, 1, 1)];

function ready() {
  const ls = startLockstep(scope);
  for (const a of SETUP) expect(divergence(lockstep(ls, a))).toBeNull();
  return ls;
}

describe('lockstep', () => {
  it('a conforming history has no divergence at any step', () => {
    const ls = ready();
    for (const a of [A('enqcmd', 1, 1, 1), A('exit', 1), A('swq_exec', 2), A('open', 2)]) expect(divergence(lockstep(ls, a))).toBeNull();
    expect(ls.steps).toBe(SETUP.length + 4);
  });

  it('reports different results', () => {
    const ls = startLockstep(scope, VARIANTS['implicit-mdev-pasid'].rules);
    for (const a of [A('open', 1), A('alloc', 1, 1)]) lockstep(ls, a);
    const r = lockstep(ls, A('mdev_attach', 1, 1, 1, 1));
    expect([r.model, r.kernel]).toEqual(['0', '-EPERM']);
    expect(divergence(r)).toBe('results differ: model 0, kernel -EPERM');
  });

  it('reports different states when the results agree', () => {
    const ls = startLockstep(scope, VARIANTS['no-dma-block'].rules);
    for (const a of [A('open', 1), A('alloc', 1, 1), A('attach', 1, 1, 1, 1)]) lockstep(ls, a);
    const r = lockstep(ls, A('destroy', 1, 1, 1));
    expect([r.model, r.kernel]).toEqual(['0', '0']);
    expect(divergence(r)).toBe('states differ: ioasids[0].blocked: kernel true, model false');
  });

  it('holds the model ghost bits to true under reference', () => {
    const ls = ready();
    const s = ls.state;
    const noExplicit: State = { ...s, vms: s.vms.map((v) => ({ ...v, entries: v.entries.map((e) => ({ ...e, explicit: false })) })) };
    expect(compareStates(scope, noExplicit, ls.kernel.debugfs()).diff).toBe('vms[0].entries[0].explicit: kernel true, model false');
    const notAllowed: State = { ...s, tables: s.tables.map((t) => t.map((e) => ({ ...e, allowed: e.mdev === 0 }))) };
    expect(compareStates(scope, notAllowed, ls.kernel.debugfs()).diff).toBe('tables[1][0].allowed: kernel true, model false');
    expect(compareStates(scope, s, ls.kernel.debugfs()).diff).toBeNull();
  });

  it('reports a kernel that throws, and does not throw itself', () => {
    class Warn extends IoasidKernel {
      override swqExec(): never {
        throw new Error('WARN_ON: planted');
      }
    }
    const r = lockstep({ ...startLockstep(scope), kernel: new Warn(scope) }, A('swq_exec', 2));
    expect(r.crash).toBe('WARN_ON: planted');
    expect(divergence(r)).toBe('the kernel threw: WARN_ON: planted');
  });

  it('counts an invariant that cannot even be read on a broken kernel state as violated', () => {
    const s = ready().state;
    const dangling: State = { ...s, tables: [[{ pasid: 1, ioasid: 9, mdev: 0, allowed: true }], s.tables[1]!] };
    expect(kernelInvariants(scope, dangling)).toEqual(expect.arrayContaining(['refcount-exact', 'destroyed-blocks-dma', 'no-cross-tenant-dma']));
    expect(kernelInvariants(scope, s)).toEqual([]);
  });

  it('orders its reasons: crash, results, states, kernel invariants, model invariants, bookkeeping', () => {
    const ok = lockstep(startLockstep(scope), A('open', 1));
    expect(divergence({ ...ok, kernelViolated: ['quota'] })).toBe('the abstracted kernel state violates quota');
    expect(divergence({ ...ok, violated: ['no-leak'] })).toBe('the model state violates no-leak');
    expect(divergence({ ...ok, bookkeeping: ['file 1: users 2, holders 1'] })).toBe('kernel bookkeeping: file 1: users 2, holders 1');
  });
});

describe('kernelBookkeeping', () => {
  const snap = (): KernelSnapshot => {
    const ls = ready();
    lockstep(ls, A('open', 2));
    return ls.kernel.debugfs();
  };

  it('finds nothing wrong with a real kernel', () => {
    expect(kernelBookkeeping(snap())).toEqual([]);
  });

  it.each([
    ['a file users count', (k: KernelSnapshot) => ({ ...k, files: k.files.map((f) => ({ ...f, users: f.users + 1 })) }), /users \d+, holders/],
    ['a quota counter', (k: KernelSnapshot) => ({ ...k, files: k.files.map((f) => ({ ...f, charged: f.charged + 1 })) }), /charged 2, but 1/],
    ['an open file missing from its fd table', (k: KernelSnapshot) => ({ ...k, procs: k.procs.map((p) => ({ ...p, fds: [] })) }), /not in proc 1's fd table/],
    ['an fd naming a file not open there', (k: KernelSnapshot) => ({ ...k, procs: k.procs.map((p) => ({ ...p, fds: p.fds.map((x) => ({ ...x, file: 99 })) })) }), /names file 99/],
    ['an exited process with fds', (k: KernelSnapshot) => ({ ...k, procs: k.procs.map((p) => ({ ...p, alive: false })) }), /exited with open fds/],
    ['a destroyed IOASID with a handle', (k: KernelSnapshot) => ({ ...k, ioasids: k.ioasids.map((i) => ({ ...i, destroyed: true })) }), /destroyed true but handle 1/],
    ['a destroyed IOASID not blocked', (k: KernelSnapshot) => ({ ...k, ioasids: k.ioasids.map((i) => ({ ...i, destroyed: true, handle: null })) }), /destroyed but not blocked/],
    ['a file shown with no users', (k: KernelSnapshot) => ({ ...k, files: [...k.files, { id: 9, proc: 1, fd: null, users: 0, charged: 0 }] }), /shown with 0 users/],
  ])('finds %s that is wrong', (_name, doctor, message) => {
    expect(kernelBookkeeping(doctor(snap())).join('\n')).toMatch(message);
  });
});

/*
 * fast-check arbitraries for random call sequences on a topology. Arguments
 * are coherent most of the time (a process names its own devices, mdevs and
 * VMs; a guest submits through its own mdev) so that runs get deep: both
 * authorizations, queued descriptors, parked PASIDs, drains. The rest of the
 * time they are any id of the topology or just out of range.
 */
import fc from 'fast-check';
import type { KernelTopology } from '../../src/kernel';
import { ACTION_NAMES, ACTIONS, type ActionName } from './harness';

/** Building calls often, teardown rarely (exit and vm_destroy end a VM for good). */
const WEIGHT: Record<ActionName, number> = {
  open: 30, close: 6, alloc: 30, destroy: 10, attach: 30, detach: 10,
  mdev_allow_pasid: 30, mdev_attach: 30, mdev_detach: 10,
  kvm_set_ioasid_fd: 30, kvm_enable_enqcmd: 30, kvm_map_pasid: 30, kvm_unmap_pasid: 10, vm_destroy: 1, exit: 1,
  dma: 20, enqcmd: 40, swq_exec: 30,
};

function pick(likely: readonly number[], any: readonly number[], outOfRange: readonly number[]): fc.Arbitrary<number> {
  const arms = [
    { weight: 12, arbitrary: likely },
    { weight: 2, arbitrary: any },
    { weight: 1, arbitrary: outOfRange },
  ].filter((a) => a.arbitrary.length > 0);
  return fc.oneof(...arms.map((a) => ({ weight: a.weight, arbitrary: fc.constantFrom(...a.arbitrary) })));
}

const range = (max: number): number[] => Array.from({ length: max }, (_, i) => i + 1);

/** For an ioctl `proc` is the caller; for a guest event (no proc argument) `vm` is the guest. */
function argFor(t: KernelTopology, name: string, proc: number | null, vm: number): fc.Arbitrary<number> {
  const pdevs = t.devices.filter((d) => d.kind === 'pdev');
  const devs = t.devices.map((d) => d.id);
  switch (name) {
    case 'dev':
      return pick(pdevs.filter((d) => d.owner === proc).map((d) => d.id), devs, [0, 99]);
    case 'mdev':
      return pick(t.mdevs.filter((m) => (proc === null ? m.vm === vm : m.owner === proc)).map((m) => m.id), t.mdevs.map((m) => m.id), [0, 99]);
    case 'vm':
      return pick(t.vms.filter((v) => (proc === null ? v.id === vm : v.owner === proc)).map((v) => v.id), t.vms.map((v) => v.id), [0, 99]);
    default: {
      const max = { proc: t.procs, fd: t.fdsPerProc, ioasid: t.quota, pasid: t.pasids, vpasid: t.vpasids }[name] ?? 1;
      return pick(range(max), [], [0, max + 1]);
    }
  }
}

export function commands(t: KernelTopology): fc.Arbitrary<Array<[ActionName, number[]]>> {
  const vms = t.vms.map((v) => v.id);
  const command = fc.oneof(
    ...ACTION_NAMES.map((name) => ({
      weight: WEIGHT[name],
      // A process for ioctls, a VM for guest events: later arguments follow it.
      arbitrary: fc.tuple(fc.integer({ min: 1, max: t.procs }), fc.constantFrom(...vms)).chain(([proc, vm]) => {
        const caller = (ACTIONS[name] as readonly string[]).includes('proc') ? proc : null;
        const args = ACTIONS[name].map((a) => (a === 'proc' ? pick([proc], [], [0, t.procs + 1]) : argFor(t, a, caller, vm)));
        return fc.tuple(fc.constant(name), fc.tuple(...args));
      }),
    })),
  );
  return fc.array(command, { minLength: 20, maxLength: 120, size: 'max' });
}

const RICH_1 = 'open 1; alloc 1 1; attach 1 1 1 1; mdev_allow_pasid 1 1 1; mdev_attach 1 1 1 1; '
  + 'kvm_set_ioasid_fd 1 1 1; kvm_enable_enqcmd 1 1; kvm_map_pasid 1 1 1 1; enqcmd 1 1 1';
const RICH_2 = `${RICH_1}; open 2; alloc 2 1; mdev_allow_pasid 2 2 1; kvm_set_ioasid_fd 2 2 1; kvm_enable_enqcmd 2 2; kvm_map_pasid 2 2 1 1`;

/**
 * A starting script: nothing, or every kind of holder already in place (for
 * DESIGN.md's default topology and those derived from it), so that random
 * teardown orders are explored as often as random build-ups.
 */
export const prefixes = fc.constantFrom('', RICH_1, RICH_2);

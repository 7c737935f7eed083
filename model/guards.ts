/**
 * The argument checks of §3 that depend on the scope alone (ranges, and who
 * owns which device, mdev and VM). They are decided before any state is read,
 * by model/step.ts on a concrete state and by proofs/symstep.ts on a symbolic
 * one: one definition, so the two cannot drift.
 */
import type { DeviceSpec, MdevSpec, Scope } from './scope';

/** x is an id in 1..n. */
export const inRange = (x: number, n: number): boolean => Number.isInteger(x) && x >= 1 && x <= n;

/** The device with id `dev`, if there is one. */
export const deviceOf = (scope: Scope, dev: number): DeviceSpec | undefined => (inRange(dev, scope.devices.length) ? scope.devices[dev - 1]! : undefined);

/** -EPERM for a pdev argument: `dev` is not a pdev of `proc`. */
export function notOwnPdev(scope: Scope, proc: number, dev: number): boolean {
  const d = deviceOf(scope, dev);
  return !d || d.kind !== 'pdev' || d.owner !== proc;
}

/** -EPERM for an mdev argument: `mdev` is not an mdev of `proc`. */
export const notOwnMdev = (scope: Scope, proc: number, mdev: number): boolean => !inRange(mdev, scope.mdevs.length) || scope.mdevs[mdev - 1]!.owner !== proc;

/** -EPERM for a VM argument, its static part: `vm` is not a VM of `proc` (whether it is alive is the state's). */
export const notOwnVm = (scope: Scope, proc: number, vm: number): boolean => !inRange(vm, scope.vms.length) || scope.vms[vm - 1]!.owner !== proc;

/** `dev` is a swq device of the scope. */
export const isSwq = (scope: Scope, dev: number): boolean => deviceOf(scope, dev)?.kind === 'swq';

/** `dev` is a pdev of the scope (a DMA's device). */
export const isPdev = (scope: Scope, dev: number): boolean => deviceOf(scope, dev)?.kind === 'pdev';

/** The mdev `mdev` assigned to VM `vm`, if both exist and it is (an ENQCMD's path); undefined: the call faults. */
export function vmMdev(scope: Scope, vm: number, mdev: number): MdevSpec | undefined {
  const m = inRange(mdev, scope.mdevs.length) ? scope.mdevs[mdev - 1]! : undefined;
  return inRange(vm, scope.vms.length) && m && m.vm === vm ? m : undefined;
}

/**
 * A call from unreliable userspace: any action, each argument drawn from
 * -1..n+2 (its range 1..n and just outside it on both sides), and now and
 * then a wild value (±2^31, 10^9).
 */
import { ACTION_ARGS, ACTION_TYPES, type Action, type Scope, makeAction } from '../../model/index';
import type { Prng } from './prng';

const WILD = [-2147483648, -7, 2147483647, 1e9];

export function arbitraryAction(rng: Prng, scope: Scope): Action {
  const type = ACTION_TYPES[rng.int(ACTION_TYPES.length)]!;
  const bound: Record<string, number> = {
    proc: scope.procs, fd: scope.fdsPerProc, ioasid: scope.quota, pasid: scope.pasids, vpasid: scope.vpasids,
    dev: scope.devices.length, mdev: scope.mdevs.length, vm: scope.vms.length,
  };
  const values = (ACTION_ARGS[type] as readonly string[]).map((n) =>
    rng.next() < 0.05 ? WILD[rng.int(WILD.length)]! : rng.between(-1, (bound[n] ?? 1) + 2),
  );
  return makeAction(type, values);
}

/**
 * Why the explorer may forget the FIFO order of `notifier-cleanup`'s pending
 * notifications, and how it turns a path found that way back into a trace.
 *
 * Every pending notification names a dead entry (one that holds a destroyed
 * IOASID) of a live process: it is queued at destroy for each entry then
 * holding the IOASID, discarded when the entry is released another way, and a
 * process's exit releases all its entries. So whatever `deliver` releases, the
 * entry's owner can release in one call of its own (detach, mdev_detach,
 * kvm_unmap_pasid), to the same effect: `deliver` releases "as its own call
 * would". Two states that differ only in the order of their notifications
 * therefore simulate each other step for step (a `deliver` on one side is
 * matched by `deliver` or by that one release on the other), and the
 * invariants do not read the order. Merging them keeps every violation and
 * every shortest length; it is not a bisimulation (`deliver` followed by a
 * `dma` can tell them apart), so a path found through a merged state may need
 * a `deliver` replaced by the release it stood for. `retrace` does that.
 */
import type { AnyAction as Action } from '../../model/actions';
import type { Scope } from '../../model/scope';
import type { Notification, State } from '../../model/state';
import { step } from '../../model/step';
import type { Rules } from '../../model/rules';

/** The owner's own call that releases the entry a notification names. */
export function releaseFor(scope: Scope, s: State, n: Notification): Action {
  if (n.holder === 'kvm') return { type: 'kvm_unmap_pasid', proc: scope.vms[n.id - 1]!.owner, vm: n.id, vpasid: n.key };
  if (n.holder === 'pdev') {
    const dev = scope.devices[n.id - 1]!;
    return { type: 'detach', proc: dev.kind === 'pdev' ? dev.owner : 0, dev: n.id, pasid: n.key };
  }
  const mdev = s.tables[n.id - 1]!.find((e) => e.pasid === n.key)?.mdev ?? 0;
  return { type: 'mdev_detach', proc: scope.mdevs[mdev - 1]?.owner ?? 0, mdev, pasid: n.key };
}

const same = (a: Notification | undefined, b: Notification | undefined): boolean =>
  !!a && !!b && a.holder === b.holder && a.id === b.id && a.key === b.key;

/**
 * Replays a path found over representatives as a trace from the initial state:
 * `reps[i]` is the representative the explorer applied `actions[i]` to. A
 * `deliver` whose representative would release another entry than the real
 * state's head becomes the owner's own release of the representative's entry.
 */
export function retrace(scope: Scope, rules: Rules, init: State, actions: readonly Action[], reps: readonly State[]): Action[] {
  const out: Action[] = [];
  let s = init;
  actions.forEach((a, i) => {
    let b = a;
    if (a.type === 'deliver') {
      const head = reps[i]!.notifications[0];
      if (head && !same(head, s.notifications[0])) b = releaseFor(scope, reps[i]!, head);
    }
    out.push(b);
    s = step(scope, rules, s, b).state;
  });
  return out;
}

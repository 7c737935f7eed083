/**
 * The actions worth trying in a scope: every action whose arguments are in
 * range and pass the static ownership checks of §3. Everything else fails a
 * static check (-ESRCH/-EPERM/-EBADF/-ENOENT for a number out of range,
 * -EPERM for a device, mdev or VM of another process or of the wrong kind) and
 * so changes no state; `dma` is a pure observation and never changes state.
 * The explorer, the simulator and the solver range over this list; a test
 * checks at `tiny` that the full argument space reaches no other state.
 */
import { ACTION_ARGS, type Action, type AnyAction, SVA_ACTION_ARGS, type SvaAction, makeAction } from './actions';
import type { Scope } from './scope';
import { type Rules, notifies } from './rules';

const ACTION_ARGS_VIEW = ACTION_ARGS as Readonly<Record<string, readonly string[]>>;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

export function candidateActions(scope: Scope, rules: Rules): Action[] {
  const out: Action[] = [];
  const procs = range(scope.procs);
  const fds = range(scope.fdsPerProc);
  const handles = range(scope.quota);
  const pasids = range(scope.pasids);
  const vpasids = range(scope.vpasids);
  for (const p of procs) {
    const pdevs = scope.devices.filter((d) => d.kind === 'pdev' && d.owner === p).map((d) => d.id);
    const mdevs = scope.mdevs.filter((m) => m.owner === p).map((m) => m.id);
    const vms = scope.vms.filter((v) => v.owner === p).map((v) => v.id);
    out.push(makeAction('open', [p]));
    for (const fd of fds) {
      out.push(makeAction('close', [p, fd]), makeAction('alloc', [p, fd]));
      for (const h of handles) out.push(makeAction('destroy', [p, fd, h]));
      for (const dev of pdevs) for (const h of handles) out.push(makeAction('attach', [p, dev, fd, h]));
      for (const m of mdevs) {
        out.push(makeAction('mdev_allow_pasid', [p, m, fd]));
        for (const h of handles) out.push(makeAction('mdev_attach', [p, m, fd, h]));
      }
      for (const vm of vms) out.push(makeAction('kvm_set_ioasid_fd', [p, vm, fd]));
    }
    for (const dev of pdevs) for (const pa of pasids) out.push(makeAction('detach', [p, dev, pa]));
    for (const m of mdevs) for (const pa of pasids) out.push(makeAction('mdev_detach', [p, m, pa]));
    for (const vm of vms) {
      out.push(makeAction('kvm_enable_enqcmd', [p, vm]));
      for (const vp of vpasids) {
        for (const h of handles) out.push(makeAction('kvm_map_pasid', [p, vm, vp, h]));
        out.push(makeAction('kvm_unmap_pasid', [p, vm, vp]));
      }
      out.push(makeAction('vm_destroy', [p, vm]));
    }
    out.push(makeAction('exit', [p]));
  }
  for (const m of scope.mdevs) for (const vp of vpasids) out.push(makeAction('enqcmd', [m.vm, m.id, vp]));
  for (const d of scope.devices) if (d.kind === 'swq') out.push(makeAction('swq_exec', [d.id]));
  if (notifies(rules)) out.push(makeAction('deliver', []));
  return out;
}

/**
 * §10's candidates, only at SVA scopes (none elsewhere): any live process may
 * bind, unbind and submit on any swq; exit_files of each process.
 */
export function svaCandidateActions(scope: Scope): SvaAction[] {
  if (scope.sva !== true) return [];
  const out: SvaAction[] = [];
  const swqs = scope.devices.filter((d) => d.kind === 'swq').map((d) => d.id);
  for (const p of range(scope.procs)) {
    for (const dev of swqs) out.push(makeAction('sva_bind', [p, dev]), makeAction('sva_unbind', [p, dev]), makeAction('sva_submit', [p, dev]));
  }
  for (const p of range(scope.procs)) out.push(makeAction('exit_files', [p]));
  return out;
}

/**
 * Every candidate of the scope's vocabulary: §3's (candidateActions, what the
 * proofs range over), then §10's at an SVA scope. The explorer, the simulator
 * and the conformance stage range over this list.
 */
export function scopeCandidates(scope: Scope, rules: Rules): AnyAction[] {
  return [...candidateActions(scope, rules), ...svaCandidateActions(scope)];
}

/**
 * Every action over the whole argument space, 0..n+1 for each argument
 * (out of range on both sides), `dma` included: the yardstick for the test
 * that candidateActions loses no state-changing call.
 */
export function allActions(scope: Scope): Action[] {
  return everyAction(scope, ACTION_ARGS_VIEW) as Action[];
}

/** allActions over the scope's whole vocabulary: §10's too at an SVA scope. */
export function allScopeActions(scope: Scope): AnyAction[] {
  if (scope.sva !== true) return allActions(scope);
  return [...allActions(scope), ...everyAction(scope, SVA_ACTION_ARGS as Readonly<Record<string, readonly string[]>>)];
}

function everyAction(scope: Scope, vocabulary: Readonly<Record<string, readonly string[]>>): AnyAction[] {
  const bound = {
    proc: scope.procs, fd: scope.fdsPerProc, ioasid: scope.quota, pasid: scope.pasids, vpasid: scope.vpasids,
    dev: scope.devices.length, mdev: scope.mdevs.length, vm: scope.vms.length,
  };
  const out: AnyAction[] = [];
  for (const [type, names] of Object.entries(vocabulary)) {
    const lists = names.map((n) => [0, ...range(bound[n as keyof typeof bound] + 1)]);
    const combos = lists.reduce<number[][]>((acc, l) => acc.flatMap((xs) => l.map((x) => [...xs, x])), [[]]);
    for (const c of combos) out.push(makeAction(type as AnyAction['type'], c));
  }
  return out;
}


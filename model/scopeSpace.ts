/**
 * Every scope up to a bound, one per isomorphism class.
 *
 * A bound is itself a scope: a scope S is "up to" B when each size of S is at
 * most B's (procs, fdsPerProc, quota, pasids, vpasids, swqDepth, and the
 * numbers of devices, mdevs and VMs) and S's topology is any that is valid
 * (scope.ts `topologyErrors` finds none: pdev and VM owners exist, an mdev's
 * parent is a swq and its VM belongs to its owner). Sizes start at 1 (0 for the lists).
 *
 * Two scopes that differ only by renaming processes, devices, mdevs or VMs
 * are one class: the model uses these ids as names, never by their order for
 * anything an invariant can see (spec/model/scope-space.test.ts checks that
 * renamed scopes explore to the same number of states and verdicts), so only
 * the class's canonical member (the least by `scopeKey`) is listed.
 */
import type { DeviceSpec, MdevSpec, Scope, VmSpec } from './scope';

const range = (n: number, from = 1): number[] => Array.from({ length: Math.max(0, n - from + 1) }, (_, i) => i + from);

/** All sequences of length n over xs. */
function sequences<T>(xs: readonly T[], n: number): T[][] {
  let out: T[][] = [[]];
  for (let i = 0; i < n; i++) out = out.flatMap((seq) => xs.map((x) => [...seq, x]));
  return out;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => range(p.length, 0).map((i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** A stable text for a scope: equal keys mean equal scopes. */
export function scopeKey(s: Scope): string {
  const dev = s.devices.map((d) => (d.kind === 'pdev' ? `p${d.owner}` : 's')).join(',');
  const md = s.mdevs.map((m) => `${m.parent}/${m.owner}/${m.vm}`).join(',');
  const vm = s.vms.map((v) => v.owner).join(',');
  return `P${s.procs} F${s.fdsPerProc} Q${s.quota} N${s.pasids} V${s.vpasids} D${s.swqDepth} dev[${dev}] mdev[${md}] vm[${vm}]`;
}

/**
 * The scope with processes, devices, VMs and mdevs renamed: new id of old id
 * i is perm[i - 1] + 1; lists are reordered so ids stay 1..n in order.
 */
export function renameScope(s: Scope, procs: readonly number[], devs: readonly number[], vms: readonly number[], mdevs: readonly number[]): Scope {
  const p = (id: number) => procs[id - 1]! + 1;
  const devices: DeviceSpec[] = new Array(s.devices.length);
  s.devices.forEach((d, i) => {
    const id = devs[i]! + 1;
    devices[id - 1] = d.kind === 'pdev' ? { id, kind: 'pdev', owner: p(d.owner) } : { id, kind: 'swq' };
  });
  const vmList: VmSpec[] = new Array(s.vms.length);
  s.vms.forEach((v, i) => {
    const id = vms[i]! + 1;
    vmList[id - 1] = { id, owner: p(v.owner) };
  });
  const mdevList: MdevSpec[] = new Array(s.mdevs.length);
  s.mdevs.forEach((m, i) => {
    const id = mdevs[i]! + 1;
    mdevList[id - 1] = { id, parent: devs[m.parent - 1]! + 1, owner: p(m.owner), vm: vms[m.vm - 1]! + 1 };
  });
  return { ...s, devices, vms: vmList, mdevs: mdevList };
}

/** Every renaming of s (processes, devices, VMs, mdevs), s itself included. */
export function renamings(s: Scope): Scope[] {
  const out: Scope[] = [];
  for (const pp of permutations(s.procs)) {
    for (const dp of permutations(s.devices.length)) {
      for (const vp of permutations(s.vms.length)) {
        for (const mp of permutations(s.mdevs.length)) out.push(renameScope(s, pp, dp, vp, mp));
      }
    }
  }
  return out;
}

/** The renaming of s with the least key: the same scope for isomorphic scopes. */
export function canonicalScope(s: Scope): Scope {
  let best = s;
  let bestKey = scopeKey(s);
  for (const r of renamings(s)) {
    const k = scopeKey(r);
    if (k < bestKey) [best, bestKey] = [r, k];
  }
  return best;
}

/** All sequences of length 0..max over xs. */
const upTo = <T>(xs: readonly T[], max: number): T[][] => range(max, 0).flatMap((n) => sequences(xs, n));

type Topology = Pick<Scope, 'devices' | 'mdevs' | 'vms'>;

/**
 * Every valid topology (devices, VMs, mdevs) with these many processes, up to
 * the bound's list lengths: built from topologyErrors' rules (owners among the
 * processes, an mdev on a swq and on a VM of its owner), never filtered by them.
 */
function topologies(procs: number, bound: Scope): Topology[] {
  const kinds: ('s' | number)[] = ['s', ...range(procs)];
  return upTo(kinds, bound.devices.length).flatMap((ks) => {
    const devices: DeviceSpec[] = ks.map((k, i) => (k === 's' ? { id: i + 1, kind: 'swq' } : { id: i + 1, kind: 'pdev', owner: k }));
    const swqs = devices.filter((d) => d.kind === 'swq').map((d) => d.id);
    return upTo(range(procs), bound.vms.length).flatMap((owners) => {
      const vms: VmSpec[] = owners.map((owner, i) => ({ id: i + 1, owner }));
      // an mdev is (parent swq, VM); its owner is the VM's owner
      const choices = swqs.flatMap((parent) => vms.map((v) => ({ parent, vm: v.id, owner: v.owner })));
      return upTo(choices, bound.mdevs.length).map((ms): Topology => ({ devices, vms, mdevs: ms.map((m, i) => ({ id: i + 1, ...m })) }));
    });
  });
}

/** Every scope up to the bound, one per isomorphism class, smallest first (by total size, then key). */
export function scopesUpTo(bound: Scope): Scope[] {
  const seen = new Map<string, Scope>();
  // the numeric sizes, each from 1 to the bound's
  const numbers = [bound.fdsPerProc, bound.quota, bound.pasids, bound.vpasids, bound.swqDepth].reduce<number[][]>(
    (acc, max) => acc.flatMap((t) => range(max).map((n) => [...t, n])),
    [[]],
  );
  for (const procs of range(bound.procs)) {
    const tops = topologies(procs, bound);
    for (const [fdsPerProc, quota, pasids, vpasids, swqDepth] of numbers) {
      for (const t of tops) {
        const c = canonicalScope({ procs, fdsPerProc: fdsPerProc!, quota: quota!, pasids: pasids!, vpasids: vpasids!, swqDepth: swqDepth!, ...t });
        seen.set(scopeKey(c), c);
      }
    }
  }
  const size = (s: Scope) => s.procs + s.fdsPerProc + s.quota + s.pasids + s.vpasids + s.swqDepth + s.devices.length + s.mdevs.length + s.vms.length;
  return [...seen.values()].sort((a, b) => size(a) - size(b) || (scopeKey(a) < scopeKey(b) ? -1 : 1));
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const sumPowers = (base: number, maxExp: number): number => range(maxExp, 0).reduce((t, e) => t + base ** e, 0);

/**
 * An upper bound on the work of scopesUpTo(bound): raw scopes enumerated times
 * the renamings tried for each. Callers refuse bounds far past what any sweep
 * could prove (a sweep proves each class, at seconds each).
 */
export function scopeSpaceWork(bound: Scope): number {
  const nd = bound.devices.length;
  const nv = bound.vms.length;
  const nm = bound.mdevs.length;
  const sizes = bound.fdsPerProc * bound.quota * bound.pasids * bound.vpasids * bound.swqDepth;
  let work = 0;
  for (const p of range(bound.procs)) {
    work += sumPowers(p + 1, nd) * sumPowers(p, nv) * sumPowers(nd * nv, nm) * factorial(p) * factorial(nd) * factorial(nv) * factorial(nm);
  }
  return work * sizes;
}

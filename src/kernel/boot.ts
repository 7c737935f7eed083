/*
 * Boot: the static topology becomes kernel objects. The topology comes from
 * the toolkit, not from userspace, so a structurally impossible one (an id
 * that is not a positive integer, a duplicate id, an mdev whose parent is not
 * a swq) is a bug and throws.
 */
import { pdev_init, swq_init, type Pdev, type Swq } from './device';
import type { IoasidFile } from './file';
import type { Ioasid, IoasidCore } from './ioasid';
import { kvm_init, type Kvm } from './kvm';
import { mdev_init, type Mdev } from './mdev';
import { obj_table_init, WARN_ON } from './object';
import { pasid_allocator_init } from './pasid';
import { proc_init, type Proc } from './process';
import { swq_queue_init } from './queue';
import { xa_init, xa_insert, xa_load, type Xarray } from './xarray';
import { DEFAULT_PARAMS, type KernelParams } from './params';

/** The static sizes and topology: the same JSON shape as a DESIGN.md scope. */
export interface KernelTopology {
  procs: number;
  fdsPerProc: number;
  quota: number;
  pasids: number;
  vpasids: number;
  swqDepth: number;
  devices: ReadonlyArray<{ id: number; kind: 'pdev'; owner: number } | { id: number; kind: 'swq' }>;
  mdevs: ReadonlyArray<{ id: number; parent: number; owner: number; vm: number }>;
  vms: ReadonlyArray<{ id: number; owner: number }>;
  /** The swq devices support SVA (DESIGN.md §10): processes may bind their mm to them. */
  sva?: boolean;
}

/** Everything the kernel holds; debugfs reads it, the ioctls change it. */
export interface KernelState {
  readonly topology: KernelTopology;
  readonly core: IoasidCore;
  /** 1..procs. */
  readonly procs: Xarray<Proc>;
  /** Devices, mdevs and VMs by topology id. */
  readonly pdevs: Xarray<Pdev>;
  readonly swqs: Xarray<Swq>;
  readonly mdevs: Xarray<Mdev>;
  readonly vms: Xarray<Kvm>;
}

function check_ids(what: string, ids: readonly number[]): void {
  for (const id of ids) WARN_ON(!Number.isSafeInteger(id) || id < 1, `${what} id ${id} is not a positive integer`);
  WARN_ON(new Set(ids).size !== ids.length, `duplicate ${what} id`);
}

function check_topology(t: KernelTopology): void {
  for (const size of [t.procs, t.fdsPerProc, t.quota, t.pasids, t.vpasids, t.swqDepth]) {
    WARN_ON(!Number.isSafeInteger(size) || size < 0, `bad topology size ${size}`);
  }
  check_ids('device', t.devices.map((d) => d.id));
  check_ids('mdev', t.mdevs.map((m) => m.id));
  check_ids('vm', t.vms.map((v) => v.id));
  // Owners and VMs out of range are not checked: such an object is merely unusable.
  for (const m of t.mdevs) {
    WARN_ON(!t.devices.some((d) => d.id === m.parent && d.kind === 'swq'), `mdev ${m.id} parent is not a swq`);
  }
}

/** Unset parameters take their defaults, as module parameters do. */
export function kernel_boot(topology: KernelTopology, given: Partial<KernelParams> = {}): KernelState {
  const params: KernelParams = { ...DEFAULT_PARAMS, ...given };
  check_topology(topology);
  const swqs = xa_init<Swq>();
  const queues = [];
  for (const d of topology.devices) {
    if (d.kind !== 'swq') continue;
    const queue = swq_queue_init(topology.swqDepth);
    queues.push(queue);
    xa_insert(swqs, d.id, swq_init(d.id, queue, topology.sva === true));
  }
  const core: IoasidCore = {
    pasids: pasid_allocator_init(topology.pasids),
    files: obj_table_init<IoasidFile>(),
    ioasids: obj_table_init<Ioasid>(),
    queues,
    destroy_busy: params.destroy_busy,
    sva_free_at_mmput: params.sva_free_at_mmput,
  };
  const state: KernelState = {
    topology,
    core,
    procs: xa_init<Proc>(),
    pdevs: xa_init<Pdev>(),
    swqs,
    mdevs: xa_init<Mdev>(),
    vms: xa_init<Kvm>(),
  };
  for (let p = 1; p <= topology.procs; p++) xa_insert(state.procs, p, proc_init(p));
  for (const d of topology.devices) if (d.kind === 'pdev') xa_insert(state.pdevs, d.id, pdev_init(d.id, d.owner));
  for (const v of topology.vms) xa_insert(state.vms, v.id, kvm_init(v.id, v.owner));
  for (const m of topology.mdevs) {
    const parent = xa_load(swqs, m.parent);
    if (parent !== undefined) xa_insert(state.mdevs, m.id, mdev_init(m.id, parent, m.owner, m.vm));
  }
  return state;
}

/**
 * The refinement mapping: a kernel debugfs snapshot -> the model's State
 * (DESIGN.md §3 state, model/state.ts). Object ids stay the kernel's
 * allocation counters (a file or IOASID with kernel id N sits at slot N); run
 * the result through `normalize` before comparing it with a model state.
 *
 * The two ghost bits are not kernel state. The reference design guarantees
 * them by construction: KVM entries are only made by kvm_map_pasid (explicit)
 * and mdev_attach refuses an mdev not allowed for the file (allowed). So the
 * abstraction writes `true` for both, and the conformance check, which compares
 * the whole state, holds the model's ghost bits to `true` under reference.
 *
 * The abstraction trusts nothing: a reference to an object the snapshot does
 * not show is kept as its kernel id (normalize marks it dangling), a missing
 * device or VM is left empty, so a broken kernel yields a state that differs,
 * never a crash.
 */
import type { KernelSnapshot } from '../kernel/index';
import type { Descriptor, FileObj, IoasidObj, KvmEntry, MmObj, Scope, State, SvaEntry, TableEntry, VmObj } from '../../model/index';

/** The kernel's object table as a model slot table: kernel id N at index N-1. */
function slots<T>(items: readonly { readonly id: number }[], make: (i: number) => T): (T | null)[] {
  const out: (T | null)[] = [];
  items.forEach((x, i) => {
    while (out.length < x.id) out.push(null);
    out[x.id - 1] = make(i);
  });
  return out;
}

export function abstractKernel(scope: Scope, k: KernelSnapshot): State {
  const files = slots<FileObj>(k.files, (i) => {
    const f = k.files[i]!;
    return { proc: f.proc, fd: f.fd ?? 0 };
  });
  const ioasids = slots<IoasidObj>(k.ioasids, (i) => {
    const io = k.ioasids[i]!;
    return { file: io.file, handle: io.handle ?? 0, pasid: io.pasid, blocked: io.blocked, users: io.users };
  });
  let free = 0;
  for (const p of k.freePasids) free |= 1 << p;

  const tables: TableEntry[][] = [];
  const queues: Descriptor[][] = [];
  for (const dev of scope.devices) {
    if (dev.kind === 'pdev') {
      const pdev = k.pdevs.find((d) => d.dev === dev.id);
      tables.push((pdev?.entries ?? []).map((e) => ({ pasid: e.pasid, ioasid: e.ioasid, mdev: 0, allowed: true })));
      queues.push([]);
    } else {
      const swq = k.swqs.find((d) => d.dev === dev.id);
      // ghost: mdev_attach checked the allowance, so every entry made through an mdev was allowed
      tables.push((swq?.entries ?? []).map((e) => ({ pasid: e.pasid, ioasid: e.ioasid, mdev: e.mdev, allowed: true })));
      queues.push((swq?.queue ?? []).map((d) => ({ issuer: d.issuer, pasid: d.pasid })));
    }
  }

  const allowed = scope.mdevs.map((m) => k.mdevs.find((x) => x.mdev === m.id)?.allowedFile ?? 0);
  const vms = scope.vms.map((v): VmObj => {
    const vm = k.vms.find((x) => x.vm === v.id);
    if (!vm) return { alive: false, presented: 0, enabled: false, entries: [] };
    // ghost: only kvm_map_pasid fills the ENQCMD table, so every entry is explicit
    const entries = vm.entries.map((e): KvmEntry => ({ vpasid: e.vpasid, ioasid: e.ioasid, pasid: e.pasid, explicit: true }));
    return { alive: vm.alive, presented: vm.file ?? 0, enabled: vm.enabled, entries };
  });

  const alive = Array.from({ length: scope.procs }, (_, i) => k.procs.find((p) => p.proc === i + 1)?.alive ?? false);
  // The kernel has no notifier FIFO.
  const base: State = { alive, files, ioasids, free, tables, queues, allowed, vms, notifications: [] };
  return scope.sva === true ? { ...base, ...abstractSva(scope, k) } : base;
}

/**
 * §10: each process's mm (its PASID, none as 0; its users are mm_count, which
 * counts the live address space once plus each bond) and each device's SVA
 * entries. A kernel that shows no SVA state at an SVA scope yields mms with
 * no users, which differs from any model state.
 */
function abstractSva(scope: Scope, k: KernelSnapshot): { mms: MmObj[]; sva: SvaEntry[][] } {
  const mms = Array.from({ length: scope.procs }, (_, i): MmObj => {
    const mm = k.sva?.mms.find((m) => m.proc === i + 1);
    return { pasid: mm?.pasid ?? 0, users: mm?.users ?? 0 };
  });
  const sva = scope.devices.map((dev) => (k.sva?.entries ?? []).filter((e) => e.dev === dev.id).map((e): SvaEntry => ({ pasid: e.pasid, proc: e.proc })));
  return { mms, sva };
}

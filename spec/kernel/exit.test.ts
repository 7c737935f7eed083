/*
 * Process exit, and the object lifecycle as debugfs shows it: live ->
 * destroyed/parked -> recycled at zero users; a closed file living on while
 * referenced; drains of every swq queue.
 */
import { describe, expect, it } from 'vitest';
import type { KernelTopology } from '../../src/kernel';
import { boot, DEFAULT, script, table } from './harness';

const RICH = 'open 1; alloc 1 1; attach 1 1 1 1; mdev_allow_pasid 1 1 1; mdev_attach 1 1 1 1; '
  + 'kvm_set_ioasid_fd 1 1 1; kvm_enable_enqcmd 1 1; kvm_map_pasid 1 1 1 1; enqcmd 1 1 1';
const RICH_2 = 'open 2; alloc 2 1; mdev_allow_pasid 2 2 1; mdev_attach 2 2 1 1; kvm_set_ioasid_fd 2 2 1; kvm_enable_enqcmd 2 2; kvm_map_pasid 2 2 1 1';

table('exit', [
  { name: 'then every ioctl of the process is -ESRCH', setup: 'open 1', steps: 'exit 1 = 0; exit 1 = -ESRCH; open 1 = -ESRCH; vm_destroy 1 1 = -ESRCH' },
  { name: '-ESRCH for a proc out of range', steps: 'exit 0 = -ESRCH; exit 3 = -ESRCH' },
  { name: 'with nothing open', steps: 'exit 2 = 0; open 1 = 1' },
  { name: 'destroys the VMs, faulting the guest, and detaches the pdev', setup: RICH, steps: 'exit 1 = 0; enqcmd 1 1 1 = fault; dma 1 1 = fault; swq_exec 2 = idle' },
  {
    name: 'leaves the other process alone',
    setup: `${RICH}; swq_exec 2; ${RICH_2}`,
    steps: 'exit 1 = 0; enqcmd 2 2 1 = queued; swq_exec 2 = ok:2; alloc 2 1 = -EDQUOT; mdev_detach 2 2 2 = 0',
  },
]);

const INIT = {
  procs: [{ proc: 1, alive: true, fds: [] }, { proc: 2, alive: true, fds: [] }],
  files: [],
  ioasids: [],
  freePasids: [1, 2],
  pdevs: [{ dev: 1, owner: 1, entries: [] }],
  swqs: [{ dev: 2, entries: [], queue: [] }],
  mdevs: [{ mdev: 1, parent: 2, owner: 1, vm: 1, allowedFile: null }, { mdev: 2, parent: 2, owner: 2, vm: 2, allowedFile: null }],
  vms: [
    { vm: 1, owner: 1, alive: true, file: null, enabled: false, entries: [] },
    { vm: 2, owner: 2, alive: true, file: null, enabled: false, entries: [] },
  ],
};

describe('lifecycle in debugfs', () => {
  it('boots empty', () => {
    expect(boot(DEFAULT).debugfs()).toEqual(INIT);
  });

  it('counts every holder: fd, charge, mdev, KVM on the file; file, pdev, parent, KVM on the IOASID', () => {
    const s = boot(DEFAULT, RICH).debugfs();
    expect(s.procs[0]).toEqual({ proc: 1, alive: true, fds: [{ fd: 1, file: 1 }] });
    expect(s.files).toEqual([{ id: 1, proc: 1, fd: 1, users: 4, charged: 1 }]);
    expect(s.ioasids).toEqual([{ id: 1, file: 1, handle: 1, pasid: 1, destroyed: false, blocked: false, users: 4 }]);
    expect(s.freePasids).toEqual([2]);
    expect(s.pdevs).toEqual([{ dev: 1, owner: 1, entries: [{ pasid: 1, ioasid: 1 }] }]);
    expect(s.swqs).toEqual([{ dev: 2, entries: [{ pasid: 1, ioasid: 1, mdev: 1 }], queue: [{ issuer: 1, pasid: 1 }] }]);
    expect(s.mdevs[0]?.allowedFile).toBe(1);
    expect(s.vms[0]).toEqual({ vm: 1, owner: 1, alive: true, file: 1, enabled: true, entries: [{ vpasid: 1, ioasid: 1, pasid: 1 }] });
  });

  it('close parks: the closed file lives on, its IOASID destroyed, blocked and still charged', () => {
    const k = boot(DEFAULT, `${RICH}; close 1 1`);
    const s = k.debugfs();
    expect(s.procs[0]?.fds).toEqual([]);
    expect(s.files).toEqual([{ id: 1, proc: 1, fd: null, users: 3, charged: 1 }]);
    expect(s.ioasids).toEqual([{ id: 1, file: 1, handle: null, pasid: 1, destroyed: true, blocked: true, users: 3 }]);
    expect(s.freePasids).toEqual([2]);
    expect(script(k, 'open 1; mdev_allow_pasid 1 1 1')).toEqual(['1', '0']);
    expect(k.debugfs().files.map((f) => [f.id, f.fd, f.users])).toEqual([[1, null, 2], [2, 1, 2]]);
  });

  it('exit releases everything: PASIDs back in the pool, queues drained, files released', () => {
    const k = boot(DEFAULT, RICH);
    expect(k.exit(1)).toBe(0);
    expect(k.debugfs()).toEqual({
      ...INIT,
      procs: [{ proc: 1, alive: false, fds: [] }, INIT.procs[1]],
      vms: [{ ...INIT.vms[0], alive: false }, INIT.vms[1]],
    });
  });

  it('recycling drains the PASID from every swq, not only the one it was attached through', () => {
    const topology: KernelTopology = {
      ...DEFAULT,
      devices: [...DEFAULT.devices, { id: 3, kind: 'swq' }],
      mdevs: [...DEFAULT.mdevs, { id: 3, parent: 3, owner: 1, vm: 1 }],
    };
    const k = boot(topology, `${RICH}; enqcmd 1 3 1`);
    expect(k.debugfs().swqs.map((d) => d.queue.length)).toEqual([1, 1]);
    expect(script(k, 'close 1 1; vm_destroy 1 1; detach 1 1 1')).toEqual(['0', '0', '0']);
    expect(k.debugfs().swqs.map((d) => d.queue.length)).toEqual([1, 1]);
    expect(script(k, 'mdev_detach 1 1 1')).toEqual(['0']);
    expect(k.debugfs().swqs.map((d) => d.queue.length)).toEqual([0, 0]);
    expect(k.debugfs().freePasids).toEqual([1, 2]);
  });
});

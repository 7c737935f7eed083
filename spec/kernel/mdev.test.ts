/*
 * mdevs of the swq parent (authorization #1) and the swq running descriptors.
 */
import { DEFAULT, LARGE, table, TWO_MDEVS } from './harness';

const ALLOWED = 'open 1; alloc 1 1; mdev_allow_pasid 1 1 1';
/** Both authorizations, VM 1 mapped, the guest's descriptor queued on the parent. */
const QUEUED = `${ALLOWED}; mdev_attach 1 1 1 1; kvm_set_ioasid_fd 1 1 1; kvm_enable_enqcmd 1 1; kvm_map_pasid 1 1 1 1; enqcmd 1 1 1`;
const DEEP = { ...DEFAULT, swqDepth: 2 };

table('mdev_allow_pasid', [
  { name: 'allows, again with the same fd: 0', setup: 'open 1', steps: 'mdev_allow_pasid 1 1 1 = 0; mdev_allow_pasid 1 1 1 = 0' },
  {
    name: '-EBUSY while another fd is allowed and open; a closed one can be replaced',
    topology: LARGE,
    setup: 'open 1; open 1; mdev_allow_pasid 1 1 1',
    steps: 'mdev_allow_pasid 1 1 2 = -EBUSY; close 1 1 = 0; mdev_allow_pasid 1 1 2 = 0; mdev_allow_pasid 1 1 2 = 0',
  },
  {
    name: 'remembers the file, not the number: a reopened fd 1 is not allowed',
    setup: 'open 1; mdev_allow_pasid 1 1 1; close 1 1; open 1; alloc 1 1',
    steps: 'mdev_attach 1 1 1 1 = -EPERM; mdev_allow_pasid 1 1 1 = 0; mdev_attach 1 1 1 1 = 0',
  },
  { name: '-EPERM for another process\'s mdev or one out of range', setup: 'open 1', steps: 'mdev_allow_pasid 1 2 1 = -EPERM; mdev_allow_pasid 1 3 1 = -EPERM' },
  {
    name: 'errors in order: -ESRCH, -EPERM, -EBADF',
    steps: 'mdev_allow_pasid 3 9 9 = -ESRCH; mdev_allow_pasid 1 9 9 = -EPERM; mdev_allow_pasid 1 1 9 = -EBADF; mdev_allow_pasid 1 1 1 = -EBADF',
  },
]);

table('mdev_attach', [
  { name: 'maps the PASID in the parent table via this mdev', setup: ALLOWED, steps: 'mdev_attach 1 1 1 1 = 0; mdev_attach 1 1 1 1 = -EEXIST' },
  { name: '-EPERM when the mdev is not allowed', setup: 'open 1; alloc 1 1', steps: 'mdev_attach 1 1 1 1 = -EPERM' },
  { name: '-EPERM (not allowed) before -ENOENT', setup: 'open 1', steps: 'mdev_attach 1 1 1 9 = -EPERM' },
  {
    name: '-EPERM when allowed for another fd',
    topology: LARGE,
    setup: 'open 1; open 1; alloc 1 2; mdev_allow_pasid 1 1 1',
    steps: 'mdev_attach 1 1 2 1 = -EPERM; mdev_allow_pasid 1 1 2 = -EBUSY',
  },
  { name: '-ENOENT for a handle not live', setup: 'open 1; mdev_allow_pasid 1 1 1', steps: 'mdev_attach 1 1 1 1 = -ENOENT; mdev_attach 1 1 1 0 = -ENOENT' },
  {
    name: '-EEXIST when the parent has the PASID through another mdev',
    topology: TWO_MDEVS,
    setup: `${ALLOWED}; mdev_allow_pasid 1 3 1; mdev_attach 1 1 1 1`,
    steps: 'mdev_attach 1 3 1 1 = -EEXIST; mdev_detach 1 3 1 = -ENOENT; mdev_detach 1 1 1 = 0; mdev_attach 1 3 1 1 = 0',
  },
  {
    name: 'errors in order: -ESRCH, -EPERM (mdev), -EBADF, -EPERM (allowance)',
    setup: 'open 2; open 1; alloc 1 1',
    steps: 'mdev_attach 3 1 1 1 = -ESRCH; mdev_attach 1 2 1 1 = -EPERM; mdev_attach 1 1 9 1 = -EBADF; mdev_attach 1 1 1 9 = -EPERM',
  },
]);

table('mdev_detach', [
  { name: 'removes the entry', setup: `${ALLOWED}; mdev_attach 1 1 1 1`, steps: 'mdev_detach 1 1 1 = 0; mdev_detach 1 1 1 = -ENOENT; mdev_attach 1 1 1 1 = 0' },
  { name: 'drains the parent queue of that PASID first', setup: QUEUED, steps: 'mdev_detach 1 1 1 = 0; swq_exec 2 = idle' },
  { name: 'without it the descriptor runs', setup: QUEUED, steps: 'swq_exec 2 = ok:1; swq_exec 2 = idle' },
  {
    name: 'drains only that PASID, whoever queued it',
    topology: DEEP,
    setup: `${QUEUED}; open 2; alloc 2 1; mdev_allow_pasid 2 2 1; kvm_set_ioasid_fd 2 2 1; kvm_enable_enqcmd 2 2; kvm_map_pasid 2 2 1 1; enqcmd 2 2 1`,
    steps: 'mdev_detach 1 1 1 = 0; mdev_attach 2 2 1 1 = 0; swq_exec 2 = ok:2; swq_exec 2 = idle',
  },
  {
    name: '-ENOENT for an entry made through another mdev, or none',
    setup: `${ALLOWED}; mdev_attach 1 1 1 1`,
    steps: 'mdev_detach 2 2 1 = -ENOENT; mdev_detach 1 1 2 = -ENOENT; mdev_detach 1 1 0 = -ENOENT',
  },
  { name: '-EPERM for another process\'s mdev; -ESRCH first', setup: `${ALLOWED}; mdev_attach 1 1 1 1`, steps: 'mdev_detach 2 1 1 = -EPERM; mdev_detach 0 9 1 = -ESRCH' },
  {
    name: 'entries outlive the allowed file, parked and blocked, until detached',
    setup: QUEUED,
    steps: 'close 1 1 = 0; swq_exec 2 = blocked; mdev_attach 1 1 1 1 = -EBADF; mdev_detach 1 1 1 = 0',
  },
]);

table('swq_exec', [
  { name: 'idle for a pdev, an unknown device, an empty queue', steps: 'swq_exec 1 = idle; swq_exec 9 = idle; swq_exec 2 = idle' },
  {
    name: 'faults when the parent has no entry: none is needed to queue',
    setup: 'open 1; alloc 1 1; kvm_set_ioasid_fd 1 1 1; kvm_enable_enqcmd 1 1; kvm_map_pasid 1 1 1 1',
    steps: 'enqcmd 1 1 1 = queued; swq_exec 2 = fault; swq_exec 2 = idle',
  },
  { name: 'is blocked when the IOASID was destroyed but is still held', setup: QUEUED, steps: 'destroy 1 1 1 = 0; swq_exec 2 = blocked' },
  {
    name: 'runs the oldest first, looking the PASID up at run time',
    topology: DEEP,
    setup: `${QUEUED}; enqcmd 1 1 1`,
    steps: 'swq_exec 2 = ok:1; destroy 1 1 1 = 0; swq_exec 2 = blocked; swq_exec 2 = idle',
  },
  {
    name: 'is first in, first out across guests',
    topology: DEEP,
    setup: `${QUEUED}; open 2; alloc 2 1; mdev_allow_pasid 2 2 1; mdev_attach 2 2 1 1; kvm_set_ioasid_fd 2 2 1; kvm_enable_enqcmd 2 2; kvm_map_pasid 2 2 1 1`,
    steps: 'enqcmd 2 2 1 = queued; enqcmd 1 1 1 = retry; swq_exec 2 = ok:1; enqcmd 1 1 1 = queued; swq_exec 2 = ok:2; swq_exec 2 = ok:1',
  },
]);

/*
 * KVM's ENQCMD translation table (authorization #2) and the guest's ENQCMD.
 */
import { LARGE, table } from './harness';

const PRESENTED = 'open 1; alloc 1 1; kvm_set_ioasid_fd 1 1 1';
const ENABLED = `${PRESENTED}; kvm_enable_enqcmd 1 1`;
const MAPPED = `${ENABLED}; kvm_map_pasid 1 1 1 1`;

table('kvm_set_ioasid_fd', [
  { name: 'presents the fd, again with the same fd: 0', setup: 'open 1', steps: 'kvm_set_ioasid_fd 1 1 1 = 0; kvm_set_ioasid_fd 1 1 1 = 0' },
  {
    name: '-EBUSY while another presented fd is open; a closed one can be replaced',
    topology: LARGE,
    setup: 'open 1; open 1; kvm_set_ioasid_fd 1 1 1',
    steps: 'kvm_set_ioasid_fd 1 1 2 = -EBUSY; close 1 1 = 0; kvm_set_ioasid_fd 1 1 2 = 0; kvm_set_ioasid_fd 1 1 2 = 0',
  },
  {
    name: 'remembers the file, not the number; the enable survives the replacement',
    setup: `${ENABLED}; close 1 1; open 1; alloc 1 1`,
    steps: 'kvm_map_pasid 1 1 1 1 = -EBADF; kvm_set_ioasid_fd 1 1 1 = 0; kvm_map_pasid 1 1 1 1 = 0',
  },
  { name: '-EPERM for another process\'s VM or one out of range', setup: 'open 1', steps: 'kvm_set_ioasid_fd 1 2 1 = -EPERM; kvm_set_ioasid_fd 1 3 1 = -EPERM' },
  { name: '-EPERM for a destroyed VM', setup: 'open 1; vm_destroy 1 1', steps: 'kvm_set_ioasid_fd 1 1 1 = -EPERM' },
  { name: 'errors in order: -ESRCH, -EPERM, -EBADF', steps: 'kvm_set_ioasid_fd 0 9 9 = -ESRCH; kvm_set_ioasid_fd 1 9 9 = -EPERM; kvm_set_ioasid_fd 1 1 9 = -EBADF' },
]);

table('kvm_enable_enqcmd', [
  { name: '-EINVAL until an fd is presented', setup: 'open 1', steps: 'kvm_enable_enqcmd 1 1 = -EINVAL; kvm_set_ioasid_fd 1 1 1 = 0; kvm_enable_enqcmd 1 1 = 0' },
  { name: 'is idempotent', setup: PRESENTED, steps: 'kvm_enable_enqcmd 1 1 = 0; kvm_enable_enqcmd 1 1 = 0' },
  { name: 'an fd presented once counts even after it closed', setup: `${PRESENTED}; close 1 1`, steps: 'kvm_enable_enqcmd 1 1 = 0' },
  { name: 'errors in order: -ESRCH, -EPERM', setup: PRESENTED, steps: 'kvm_enable_enqcmd 3 1 = -ESRCH; kvm_enable_enqcmd 2 1 = -EPERM; kvm_enable_enqcmd 1 9 = -EPERM' },
]);

table('kvm_map_pasid', [
  { name: 'maps the vpasid to the ioasid\'s PASID', setup: ENABLED, steps: 'enqcmd 1 1 1 = fault; kvm_map_pasid 1 1 1 1 = 0; enqcmd 1 1 1 = queued' },
  { name: '-EINVAL while the table is disabled, even with a PASID in use', setup: `${PRESENTED}; attach 1 1 1 1`, steps: 'kvm_map_pasid 1 1 1 1 = -EINVAL; kvm_map_pasid 1 1 9 9 = -EINVAL' },
  { name: '-EINVAL with no fd presented', setup: 'open 1; alloc 1 1', steps: 'kvm_map_pasid 1 1 1 1 = -EINVAL' },
  { name: '-EINVAL before -EBADF', setup: `${PRESENTED}; close 1 1`, steps: 'kvm_map_pasid 1 1 1 1 = -EINVAL; kvm_enable_enqcmd 1 1 = 0; kvm_map_pasid 1 1 1 1 = -EBADF' },
  { name: '-EBADF when the presented fd has closed, before -ENOENT', setup: `${ENABLED}; close 1 1`, steps: 'kvm_map_pasid 1 1 9 9 = -EBADF; kvm_map_pasid 1 1 1 1 = -EBADF' },
  { name: '-ENOENT for a vpasid out of range', setup: ENABLED, steps: 'kvm_map_pasid 1 1 2 1 = -ENOENT; kvm_map_pasid 1 1 0 1 = -ENOENT' },
  { name: '-ENOENT for a handle not live in the presented fd', setup: ENABLED, steps: 'kvm_map_pasid 1 1 1 2 = -ENOENT; destroy 1 1 1 = 0; kvm_map_pasid 1 1 1 1 = -ENOENT' },
  {
    name: '-ENOENT for a live handle of another fd of the same process',
    topology: LARGE,
    setup: 'open 1; open 1; alloc 1 2; kvm_set_ioasid_fd 1 1 1; kvm_enable_enqcmd 1 1',
    steps: 'kvm_map_pasid 1 1 1 1 = -ENOENT; alloc 1 1 = 1; kvm_map_pasid 1 1 1 1 = 0',
  },
  { name: '-ENOENT before -EEXIST', setup: MAPPED, steps: 'kvm_map_pasid 1 1 1 9 = -ENOENT; kvm_map_pasid 1 1 1 1 = -EEXIST' },
  { name: '-EPERM (VM destroyed) before -EINVAL', setup: `${MAPPED}; vm_destroy 1 1`, steps: 'kvm_map_pasid 1 1 1 1 = -EPERM; kvm_map_pasid 9 1 1 1 = -ESRCH' },
]);

table('kvm_unmap_pasid', [
  { name: 'removes the entry', setup: MAPPED, steps: 'kvm_unmap_pasid 1 1 1 = 0; enqcmd 1 1 1 = fault; kvm_unmap_pasid 1 1 1 = -ENOENT' },
  { name: 'releases a parked PASID', setup: `${MAPPED}; destroy 1 1 1`, steps: 'alloc 1 1 = -EDQUOT; kvm_unmap_pasid 1 1 1 = 0; alloc 1 1 = 1' },
  { name: '-ENOENT for a vpasid unmapped or out of range', setup: ENABLED, steps: 'kvm_unmap_pasid 1 1 1 = -ENOENT; kvm_unmap_pasid 1 1 2 = -ENOENT' },
  { name: '-EPERM for another process\'s VM; -ESRCH first', setup: MAPPED, steps: 'kvm_unmap_pasid 2 1 1 = -EPERM; kvm_unmap_pasid 0 1 1 = -ESRCH' },
]);

table('vm_destroy', [
  {
    name: 'the VM is gone for good',
    setup: MAPPED,
    steps: 'vm_destroy 1 1 = 0; enqcmd 1 1 1 = fault; vm_destroy 1 1 = -EPERM; kvm_set_ioasid_fd 1 1 1 = -EPERM; kvm_enable_enqcmd 1 1 = -EPERM; kvm_unmap_pasid 1 1 1 = -EPERM',
  },
  { name: 'releases its entries\' references', setup: `${MAPPED}; destroy 1 1 1`, steps: 'alloc 1 1 = -EDQUOT; vm_destroy 1 1 = 0; alloc 1 1 = 1' },
  { name: 'needs no fd', steps: 'vm_destroy 1 1 = 0; vm_destroy 2 2 = 0' },
  { name: '-EPERM for another process\'s VM; -ESRCH first', steps: 'vm_destroy 2 1 = -EPERM; vm_destroy 1 9 = -EPERM; vm_destroy 3 1 = -ESRCH' },
]);

table('enqcmd', [
  { name: 'queues, or retry when the parent queue is full', setup: MAPPED, steps: 'enqcmd 1 1 1 = queued; enqcmd 1 1 1 = retry; swq_exec 2 = fault; enqcmd 1 1 1 = queued' },
  { name: 'faults for an unknown VM or mdev', setup: MAPPED, steps: 'enqcmd 9 1 1 = fault; enqcmd 1 9 1 = fault; enqcmd 0 0 0 = fault' },
  { name: 'faults through an mdev not given to the VM', setup: MAPPED, steps: 'enqcmd 1 2 1 = fault; enqcmd 2 1 1 = fault' },
  { name: 'faults for a vpasid unmapped or out of range', setup: ENABLED, steps: 'enqcmd 1 1 1 = fault; enqcmd 1 1 2 = fault' },
  { name: 'faults while the table is disabled', setup: PRESENTED, steps: 'enqcmd 1 1 1 = fault' },
  { name: 'faults, not retry, when both apply', setup: `${MAPPED}; enqcmd 1 1 1`, steps: 'enqcmd 1 2 1 = fault; enqcmd 1 1 1 = retry' },
]);

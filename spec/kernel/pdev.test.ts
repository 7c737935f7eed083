/*
 * A pdev assigned whole to its owner: attach, detach, and DMA through its
 * PASID table, including the parked (destroyed, blocked) state.
 */
import { LARGE, table } from './harness';

const ALLOC = 'open 1; alloc 1 1';

table('attach', [
  {
    name: 'maps the ioasid\'s PASID in the pdev table; DMA lands in the ioasid\'s process',
    setup: ALLOC,
    steps: 'dma 1 1 = fault; attach 1 1 1 1 = 0; dma 1 1 = ok:1; dma 1 2 = fault',
  },
  { name: '-EEXIST when the pdev has an entry for that PASID', setup: ALLOC, steps: 'attach 1 1 1 1 = 0; attach 1 1 1 1 = -EEXIST' },
  {
    name: 'entries are keyed by PASID: two IOASIDs, two entries',
    topology: LARGE,
    setup: 'open 1; alloc 1 1; alloc 1 1',
    steps: 'attach 1 1 1 1 = 0; attach 1 1 1 2 = 0; dma 1 2 = ok:1',
  },
  { name: '-ENOENT for a handle never allocated or out of range', setup: 'open 1', steps: 'attach 1 1 1 1 = -ENOENT; attach 1 1 1 0 = -ENOENT' },
  { name: '-ENOENT for a destroyed IOASID', setup: `${ALLOC}; destroy 1 1 1`, steps: 'attach 1 1 1 1 = -ENOENT' },
  { name: '-EPERM for a swq device', setup: ALLOC, steps: 'attach 1 2 1 1 = -EPERM' },
  { name: '-EPERM for a device out of range', setup: ALLOC, steps: 'attach 1 9 1 1 = -EPERM; attach 1 0 1 1 = -EPERM' },
  { name: '-EPERM for a pdev owned by another process', setup: 'open 2; alloc 2 1', steps: 'attach 2 1 1 1 = -EPERM' },
  { name: '-EBADF for an fd not open', setup: 'open 2', steps: 'attach 1 1 1 1 = -EBADF' },
  {
    name: 'errors in order: -ESRCH, -EPERM, -EBADF, -ENOENT, -EEXIST',
    setup: `${ALLOC}; attach 1 1 1 1`,
    steps: 'attach 3 9 9 9 = -ESRCH; attach 1 9 9 9 = -EPERM; attach 1 1 9 9 = -EBADF; attach 1 1 1 9 = -ENOENT; attach 1 1 1 1 = -EEXIST',
  },
]);

table('detach', [
  {
    name: 'removes the entry',
    setup: `${ALLOC}; attach 1 1 1 1`,
    steps: 'detach 1 1 1 = 0; dma 1 1 = fault; detach 1 1 1 = -ENOENT; attach 1 1 1 1 = 0',
  },
  {
    name: 'the last holder of a parked PASID recycles it',
    setup: `${ALLOC}; attach 1 1 1 1; destroy 1 1 1`,
    steps: 'dma 1 1 = blocked; alloc 1 1 = -EDQUOT; detach 1 1 1 = 0; alloc 1 1 = 1; attach 1 1 1 1 = 0; dma 1 1 = ok:1',
  },
  {
    name: '-ENOENT for a PASID with no entry or out of range',
    setup: `${ALLOC}; attach 1 1 1 1`,
    steps: 'detach 1 1 2 = -ENOENT; detach 1 1 3 = -ENOENT; detach 1 1 0 = -ENOENT',
  },
  { name: '-EPERM for a swq or another process\'s pdev', setup: `${ALLOC}; attach 1 1 1 1`, steps: 'detach 1 2 1 = -EPERM; detach 2 1 1 = -EPERM' },
  { name: '-ESRCH before -EPERM', steps: 'detach 0 2 9 = -ESRCH; detach 3 1 1 = -ESRCH; detach 1 2 9 = -EPERM' },
  { name: 'needs no open fd', setup: `${ALLOC}; attach 1 1 1 1; close 1 1`, steps: 'detach 1 1 1 = 0' },
]);

table('dma', [
  { name: 'faults for a swq, an unknown device, no entry', setup: ALLOC, steps: 'dma 2 1 = fault; dma 9 1 = fault; dma 1 1 = fault; dma 1 0 = fault' },
  { name: 'is blocked, not faulted, while the PASID is parked', setup: `${ALLOC}; attach 1 1 1 1; close 1 1`, steps: 'dma 1 1 = blocked; dma 1 2 = fault' },
  { name: 'faults after the owner exits: its entries are gone', setup: `${ALLOC}; attach 1 1 1 1`, steps: 'exit 1 = 0; dma 1 1 = fault' },
]);

/*
 * /dev/ioasid files and IOASIDs: open, close, alloc, destroy, and the common
 * checks (-ESRCH, then -EBADF) every ioctl runs first.
 */
import { LARGE, table } from './harness';

const ALLOC = 'open 1; alloc 1 1';

table('open', [
  { name: 'returns the lowest free fd, per process', steps: 'open 1 = 1; open 2 = 1' },
  { name: '-EMFILE when every fd slot is taken', setup: 'open 1', steps: 'open 1 = -EMFILE' },
  {
    name: 'reuses a closed fd number, lowest first',
    topology: LARGE,
    steps: 'open 1 = 1; open 1 = 2; open 1 = -EMFILE; close 1 1 = 0; open 1 = 1',
  },
  { name: '-ESRCH for a proc out of range', steps: 'open 0 = -ESRCH; open 3 = -ESRCH; open -1 = -ESRCH' },
  { name: '-ESRCH once the process has exited', setup: 'exit 1', steps: 'open 1 = -ESRCH; open 2 = 1' },
]);

table('close', [
  { name: 'frees the fd number', setup: 'open 1', steps: 'close 1 1 = 0; close 1 1 = -EBADF; open 1 = 1' },
  {
    name: 'destroys the IOASIDs: DMA blocked, handle gone from the new file at that number',
    setup: `${ALLOC}; attach 1 1 1 1`,
    steps: 'dma 1 1 = ok:1; close 1 1 = 0; dma 1 1 = blocked; open 1 = 1; destroy 1 1 1 = -ENOENT',
  },
  { name: '-EBADF for an fd never opened', steps: 'close 1 1 = -EBADF' },
  { name: '-EBADF for an fd out of range', setup: 'open 1', steps: 'close 1 2 = -EBADF; close 1 0 = -EBADF' },
  { name: '-EBADF: fd numbers are per process', setup: 'open 1', steps: 'close 2 1 = -EBADF' },
  { name: '-ESRCH before -EBADF', setup: 'open 1', steps: 'close 3 9 = -ESRCH; close 0 1 = -ESRCH' },
]);

table('alloc', [
  { name: 'returns handle 1 in each new file', setup: 'open 1; open 2', steps: 'alloc 1 1 = 1; alloc 2 1 = 1' },
  {
    name: 'lowest free handle; -EDQUOT at quota; a recycled PASID is uncharged',
    topology: LARGE,
    setup: 'open 1',
    steps: 'alloc 1 1 = 1; alloc 1 1 = 2; alloc 1 1 = -EDQUOT; destroy 1 1 1 = 0; alloc 1 1 = 1',
  },
  {
    name: '-EDQUOT: a parked PASID stays charged until its last holder lets go',
    setup: `${ALLOC}; attach 1 1 1 1; destroy 1 1 1`,
    steps: 'alloc 1 1 = -EDQUOT; detach 1 1 1 = 0; alloc 1 1 = 1',
  },
  {
    name: '-ENOSPC when no PASID is free',
    topology: LARGE,
    setup: 'open 1; open 1; alloc 1 1; alloc 1 1; alloc 1 2; open 2',
    steps: 'alloc 1 2 = -ENOSPC; alloc 2 1 = -ENOSPC; destroy 1 1 2 = 0; alloc 2 1 = 1',
  },
  {
    name: '-ENOSPC while a PASID is parked, for a fresh file at the same fd number',
    setup: `${ALLOC}; attach 1 1 1 1; close 1 1; open 1; open 2; alloc 2 1`,
    steps: 'alloc 1 1 = -ENOSPC; detach 1 1 1 = 0; alloc 1 1 = 1',
  },
  {
    name: '-EDQUOT before -ENOSPC',
    setup: `${ALLOC}; open 2; alloc 2 1`,
    steps: 'alloc 1 1 = -EDQUOT; alloc 2 1 = -EDQUOT',
  },
  { name: '-EBADF for an fd not open', steps: 'alloc 1 1 = -EBADF; alloc 1 2 = -EBADF' },
  { name: '-ESRCH before -EBADF', steps: 'alloc 0 1 = -ESRCH; alloc 3 9 = -ESRCH' },
]);

table('destroy', [
  {
    name: 'frees the handle; with no other holder the PASID is recycled at once',
    setup: ALLOC,
    steps: 'destroy 1 1 1 = 0; destroy 1 1 1 = -ENOENT; alloc 1 1 = 1',
  },
  {
    name: 'the next alloc takes the lowest free handle and PASID',
    topology: LARGE,
    setup: `open 1; alloc 1 1; alloc 1 1; attach 1 1 1 2`,
    steps: 'dma 1 2 = ok:1; destroy 1 1 1 = 0; alloc 1 1 = 1; attach 1 1 1 1 = 0; dma 1 1 = ok:1',
  },
  {
    name: '-ENOENT for a handle never allocated or out of range',
    setup: 'open 1',
    steps: 'destroy 1 1 1 = -ENOENT; destroy 1 1 2 = -ENOENT; destroy 1 1 0 = -ENOENT',
  },
  { name: '-ENOENT: handles are per file', setup: `${ALLOC}; open 2`, steps: 'destroy 2 1 1 = -ENOENT' },
  { name: '-EBADF before -ENOENT', setup: 'open 1', steps: 'destroy 1 9 9 = -EBADF; destroy 2 1 1 = -EBADF' },
  { name: '-ESRCH first', setup: ALLOC, steps: 'destroy 9 1 1 = -ESRCH' },
]);


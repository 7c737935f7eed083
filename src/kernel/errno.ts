/*
 * Errno values, returned negated by every ioctl. The numbers are Linux's, so a
 * trace reads like strace output and `errnoName` can print any result.
 */

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EBADF = 9;
export const EBUSY = 16;
export const EEXIST = 17;
export const EINVAL = 22;
export const EMFILE = 24;
export const ENOSPC = 28;
export const EDQUOT = 122;

const ERRNO_NAMES: Readonly<Record<number, string>> = {
  [EPERM]: 'EPERM',
  [ENOENT]: 'ENOENT',
  [ESRCH]: 'ESRCH',
  [EBADF]: 'EBADF',
  [EBUSY]: 'EBUSY',
  [EEXIST]: 'EEXIST',
  [EINVAL]: 'EINVAL',
  [EMFILE]: 'EMFILE',
  [ENOSPC]: 'ENOSPC',
  [EDQUOT]: 'EDQUOT',
};

/**
 * `-9` -> `'-EBADF'`. Anything that is not one of the negated errnos above (a
 * success value such as an fd number, a handle or `0`) prints as the number
 * itself, so `errnoName(result)` is the trace's result string for every ioctl.
 */
export function errnoName(negErrno: number): string {
  const name = ERRNO_NAMES[-negErrno];
  return name === undefined ? String(negErrno) : `-${name}`;
}

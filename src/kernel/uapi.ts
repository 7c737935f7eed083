/*
 * The ioctl ABI boundary. Every argument arrives from unreliable userspace as
 * an arbitrary value; like copy_from_user() followed by a bounds check, these
 * helpers turn it into something the tables understand before any object is
 * looked at. Only plain JS numbers are integers on this ABI (a string "1", a
 * bigint 1n or a boxed object are garbage), and reading an argument never calls
 * into it (no valueOf, no getters), so hostile objects cannot run code here.
 */

/**
 * An index from a dense 1..max number space (proc, fd, ioasid handle, pasid,
 * vpasid). Garbage and out-of-range values both read as 0, which no table
 * uses, so they fail with the same errno at the same point of the error order.
 */
export function user_index(arg: unknown, max: number): number {
  if (typeof arg !== 'number' || !Number.isInteger(arg)) return 0;
  return arg >= 1 && arg <= max ? arg : 0;
}

/**
 * A device, mdev or VM id: a name from the topology rather than a dense index.
 * Topology ids are positive integers (checked at boot), so garbage reads as 0
 * and names nothing.
 */
export function user_id(arg: unknown): number {
  return typeof arg === 'number' && Number.isSafeInteger(arg) && arg > 0 ? arg : 0;
}

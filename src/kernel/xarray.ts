/*
 * A tiny xarray: a sparse map from small indices to entries. As in the kernel
 * library, the structure lives inside its owner (a device's PASID table, a
 * file's handle table, a VM's ENQCMD table) and iteration is in index order,
 * which is what makes every teardown deterministic.
 */
import { EBUSY } from './errno';

export interface Xarray<T> {
  readonly slots: Map<number, T>;
}

export function xa_init<T>(): Xarray<T> {
  return { slots: new Map<number, T>() };
}

export function xa_load<T>(xa: Xarray<T>, index: number): T | undefined {
  return xa.slots.get(index);
}

/** Stores only into an empty slot: 0, or -EBUSY if the index is taken. */
export function xa_insert<T>(xa: Xarray<T>, index: number, entry: T): number {
  if (xa.slots.has(index)) return -EBUSY;
  xa.slots.set(index, entry);
  return 0;
}

/** Removes and returns the entry; the caller inherits whatever it held. */
export function xa_erase<T>(xa: Xarray<T>, index: number): T | undefined {
  const entry = xa.slots.get(index);
  xa.slots.delete(index);
  return entry;
}

/** The lowest free index in min..max, or 0 when every slot is taken. */
export function xa_find_free<T>(xa: Xarray<T>, min: number, max: number): number {
  for (let index = min; index <= max; index++) if (!xa.slots.has(index)) return index;
  return 0;
}

/**
 * The entries in index order, copied, so the caller may erase while it walks
 * (every teardown loop does).
 */
export function xa_for_each<T>(xa: Xarray<T>): Array<[number, T]> {
  return [...xa.slots.entries()].sort((a, b) => a[0] - b[0]);
}

export function xa_size<T>(xa: Xarray<T>): number {
  return xa.slots.size;
}

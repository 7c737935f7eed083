/*
 * The common header of every refcounted object, as struct iommufd_object:
 * `users` counts the holders, and the put that takes it to zero releases the
 * object. Who the holders are is stated where each object kind is defined.
 */
import { xa_erase, xa_init, xa_insert, type Xarray } from './xarray';

export interface KObject {
  /** Allocation counter: stable for the object's life, never reused. */
  readonly id: number;
  users: number;
}

/** The live objects of one kind, by id; debugfs walks it. */
export interface ObjectTable<T extends KObject> {
  next_id: number;
  readonly objects: Xarray<T>;
}

/**
 * A broken refcount or table is a kernel bug, never a userspace error: it
 * throws so that every test and fuzzer sees it at once.
 */
export function WARN_ON(condition: boolean, what: string): void {
  if (condition) throw new Error(`WARN_ON: ${what}`);
}

export function obj_table_init<T extends KObject>(): ObjectTable<T> {
  return { next_id: 1, objects: xa_init<T>() };
}

/** `make` builds the object with its first holder already counted in `users`. */
export function obj_alloc<T extends KObject>(table: ObjectTable<T>, make: (id: number) => T): T {
  const obj = make(table.next_id++);
  WARN_ON(obj.users !== 1, `object ${obj.id} born with ${obj.users} users`);
  xa_insert(table.objects, obj.id, obj);
  return obj;
}

export function obj_get(obj: KObject): void {
  WARN_ON(obj.users <= 0, `get of released object ${obj.id}`);
  obj.users++;
}

/**
 * Drops one user. True when that was the last one: the object has left the
 * table and the caller must finish its release.
 */
export function obj_put<T extends KObject>(table: ObjectTable<T>, obj: T): boolean {
  WARN_ON(obj.users <= 0, `put of released object ${obj.id}`);
  obj.users--;
  if (obj.users > 0) return false;
  xa_erase(table.objects, obj.id);
  return true;
}

/*
 * The kernel's object structs that point at each other, in one private
 * header (as iommufd_private.h): an IOASID names its file, a file holds its
 * IOASIDs by handle. The functions stay in file.ts and ioasid.ts, which
 * re-export these types.
 */
import type { KObject } from './object';
import type { Xarray } from './xarray';

export interface IoasidFile extends KObject {
  readonly proc: number;
  /** The fd number while open; null once closed (the number may be reused). */
  fd: number | null;
  readonly quota: number;
  /** PASIDs charged: live and parked IOASIDs of this file, until recycled. */
  charged: number;
  /** Live IOASIDs by handle; destroy removes the handle, not the IOASID. */
  readonly handles: Xarray<Ioasid>;
}

export interface Ioasid extends KObject {
  readonly file: IoasidFile;
  /** The handle in the file's table while live; null once destroyed. */
  handle: number | null;
  readonly pasid: number;
  /** Destroyed by userspace: parked until the last holder lets go. */
  destroyed: boolean;
  /** Every translation reaching this IOASID fails with a TLP error. */
  blocked: boolean;
}

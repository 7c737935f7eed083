/*
 * The kernel's object structs that point at each other, in one private
 * header (as iommufd_private.h): an IOASID names its file, a file holds its
 * IOASIDs by handle. The functions stay in file.ts and ioasid.ts, which
 * re-export these types.
 */
import type { KObject } from './object';
import type { MmStruct } from './mm';
import type { SwqQueue } from './queue';
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

/** An entry made through an mdev: the PASID routes to an IOASID. */
export interface SwqIoasidEntry {
  readonly kind: 'ioasid';
  readonly ioasid: Ioasid;
  /** The mdev the entry was made through: only its mdev_detach removes it. */
  readonly mdev: number;
}

/** An SVA entry (iommu_attach_device_pasid of an SVA domain): the PASID routes to a process's mm. */
export interface SwqSvaEntry {
  readonly kind: 'sva';
  readonly bond: SvaBond;
}

/** One PASID table per device: an mdev entry and an SVA entry can never share a PASID. */
export type SwqEntry = SwqIoasidEntry | SwqSvaEntry;

export interface Swq {
  readonly id: number;
  /** pasid -> entry; an mdev entry holds a reference on its ioasid, an SVA entry is its bond's. */
  readonly table: Xarray<SwqEntry>;
  readonly queue: SwqQueue;
  /** The device supports SVA (IOMMU_DEV_FEAT_SVA enabled): processes may bind their mm to it. */
  readonly sva: boolean;
}

/** An SVA binding of a process's mm to a swq (iommu_sva_bind_device). */
export interface SvaBond {
  readonly dev: Swq;
  /** Holds one mm_count reference until unbound. */
  readonly mm: MmStruct;
  /** The slot of the device's PASID table this bond occupies: the mm's PASID when it was bound. */
  readonly pasid: number;
}

/*
 * Module parameters: build-time switches of the kernel's own, chosen at boot.
 * The defaults are the design of the 2021 thread.
 *
 * destroy_busy: the iommufd behaviour (Linux 6.2+, iommufd_object_remove()):
 *   IOMMU_DESTROY of an object that anything else still uses fails with
 *   -EBUSY at once instead of parking it; close frees the fd number, and an
 *   IOASID still in use lives on until its last other user lets go.
 */
export interface KernelParams {
  readonly destroy_busy: boolean;
}

export const DEFAULT_PARAMS: KernelParams = { destroy_busy: false };

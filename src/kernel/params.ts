/*
 * Module parameters: build-time switches of the kernel's own, chosen at boot.
 * The defaults are the design of the 2021 thread, with SVA as it shipped.
 *
 * destroy_busy: the iommufd behaviour (Linux 6.2+, iommufd_object_remove()):
 *   IOMMU_DESTROY of an object that anything else still uses fails with
 *   -EBUSY at once instead of parking it; close frees the fd number, and an
 *   IOASID still in use lives on until its last other user lets go.
 *
 * sva_free_at_mmput: the 2022 use-after-free, as it stood in the 5.18 merge
 *   window before commit 2667ed10d9f0 "mm: Fix PASID use-after-free issue"
 *   (v5.18-rc6, fixing 701fac40384f; docs/ioasid-history.md): mm_pasid_drop() runs
 *   from __mmput(), when the address space is torn down at exit_mm(), instead
 *   of from __mmdrop(). The PASID goes back to the allocator undrained while
 *   the devices the process bound still have it programmed and queued; their
 *   release at exit_files() comes later and finds the mm holding no PASID.
 *   Off (the fix): the PASID lives as long as the mm_struct, so until the last
 *   binding's mmdrop(), after its drain.
 */
export interface KernelParams {
  readonly destroy_busy: boolean;
  readonly sva_free_at_mmput: boolean;
}

export const DEFAULT_PARAMS: KernelParams = { destroy_busy: false, sva_free_at_mmput: false };

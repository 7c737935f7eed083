/**
 * The claims of the seed, each quoted verbatim from Jason Gunthorpe's own
 * (unquoted) lines, and the invariants that encode it, with why. Every
 * invariant of the registry encodes at least one claim; a test holds both
 * facts (verbatim, and covered).
 */
import type { InvariantName } from './invariants';

export interface Claim {
  /** a stable name for CI, JSON and links */
  readonly id: string;
  /** the report's heading for it */
  readonly title: string;
  readonly quote: string;
  readonly encodedBy: readonly { readonly invariant: InvariantName; readonly why: string }[];
}

export const CLAIMS: readonly Claim[] = [
  {
    id: 'kvm-needs-presented-fd',
    title: 'KVM fills its table only from a presented FD',
    quote: 'KVM only adds to the table when userspace presents a /dev/ioasid FD.',
    encodedBy: [{ invariant: 'explicit-vm-authorization', why: 'a KVM entry needs a presented FD, and points only at an IOASID of that FD (of the VM\'s own process)' }],
  },
  {
    id: 'kvm-never-implicit',
    title: 'KVM never opts in by itself',
    quote: 'KVM should *not* automatically opt into security sensitive stuff without being explicitly told what to do.',
    encodedBy: [{ invariant: 'explicit-vm-authorization', why: 'every KVM entry carries a ghost bit saying it was made by kvm_map_pasid, never as a side effect' }],
  },
  {
    id: 'mdev-told-to-use-pasid',
    title: 'An mdev is told it may use a PASID',
    quote: 'The mdev needs to be told it is allowed to use PASID, this tells the IOMMU driver to connect the pci device under the mdev',
    encodedBy: [{ invariant: 'explicit-mdev-authorization', why: 'every parent-table entry made through an mdev records that the mdev was allowed for the IOASID\'s FD when it was made' }],
  },
  {
    id: 'kvm-told-to-populate-vpasid',
    title: 'KVM is told to populate each vPASID',
    quote: "KVM needs to be told to populate a vPASID to the 'ENQCMD' security table translated to a physical PASID.",
    encodedBy: [{ invariant: 'explicit-vm-authorization', why: 'authorization #2: an entry exists only in an enabled table, made by an explicit map' }],
  },
  {
    id: 'enqcmd-table-left-disabled',
    title: 'The ENQCMD table stays disabled unless enabled',
    quote: 'If qemu doesn\'t explicitly enable the ENQCMD security table it should be *left disabled* by KVM - even if someone else is using PASID in the same process.',
    encodedBy: [{ invariant: 'explicit-vm-authorization', why: 'a VM with entries has its table enabled; allocating PASIDs in the process adds nothing to it' }],
  },
  {
    id: 'no-pasid-leak-into-vm',
    title: 'No PASID leaks into a VM',
    quote: 'Having a PASID wrongly leak out into the VM would be a security disaster.',
    encodedBy: [
      { invariant: 'no-cross-tenant-dma', why: "a PASID leaked to another tenant shows as a DMA path (a VM's ENQCMD entry, a queued descriptor, an mdev or pdev entry) that lands in another process's memory" },
    ],
  },
  {
    id: 'ioasid-refcounted',
    title: 'The IOASID is a refcounted object',
    quote: 'The ioasid should be a reference counted object.',
    encodedBy: [{ invariant: 'refcount-exact', why: 'the refcount equals the holders: the FD while live, each table entry, each KVM entry' }],
  },
  {
    id: 'destroy-blocks-and-parks',
    title: 'Close or destroy blocks DMA and parks the PASID',
    quote: 'When the FD is closed, or the ioasid is "destroyed" it just blocks DMA and parks the PASID until *all* places release it.',
    encodedBy: [
      { invariant: 'destroyed-blocks-dma', why: 'after destroy or close, no table entry translates to the destroyed IOASID' },
      { invariant: 'recycle-at-zero', why: 'a parked PASID stays out of the free pool while anything still holds it, queued work included' },
      { invariant: 'pasid-unique', why: 'a parked PASID is still its IOASID\'s, so no second IOASID can be given it' },
      { invariant: 'quota', why: 'a parked PASID is still held by its ioasid set, so it still counts against that FD\'s quota' },
    ],
  },
  {
    id: 'recycle-at-zero-refcount',
    title: 'A PASID is recycled at zero references',
    quote: 'Upon a zero refcount the PASID is recycled for future use.',
    encodedBy: [
      { invariant: 'recycle-at-zero', why: 'only a PASID with no holder is in the free pool' },
      { invariant: 'no-leak', why: 'a PASID whose last holder is gone does go back to the pool: nothing stays parked forever' },
    ],
  },
  {
    id: 'tlp-errors-until-released',
    title: 'Blocked DMA until every holder releases',
    quote: 'The duration between unmapping the ioasid and releasing all HW access will have HW see PCIE TLP errors due to the blocked access.',
    encodedBy: [{ invariant: 'destroyed-blocks-dma', why: 'between destroy and the last release, DMA through a remaining entry is blocked (a TLP error), never translated' }],
  },
];

/**
 * ▶ The design alternatives argued in the thread (DESIGN.md §5), and the verdict
 * the design analysis expects of each. The toolkit confirms or refutes these.
 */
import type { InvariantName } from './invariants';

export const VARIANT_NAMES = [
  'reference',
  'no-drain',
  'recycle-on-destroy',
  'notifier-cleanup',
  'implicit-kvm-enqcmd',
  'implicit-mdev-pasid',
  'no-dma-block',
  'uncharge-on-destroy',
] as const;

export type Variant = (typeof VARIANT_NAMES)[number];

export interface VariantInfo {
  readonly name: Variant;
  /** what changes against the reference design */
  readonly change: string;
  /** who argued for (or against) it */
  readonly origin: string;
  /** invariants the design analysis expects to fail (empty: all hold) */
  readonly expectedToFail: readonly InvariantName[];
}

export const VARIANTS: Readonly<Record<Variant, VariantInfo>> = {
  reference: {
    name: 'reference',
    change: 'the design of the seed: refcounted IOASID, park on destroy, drain and recycle at zero, two explicit authorizations',
    origin: 'Jason Gunthorpe, LKML 31 Mar 2021',
    expectedToFail: [],
  },
  'no-drain': {
    name: 'no-drain',
    change: 'the zero-refcount recycle does not drain queued ENQCMD descriptors (mdev_detach still drains its parent)',
    origin: "Jacob Pan's in-flight ENQCMD hazard, same day",
    expectedToFail: ['recycle-at-zero', 'no-cross-tenant-dma'],
  },
  'recycle-on-destroy': {
    name: 'recycle-on-destroy',
    change: 'destroy/close recycles the PASID at once; entries keep the raw PASID while they hold the destroyed IOASID',
    origin: 'the naive free-on-destroy allocator',
    expectedToFail: ['recycle-at-zero', 'no-cross-tenant-dma'],
  },
  'notifier-cleanup': {
    name: 'notifier-cleanup',
    change: "destroy/close recycles at once and queues one notification per holder; holders release on 'deliver'",
    origin: 'the V4 patchset per-set notifier, rejected in the thread',
    expectedToFail: ['recycle-at-zero', 'no-cross-tenant-dma'],
  },
  'implicit-kvm-enqcmd': {
    name: 'implicit-kvm-enqcmd',
    change: "alloc silently maps vpasid = PASID into each of the process's VMs; enqcmd ignores the enable bit",
    origin: 'the "avoid new interfaces" position the seed rejects',
    expectedToFail: ['explicit-vm-authorization'],
  },
  'implicit-mdev-pasid': {
    name: 'implicit-mdev-pasid',
    change: 'mdev_attach skips the mdev allowance check',
    origin: 'the hidden interconnection the seed rejects',
    expectedToFail: ['explicit-mdev-authorization'],
  },
  'no-dma-block': {
    name: 'no-dma-block',
    change: 'destroy does not block DMA: entries keep translating to the destroyed IOASID',
    origin: 'teardown without a blocking domain',
    expectedToFail: ['destroyed-blocks-dma'],
  },
  'uncharge-on-destroy': {
    name: 'uncharge-on-destroy',
    change: "alloc's -EDQUOT counts live IOASIDs only: a parked PASID stops counting",
    origin: 'quota accounting that forgets parked PASIDs',
    expectedToFail: ['quota'],
  },
};

export function isVariant(name: string): name is Variant {
  return (VARIANT_NAMES as readonly string[]).includes(name);
}

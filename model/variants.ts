/**
 * ▶ The presets (DESIGN.md §5, §8, §9): the design alternatives argued in the
 * thread, the design that shipped in iommufd, and the verdict the design
 * analysis expects of each. Each preset is the reference with the one rule its
 * row names. The toolkit confirms or refutes the verdicts.
 *
 * This is the one place a preset's name means anything: everything else reads
 * `rules` (a test greps for preset names outside this table).
 */
import type { InvariantName } from './invariants';
import { REFERENCE_RULES, type Rules, rulesLabel, sameRules } from './rules';

export const VARIANT_NAMES = [
  'reference',
  'no-drain',
  'recycle-on-destroy',
  'notifier-cleanup',
  'implicit-kvm-enqcmd',
  'implicit-mdev-pasid',
  'no-dma-block',
  'uncharge-on-destroy',
  'iommufd-busy',
] as const;

/**
 * ▶ Presets whose rule changes something only at SVA scopes (§10). They are
 * variants like the others (`--variant`), but `check` and `report` run them
 * only at a scope with `"sva": true`: elsewhere they are the reference.
 */
export const SVA_VARIANT_NAMES = ['sva-free-at-mmput'] as const;

export type Variant = (typeof VARIANT_NAMES)[number] | (typeof SVA_VARIANT_NAMES)[number];

/** Every preset, §5/§9 then §10. */
export const ALL_VARIANT_NAMES: readonly Variant[] = [...VARIANT_NAMES, ...SVA_VARIANT_NAMES];

/** The presets `check` and `report` run at a scope: the SVA ones only at SVA scopes. */
export function variantsAt(scope: { readonly sva?: boolean }): readonly Variant[] {
  return scope.sva === true ? ALL_VARIANT_NAMES : VARIANT_NAMES;
}

export interface VariantInfo {
  readonly name: Variant;
  /** the design as data: the reference with this preset's one rule */
  readonly rules: Rules;
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
    rules: REFERENCE_RULES,
    change: 'the design of the seed: refcounted IOASID, park on destroy, drain and recycle at zero, two explicit authorizations',
    origin: 'Jason Gunthorpe, LKML 31 Mar 2021',
    expectedToFail: [],
  },
  'no-drain': {
    name: 'no-drain',
    rules: { ...REFERENCE_RULES, drain: false },
    change: 'the zero-refcount recycle does not drain queued ENQCMD descriptors (mdev_detach still drains its parent)',
    origin: "Jacob Pan's in-flight ENQCMD hazard, same day",
    expectedToFail: ['recycle-at-zero', 'no-cross-tenant-dma'],
  },
  'recycle-on-destroy': {
    name: 'recycle-on-destroy',
    rules: { ...REFERENCE_RULES, recycle: 'at-destroy' },
    change: 'destroy/close recycles the PASID at once; entries keep the raw PASID while they hold the destroyed IOASID',
    origin: 'the naive free-on-destroy allocator',
    expectedToFail: ['recycle-at-zero', 'no-cross-tenant-dma'],
  },
  'notifier-cleanup': {
    name: 'notifier-cleanup',
    rules: { ...REFERENCE_RULES, recycle: 'notifier' },
    change: "destroy/close recycles at once and queues one notification per holder; holders release on 'deliver'",
    origin: 'the V4 patchset per-set notifier, rejected in the thread',
    expectedToFail: ['recycle-at-zero', 'no-cross-tenant-dma'],
  },
  'implicit-kvm-enqcmd': {
    name: 'implicit-kvm-enqcmd',
    rules: { ...REFERENCE_RULES, kvmAuth: 'implicit' },
    change: "alloc silently maps vpasid = PASID into each of the process's VMs; enqcmd ignores the enable bit",
    origin: 'the "avoid new interfaces" position the seed rejects',
    expectedToFail: ['explicit-vm-authorization'],
  },
  'implicit-mdev-pasid': {
    name: 'implicit-mdev-pasid',
    rules: { ...REFERENCE_RULES, mdevAuth: 'implicit' },
    change: 'mdev_attach skips the mdev allowance check',
    origin: 'the hidden interconnection the seed rejects',
    expectedToFail: ['explicit-mdev-authorization'],
  },
  'no-dma-block': {
    name: 'no-dma-block',
    rules: { ...REFERENCE_RULES, blockOnDestroy: false },
    change: 'destroy does not block DMA: entries keep translating to the destroyed IOASID',
    origin: 'teardown without a blocking domain',
    expectedToFail: ['destroyed-blocks-dma'],
  },
  'uncharge-on-destroy': {
    name: 'uncharge-on-destroy',
    rules: { ...REFERENCE_RULES, quotaCounts: 'live' },
    change: "alloc's -EDQUOT counts live IOASIDs only: a parked PASID stops counting",
    origin: 'quota accounting that forgets parked PASIDs',
    expectedToFail: ['quota'],
  },
  'iommufd-busy': {
    name: 'iommufd-busy',
    rules: { ...REFERENCE_RULES, destroyInUse: 'busy' },
    change: 'destroy of an IOASID still in use fails with -EBUSY; close frees the fd number and each IOASID lives until its last user lets go',
    origin: 'upstream iommufd (Linux 6.2+), the design that shipped',
    expectedToFail: [],
  },
  'sva-free-at-mmput': {
    name: 'sva-free-at-mmput',
    rules: { ...REFERENCE_RULES, svaPasidFree: 'mmput' },
    change: "the mm's PASID is freed at exit_mm (__mmput), undrained, while the SVA bindings and their entries still carry it",
    origin: 'Linux 5.18 development cycle (2022): mm_pasid_drop() first called from __mmput(), moved to __mmdrop() before the release',
    expectedToFail: ['recycle-at-zero', 'no-cross-tenant-dma'],
  },
};

export function isVariant(name: string): name is Variant {
  return (ALL_VARIANT_NAMES as readonly string[]).includes(name);
}

/**
 * A design to check: its name, its rules, and (optionally) the invariants its
 * author expects to fail. A preset is one; so is a user's design file.
 */
export interface Design {
  readonly name: string;
  readonly rules: Rules;
  /** invariants expected to fail; undefined: the author said nothing (no verdict to hold it to) */
  readonly expect?: readonly InvariantName[];
}

/** The preset whose rules equal `rules`, if any. */
export function presetOf(rules: Rules): Variant | undefined {
  return ALL_VARIANT_NAMES.find((v) => sameRules(VARIANTS[v].rules, rules));
}

/** The §8 name: the preset's when the rules equal a preset's, else the given name, else the changed rules. */
export function designName(rules: Rules, given?: string): string {
  return presetOf(rules) ?? given ?? rulesLabel(rules);
}

export function presetDesign(v: Variant): Design {
  const p = VARIANTS[v];
  return { name: p.name, rules: p.rules, expect: p.expectedToFail };
}

/** The designs `check` runs by default: every preset, in table order. */
export const PRESET_DESIGNS: readonly Design[] = VARIANT_NAMES.map(presetDesign);

/** The design of the seed. */
export const REFERENCE_DESIGN: Design = presetDesign('reference');

export const isReferenceRules = (rules: Rules): boolean => sameRules(rules, REFERENCE_RULES);

/** The reference preset's name, for APIs that still take a preset (proofs/ until it reads rules). */
export const REFERENCE_PRESET: Variant = 'reference';

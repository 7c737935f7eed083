/**
 * Scope: the sizes and static topology of one finite instance (DESIGN.md §2).
 * Handles are small integers; every id list is 1..n in order.
 */
export type DeviceSpec =
  | { readonly id: number; readonly kind: 'pdev'; readonly owner: number }
  | { readonly id: number; readonly kind: 'swq' };

export interface MdevSpec {
  readonly id: number;
  /** the swq device this mdev slices */
  readonly parent: number;
  readonly owner: number;
  /** the VM the owner gave this mdev to */
  readonly vm: number;
}

export interface VmSpec {
  readonly id: number;
  readonly owner: number;
}

export interface Scope {
  readonly procs: number;
  readonly fdsPerProc: number;
  readonly quota: number;
  readonly pasids: number;
  readonly vpasids: number;
  readonly swqDepth: number;
  readonly devices: readonly DeviceSpec[];
  readonly mdevs: readonly MdevSpec[];
  readonly vms: readonly VmSpec[];
  /** ▶ DESIGN.md §10: SVA (the mm's PASID) is in the model; absent means false */
  readonly sva?: boolean;
}

/**
 * The topology rules of a scope, in one place: ids 1..n in order, and every
 * cross-reference names something that exists (a pdev's and a VM's owner are
 * processes, an mdev's parent is a swq device and its VM belongs to its
 * owner). What breaks them, one line each, in this order; none for a valid
 * scope. src/scopes.ts holds scope files to them; scopeSpace.ts builds only
 * topologies that keep them.
 */
export function topologyErrors(s: Scope): string[] {
  const errors: string[] = [];
  for (const [name, list] of [['devices', s.devices], ['mdevs', s.mdevs], ['vms', s.vms]] as const) {
    list.forEach((x, i) => x.id !== i + 1 && errors.push(`${name}[${i}].id is ${x.id}; ids must be 1..n in order`));
  }
  for (const d of s.devices) if (d.kind === 'pdev' && d.owner > s.procs) errors.push(`device ${d.id} owner ${d.owner} > procs ${s.procs}`);
  for (const v of s.vms) if (v.owner > s.procs) errors.push(`vm ${v.id} owner ${v.owner} > procs ${s.procs}`);
  for (const m of s.mdevs) {
    if (s.devices[m.parent - 1]?.kind !== 'swq') errors.push(`mdev ${m.id} parent ${m.parent} is not a swq device`);
    if (m.owner > s.procs) errors.push(`mdev ${m.id} owner ${m.owner} > procs ${s.procs}`);
    if (s.vms[m.vm - 1]?.owner !== m.owner) errors.push(`mdev ${m.id} vm ${m.vm} is not a VM of its owner ${m.owner}`);
  }
  return errors;
}

const DEFAULT: Scope = {
  procs: 2,
  fdsPerProc: 1,
  quota: 1,
  pasids: 2,
  vpasids: 1,
  swqDepth: 1,
  devices: [
    { id: 1, kind: 'pdev', owner: 1 },
    { id: 2, kind: 'swq' },
  ],
  mdevs: [
    { id: 1, parent: 2, owner: 1, vm: 1 },
    { id: 2, parent: 2, owner: 2, vm: 2 },
  ],
  vms: [
    { id: 1, owner: 1 },
    { id: 2, owner: 2 },
  ],
};

/** ▶ The presets of DESIGN.md §2, exactly. */
export const PRESETS = {
  tiny: {
    ...DEFAULT,
    devices: [{ id: 1, kind: 'swq' }],
    mdevs: [
      { id: 1, parent: 1, owner: 1, vm: 1 },
      { id: 2, parent: 1, owner: 2, vm: 2 },
    ],
  },
  default: DEFAULT,
  large: { ...DEFAULT, quota: 2, pasids: 3 },
  /** ▶ §10: process 1 uses SVA only; process 2 has both worlds on the same swq. */
  sva: {
    procs: 2,
    fdsPerProc: 1,
    quota: 1,
    pasids: 2,
    vpasids: 1,
    swqDepth: 1,
    sva: true,
    devices: [
      { id: 1, kind: 'pdev', owner: 2 },
      { id: 2, kind: 'swq' },
      { id: 3, kind: 'swq' },
    ],
    mdevs: [{ id: 1, parent: 2, owner: 2, vm: 1 }],
    vms: [{ id: 1, owner: 2 }],
  },
} as const satisfies Record<string, Scope>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

/** The largest pasid count the model supports: the free pool is a bit mask. */
export const MAX_PASIDS = 30;

/**
 * An IOASID's life as a Mermaid state diagram: the reference design's states
 * (allocated, attached, parked, recycled) and, in red, the shortcut each
 * flawed variant takes and the invariant it breaks. Labels come from the
 * found verdicts of the report's runs (not from the expectation), so the
 * diagram says what this run showed.
 */
import { REFERENCE_RULES, type RuleName, type Rules, designName } from '../../model/index';
import { mermaidText } from '../render/mermaid';

interface Shortcut {
  /** the one rule that takes the shortcut, and its value */
  readonly rule: { readonly [R in RuleName]: { readonly name: R; readonly value: Rules[R] } }[RuleName];
  readonly from: string;
  readonly to: string;
  readonly toLabel: string;
  readonly edge: string;
}

const SHORTCUTS: readonly Shortcut[] = [
  { rule: { name: 'recycle', value: 'at-destroy' }, from: 'attached', to: 'early', toLabel: 'recycled while still held', edge: 'destroy or close recycles the PASID at once' },
  { rule: { name: 'recycle', value: 'notifier' }, from: 'attached', to: 'early', toLabel: 'recycled while still held', edge: 'destroy recycles at once, holders told later by notifier' },
  { rule: { name: 'drain', value: false }, from: 'parked', to: 'undrained', toLabel: 'recycled with ENQCMD work still queued', edge: 'last holder releases, queue not drained' },
  { rule: { name: 'blockOnDestroy', value: false }, from: 'attached', to: 'translating', toLabel: 'destroyed but still translating', edge: 'destroy without blocking DMA' },
  { rule: { name: 'quotaCounts', value: 'live' }, from: 'attached', to: 'uncharged', toLabel: 'parked but no longer charged to its FD', edge: 'destroy stops counting the PASID' },
  { rule: { name: 'kvmAuth', value: 'implicit' }, from: 'allocated', to: 'implicit', toLabel: 'in a VM ENQCMD table nobody asked for', edge: 'alloc maps vPASID = PASID into every VM' },
  { rule: { name: 'mdevAuth', value: 'implicit' }, from: 'allocated', to: 'unallowed', toLabel: 'attached to an mdev never allowed PASID', edge: 'mdev_attach without the allowance' },
];

/** `found`: the invariants each design was found to break in the report's runs (the labels say these, not the expectation). */
export function lifecycleDiagram(found: ReadonlyMap<string, readonly string[]> = new Map()): string {
  const lines = [
    'stateDiagram-v2',
    '  direction LR',
    '  state "allocated: live, users 1 (the FD)" as allocated',
    '  state "attached: live, held by table or KVM entries" as attached',
    '  state "parked: destroyed, DMA blocked, PASID kept" as parked',
    '  state "recycled: PASID back in the free pool" as recycled',
    '  [*] --> allocated: alloc takes the lowest free PASID',
    '  allocated --> attached: attach, mdev_attach, kvm_map_pasid (users +1)',
    '  attached --> allocated: last entry released (users -1)',
    '  allocated --> recycled: destroy or close with no other holder (users 0)',
    '  attached --> parked: destroy or close (DMA blocked, users -1)',
    '  parked --> recycled: last holder releases (users 0, queued work drained)',
    '  recycled --> [*]',
  ];
  const targets = new Map<string, string>();
  for (const s of SHORTCUTS) targets.set(s.to, s.toLabel);
  for (const [id, label] of targets) lines.push(`  state "${mermaidText(label)}" as ${id}`);
  for (const s of SHORTCUTS) {
    const name = designName({ ...REFERENCE_RULES, [s.rule.name]: s.rule.value } as Rules);
    const got = found.get(name);
    const breaks = got === undefined ? 'not explored here' : got.length === 0 ? 'breaks nothing at this scope' : `breaks ${got.join(', ')}`;
    lines.push(`  ${s.from} --> ${s.to}: ${mermaidText(`${name}: ${s.edge}, ${breaks}`)}`);
  }
  lines.push('  classDef flawed fill:#fde2e2,stroke:#c0392b,color:#7b241c');
  lines.push(`  class ${[...targets.keys()].join(',')} flawed`);
  return lines.join('\n');
}

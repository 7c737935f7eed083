/**
 * ▶ Designs as data (DESIGN.md §8): a design is a record of rules. The model,
 * the explorer, the proofs and the report read these rules, never a preset's
 * name, so rules compose and a user can check a design of their own.
 *
 * The presets (the variants the thread argued, and `iommufd-busy`, the design
 * that shipped) live in variants.ts; this file knows only the rules.
 */

/** ▶ The rules and their values, the reference's first, in DESIGN.md §8 table order. */
export const RULE_VALUES = {
  recycle: ['at-zero', 'at-destroy', 'notifier'],
  drain: [true, false],
  kvmAuth: ['explicit', 'implicit'],
  mdevAuth: ['explicit', 'implicit'],
  blockOnDestroy: [true, false],
  quotaCounts: ['charged', 'live'],
  destroyInUse: ['park', 'busy'],
  svaPasidFree: ['mmdrop', 'mmput'],
} as const;

export type RuleName = keyof typeof RULE_VALUES;
export const RULE_NAMES = Object.keys(RULE_VALUES) as RuleName[];

export type RuleValue<R extends RuleName> = (typeof RULE_VALUES)[R][number];

/** A design: one value for every rule. */
export type Rules = { readonly [R in RuleName]: RuleValue<R> };

/** The design of the seed: every rule at its first value. */
export const REFERENCE_RULES: Rules = Object.freeze(
  Object.fromEntries(RULE_NAMES.map((r) => [r, RULE_VALUES[r][0]])) as unknown as Rules,
);

export function isRuleName(name: string): name is RuleName {
  return Object.prototype.hasOwnProperty.call(RULE_VALUES, name);
}

export function isRuleValue<R extends RuleName>(rule: R, value: unknown): value is RuleValue<R> {
  return (RULE_VALUES[rule] as readonly unknown[]).includes(value);
}

/** Every value of a rule as the CLI spells it (`true`, `at-zero`). */
export function ruleValueTexts(rule: RuleName): string[] {
  return (RULE_VALUES[rule] as readonly unknown[]).map(String);
}

/** Parses `value` as given on a command line (`drain=false`) for `rule`; undefined if not allowed. */
export function parseRuleValue(rule: RuleName, text: string): RuleValue<RuleName> | undefined {
  return (RULE_VALUES[rule] as readonly RuleValue<RuleName>[]).find((v) => String(v) === text);
}

export function sameRules(a: Rules, b: Rules): boolean {
  return RULE_NAMES.every((r) => a[r] === b[r]);
}

/** The rules where `rules` differs from the reference, in table order. */
export function changedRules(rules: Rules): RuleName[] {
  return RULE_NAMES.filter((r) => rules[r] !== REFERENCE_RULES[r]);
}

/** `drain=false+mdevAuth=implicit`: the §8 name of a design nobody named; empty for the reference rules. */
export function rulesLabel(rules: Rules): string {
  const changed = changedRules(rules);
  return changed.length === 0 ? '' : changed.map((r) => `${r}=${String(rules[r])}`).join('+');
}

// ---- What the rules mean, in the seed's words: every consumer asks these ----

/** destroy/close recycles the PASID at once (the IOASID lives on, PASID-less). */
export const recyclesAtDestroy = (r: Rules): boolean => r.recycle !== 'at-zero' && r.destroyInUse === 'park';
/** destroy/close queues one notification per holder, released by `deliver`. */
export const notifies = (r: Rules): boolean => r.recycle === 'notifier' && r.destroyInUse === 'park';
/** `destroy` of an IOASID that is still held fails with -EBUSY (iommufd, §9). */
export const busyOnDestroy = (r: Rules): boolean => r.destroyInUse === 'busy';
/** Recycling drains the queues of work tagged with the PASID. */
export const drainsOnRecycle = (r: Rules): boolean => r.drain;
/** Destroy blocks DMA through the IOASID's entries. */
export const blocksOnDestroy = (r: Rules): boolean => r.blockOnDestroy;
/** -EDQUOT counts live IOASIDs only (a parked PASID stops counting). */
export const quotaCountsLiveOnly = (r: Rules): boolean => r.quotaCounts === 'live';
/** alloc maps vpasid = PASID into the process's VMs; enqcmd ignores the enable bit. */
export const implicitKvm = (r: Rules): boolean => r.kvmAuth === 'implicit';
/** mdev_attach skips the allowance check. */
export const implicitMdev = (r: Rules): boolean => r.mdevAuth === 'implicit';
/** The mm's PASID is freed at exit_mm, undrained (the 2022 bug, §10). */
export const svaFreeAtMmput = (r: Rules): boolean => r.svaPasidFree === 'mmput';

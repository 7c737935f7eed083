/**
 * Designs from the outside world (DESIGN.md §8): a preset name, a design file,
 * `--rule NAME=VALUE` overrides, a trace's `#meta.rules`. Everything that
 * arrives here is untrusted and leaves as a `Design` or a one-line ToolError.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import {
  type Design,
  REFERENCE_DESIGN,
  INVARIANT_NAMES,
  type InvariantName,
  RULE_NAMES,
  RULE_VALUES,
  type RuleName,
  type Rules,
  VARIANTS,
  VARIANT_NAMES,
  type Variant,
  designName,
  isInvariantName,
  isRuleName,
  isRuleValue,
  isVariant,
  parseRuleValue,
  presetOf,
  ruleValueTexts,
} from '../model/index';
import { ToolError, unknownName } from './errors';

const allowed = (rule: RuleName): string => ruleValueTexts(rule).join(', ');

function ruleValue(rule: RuleName, value: unknown, where: string): Rules[RuleName] {
  if (!isRuleValue(rule, value)) {
    const shown = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
    const hint = typeof value === 'string' && parseRuleValue(rule, value) !== undefined ? ' (a JSON boolean, not a string)' : '';
    throw new ToolError('E_RULE', `${where}: rule ${rule} cannot be ${shown}${hint}; allowed: ${allowed(rule)}`);
  }
  return value;
}

/** A (partial) rules object as JSON gives it, every key and value checked. */
export function parseRules(raw: unknown, where: string): Partial<Rules> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ToolError('E_RULE', `${where}: rules must be an object of rule: value; rules: ${RULE_NAMES.join(', ')}`);
  }
  const out: Partial<Record<RuleName, unknown>> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!isRuleName(k)) throw unknownName('rule', k, RULE_NAMES);
    out[k] = ruleValue(k, v, where);
  }
  return out as Partial<Rules>;
}

const DesignFile = z
  .object({
    $comment: z.unknown().optional(),
    name: z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._+=-]*$/, 'letters, digits and . _ + = - only').optional(),
    base: z.string().optional(),
    rules: z.unknown().optional(),
    expect: z.array(z.string()).optional(),
  })
  .strict();

function baseOf(name: string | undefined): Variant {
  const base = name ?? REFERENCE_DESIGN.name;
  if (!isVariant(base)) throw unknownName('base preset', base, VARIANT_NAMES);
  return base;
}

function expectList(names: readonly string[], where: string): InvariantName[] {
  const out: InvariantName[] = [];
  for (const n of names) {
    if (!isInvariantName(n)) throw unknownName(`invariant in ${where} expect`, n, INVARIANT_NAMES);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** The design a JSON value describes (§8 design file). */
export function parseDesign(raw: unknown, where: string): Design {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ToolError('E_DESIGN', `${where}: a design file must be a JSON object {"name", "base", "rules", "expect"}`);
  }
  const parsed = DesignFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.') || '(root)';
    const msg = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map((k) => `'${k}'`).join(', ')}; known: name, base, rules, expect, $comment` : issue.message;
    throw new ToolError('E_DESIGN', `${where}: ${path}: ${msg}`);
  }
  const d = parsed.data;
  const base = baseOf(d.base);
  const rules: Rules = { ...VARIANTS[base].rules, ...(d.rules === undefined ? {} : parseRules(d.rules, `${where}: rules`)) };
  const expect = d.expect !== undefined ? expectList(d.expect, where) : presetOf(rules) !== undefined ? VARIANTS[presetOf(rules)!].expectedToFail : undefined;
  return { name: designName(rules, d.name), rules, ...(expect !== undefined ? { expect } : {}) };
}

export const MAX_DESIGN_BYTES = 1 << 20;

export function readDesignFile(path: string): Design & { readonly file: string } {
  if (!existsSync(path)) throw new ToolError('E_FILE', `design file '${path}' does not exist`);
  const st = statSync(path);
  if (st.isDirectory()) throw new ToolError('E_FILE', `'${path}' is a directory, not a design file`);
  if (st.size > MAX_DESIGN_BYTES) throw new ToolError('E_TOO_LARGE', `design file '${path}' is ${st.size} bytes; the limit is ${MAX_DESIGN_BYTES}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ToolError('E_JSON', `${path}: not valid JSON: ${(e as Error).message}`);
  }
  return { ...parseDesign(raw, path), file: path };
}

/**
 * `--rule NAME=VALUE` overrides, left to right, on top of `design`. The name
 * follows §8: the preset's if the rules now equal one, else the file's name
 * (if any), else the changed rules.
 */
export function withRuleArgs(design: Design, args: readonly string[], givenName?: string): Design {
  if (args.length === 0) return design;
  const seen = new Set<string>();
  const rules: Record<string, unknown> = { ...design.rules };
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new ToolError('E_RULE', `--rule '${arg}' must be NAME=VALUE; rules: ${RULE_NAMES.join(', ')}`);
    const name = arg.slice(0, eq);
    const text = arg.slice(eq + 1);
    if (!isRuleName(name)) throw unknownName('rule', name, RULE_NAMES);
    if (seen.has(name)) throw new ToolError('E_RULE', `--rule ${name} is given twice; give each rule once`);
    seen.add(name);
    const value = parseRuleValue(name, text);
    if (value === undefined) throw new ToolError('E_RULE', `--rule ${name}=${text}: allowed values of ${name}: ${allowed(name)}`);
    rules[name] = value;
  }
  const r = rules as unknown as Rules;
  const preset = presetOf(r);
  const expect = preset !== undefined ? VARIANTS[preset].expectedToFail : undefined;
  return { name: designName(r, givenName), rules: r, ...(expect !== undefined ? { expect } : {}) };
}

export interface DesignArgs {
  readonly variant?: string | undefined;
  readonly design?: string | undefined;
  readonly rule?: readonly string[] | undefined;
}

/** The design named on a command line: `--variant` or `--design`, then `--rule`s. */
export function resolveDesign(a: DesignArgs, fallback: Design | undefined = REFERENCE_DESIGN): Design {
  if (a.variant !== undefined && a.design !== undefined) {
    throw new ToolError('E_USAGE', '--variant and --design are two ways to name the design: give one');
  }
  let base: Design;
  let fileName: string | undefined;
  if (a.design !== undefined) {
    const d = readDesignFile(a.design);
    base = d;
    fileName = presetOf(d.rules) === undefined ? d.name : undefined;
  } else if (a.variant !== undefined) {
    if (!isVariant(a.variant)) throw unknownName('variant', a.variant, VARIANT_NAMES);
    base = presetDesignOf(a.variant);
  } else if (fallback !== undefined) {
    base = fallback;
  } else if ((a.rule ?? []).length > 0) {
    base = REFERENCE_DESIGN;
  } else {
    throw new ToolError('E_USAGE', `--variant, --design or --rule is required; variants: ${VARIANT_NAMES.join(', ')}`);
  }
  const rules = a.rule ?? [];
  if (rules.length === 0) return base;
  const out = withRuleArgs(base, rules, fileName);
  // A design file's own expectation no longer speaks for rules changed on top of it.
  return out;
}

function presetDesignOf(v: Variant): Design {
  const p = VARIANTS[v];
  return { name: p.name, rules: p.rules, expect: p.expectedToFail };
}

/** A one-line description of a design's rules for people: `drain=false, mdevAuth=implicit` or `the reference rules`. */
export function describeRules(rules: Rules): string {
  const changed = RULE_NAMES.filter((r) => rules[r] !== RULE_VALUES[r][0]);
  return changed.length === 0 ? 'the reference rules' : changed.map((r) => `${r}=${String(rules[r])}`).join(', ');
}

/** The command-line flags that name `design` again (for "reproduce:" lines). */
export function designFlags(design: Pick<Design, 'rules'>): string {
  const preset = presetOf(design.rules);
  if (preset !== undefined) return `--variant ${preset}`;
  return RULE_NAMES.filter((r) => design.rules[r] !== RULE_VALUES[r][0]).map((r) => `--rule ${r}=${String(design.rules[r])}`).join(' ');
}

/**
 * Result files handed to `report --evidence FILE`: JSON written by other
 * commands with --json (explore, simulate, bmc, check, prove, replay), a
 * Stryker mutation report, or any result object with a boolean `ok`. Each is
 * recognised by its shape, its names checked against the registries, and
 * reduced to facts about (variant, invariant) pairs plus a one-line summary.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { INVARIANT_NAMES, type InvariantName, REFERENCE_DESIGN, VARIANT_NAMES, type Variant, isInvariantName, isVariant, presetOf } from '../../model/index';
import { parseDesign } from '../design';
import { AUX_INVARIANTS, SLOTS_SUFFICE } from '../../proofs/index';
import { ToolError, unknownName } from '../errors';

import { type EvidenceKind, type Recheck, recheckEvidence } from './recheck';

export type { EvidenceKind, Recheck } from './recheck';

/** One finding about an invariant under a variant: does it hold there? */
export interface Fact {
  readonly variant: Variant;
  readonly invariant: InvariantName;
  readonly holds: boolean | 'unknown';
  /** e.g. "holds in 1000 walks of 100 steps", "violated in 7 steps", "3/3 obligations proved" */
  readonly text: string;
}

export interface Evidence {
  readonly file: string;
  readonly sha256: string;
  readonly kind: EvidenceKind;
  readonly summary: string;
  readonly facts: readonly Fact[];
  /** re-run here where cheap (an exploration, walks from their seed, a trace), or why not */
  readonly recheck: Recheck;
}

export const MAX_EVIDENCE_BYTES = 16 << 20;

const Verdicts = z.record(z.string(), z.object({ holds: z.boolean(), length: z.number().int().optional() }).passthrough());
const Runs = z.object({ variant: z.string(), invariants: Verdicts }).passthrough();
const Check = z.object({ ok: z.boolean(), variants: z.array(Runs) }).passthrough();
const Prove = z
  .object({
    variant: z.string().optional(),
    obligations: z.array(z.object({ invariant: z.string(), action: z.string(), status: z.enum(['proved', 'refuted', 'unknown']) }).passthrough()),
  })
  .passthrough();
const Sweep = z
  .object({
    variant: z.string(),
    bound: z.unknown(),
    status: z.enum(['proved', 'refuted', 'unknown']),
    scopes: z.array(z.object({ key: z.string(), status: z.enum(['proved', 'refuted', 'unknown']) }).passthrough()),
    /** one slice of a sweep (prove --up-to --shard): not a claim about every scope until merged */
    shard: z.object({ index: z.number(), count: z.number() }).passthrough().optional(),
  })
  .passthrough();
const Replay = z.object({ ok: z.boolean(), divergence: z.unknown(), steps: z.array(z.unknown()) }).passthrough();
const Mutation = z
  .object({ schemaVersion: z.string(), files: z.record(z.string(), z.object({ mutants: z.array(z.object({ status: z.string() }).passthrough()) }).passthrough()) })
  .passthrough();
const int = z.number().int().nonnegative();
const Scope = z.union([z.string(), z.record(z.string(), z.unknown())]);
/** The exact fields each command writes with --json (src/cli/commands/*.ts), so a forged or hand-written file is refused. */
const EXACT = {
  explore: z.object({
    variant: z.string(), scope: Scope, states: int, transitions: int, depth: int, seconds: z.number().nonnegative(),
    invariants: z.record(z.string(), z.union([z.object({ holds: z.literal(true) }).strict(), z.object({ holds: z.literal(false), length: int }).passthrough()])),
  }).passthrough(),
  bmc: z.object({
    variant: z.string(), scope: Scope, depth: int, seconds: z.number().nonnegative(), perDepth: z.array(z.unknown()), lemmas: z.array(z.string()),
    invariants: z.record(z.string(), z.union([
      z.object({ holds: z.literal(true), upToDepth: int }).strict(),
      z.object({ holds: z.literal(false), length: int, trace: z.string(), replayed: z.boolean() }).passthrough(),
      z.object({ holds: z.literal('unknown'), upToDepth: int, reason: z.string() }).strict(),
    ])),
  }).passthrough(),
  simulate: z.object({ variant: z.string(), scope: Scope, seed: int, runs: int, steps: int, calls: int, invariants: z.record(z.string(), z.unknown()) }).passthrough(),
} as const;

function exactRun(kind: 'explore' | 'bmc' | 'simulate', raw: unknown, file: string): void {
  const r = EXACT[kind].safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ToolError('E_EVIDENCE', `evidence file '${file}' looks like ${kind} --json output but is not what ${kind} writes: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const names = Object.keys((raw as { invariants: object }).invariants);
  if (kind === 'explore' && names.length !== INVARIANT_NAMES.length) {
    throw new ToolError('E_EVIDENCE', `evidence file '${file}': explore --json gives all ${INVARIANT_NAMES.length} invariants, this file ${names.length}`);
  }
  if (kind === 'bmc') {
    const depth = (raw as { depth: number }).depth;
    for (const [name, v] of Object.entries((raw as { invariants: Record<string, { upToDepth?: number; length?: number }> }).invariants)) {
      if ((v.upToDepth ?? 0) > depth || (v.length ?? 0) > depth) throw new ToolError('E_EVIDENCE', `evidence file '${file}': ${name} is reported beyond the searched depth ${depth}`);
    }
  }
}

export function readEvidence(file: string): Evidence {
  if (!existsSync(file)) throw new ToolError('E_FILE', `evidence file '${file}' does not exist`);
  const st = statSync(file);
  if (st.isDirectory()) throw new ToolError('E_FILE', `evidence file '${file}' is a directory`);
  if (st.size > MAX_EVIDENCE_BYTES) throw new ToolError('E_TOO_LARGE', `evidence file '${file}' is ${st.size} bytes; the limit is ${MAX_EVIDENCE_BYTES}`);
  const bytes = readFileSync(file);
  if (bytes.toString('utf8').trim() === '') throw new ToolError('E_JSON', `evidence file '${file}' is empty (a run interrupted while its output was redirected into it?); run the command again`);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ToolError('E_JSON', `evidence file '${file}' is not valid JSON: ${(e as Error).message}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const c = classify(raw, file);
  return { file, sha256, ...c, recheck: recheckEvidence(c.kind, raw, file) };
}

type Classified = Pick<Evidence, 'kind' | 'summary' | 'facts'>;

function classify(raw: unknown, file: string): Classified {
  const check = Check.safeParse(raw);
  if (check.success) {
    const facts = check.data.variants.flatMap((v) => runFacts(v, `when explored at scope ${scopeName(check.data.scope)}`));
    return { kind: 'check', summary: `check: ${check.data.ok ? 'every verdict as expected' : 'some verdicts differ'}`, facts };
  }
  // `prove --parametric` first: its output would also pass for `prove`'s looser shape.
  if (raw !== null && typeof raw === 'object' && 'parametric' in raw) return parametricFacts(raw, file);
  const prove = Prove.safeParse(raw);
  if (prove.success) return proveFacts(prove.data);
  const sweep = Sweep.safeParse(raw);
  if (sweep.success) return sweepFacts(sweep.data);
  const runs = Runs.safeParse(raw);
  if (runs.success) {
    const r = runs.data;
    const kind = 'seed' in r && 'runs' in r ? 'simulate' : 'transitions' in r ? 'explore' : 'bmc';
    const how = `${kind === 'simulate' ? `in ${String(r.runs)} walks of ${String(r.steps)} steps (seed ${String(r.seed)})` : kind === 'explore' ? `over ${String(r.states)} states` : `up to depth ${String(r.depth ?? '?')}`} at scope ${scopeName(r.scope)}`;
    const facts = runFacts(r, how);
    exactRun(kind, raw, file);
    return { kind, summary: `${kind} ${r.variant} at scope ${scopeName(r.scope)}: ${facts.filter((f) => f.holds === false).length} of ${facts.length} invariants violated`, facts };
  }
  const replay = Replay.safeParse(raw);
  if (replay.success) {
    const d = replay.data;
    return { kind: 'replay', summary: `replay: ${d.steps.length} steps, ${d.ok ? 'no divergence' : `diverges at ${JSON.stringify(d.divergence)}`}`, facts: [] };
  }
  const mutation = Mutation.safeParse(raw);
  if (mutation.success) return { kind: 'mutation', summary: mutationSummary(mutation.data), facts: [] };
  // A bare {"ok": true} proves nothing: only the exact output of a command is evidence.
  throw new ToolError('E_EVIDENCE', `evidence file '${file}' is not a result this report knows: explore, simulate, bmc, check, prove or replay --json output, or a Stryker mutation report`);
}

function scopeName(scope: unknown): string {
  return typeof scope === 'string' ? scope : 'custom';
}

function variantOf(name: string): Variant {
  if (!isVariant(name)) throw unknownName('variant', name, VARIANT_NAMES);
  return name;
}

function invariantOf(name: string): InvariantName {
  if (!isInvariantName(name)) throw unknownName('invariant', name, INVARIANT_NAMES);
  return name;
}

function runFacts(r: z.infer<typeof Runs>, how: string): Fact[] {
  const variant = variantOf(r.variant);
  return Object.entries(r.invariants).map(([name, v]) => ({
    variant,
    invariant: invariantOf(name),
    holds: v.holds,
    text: v.holds ? `holds ${how}` : `violated in ${v.length ?? '?'} steps`,
  }));
}

/** Claims prove checks besides DESIGN's invariants: the auxiliary invariants and the slot bound. */
const PROOF_CLAIMS: ReadonlySet<string> = new Set([...AUX_INVARIANTS.map((a) => a.name), SLOTS_SUFFICE]);

function proveFacts(p: z.infer<typeof Prove>): Classified {
  const variant = variantOf(p.variant ?? REFERENCE_DESIGN.name);
  const by = new Map<InvariantName, { proved: number; refuted: number; unknown: number }>();
  for (const o of p.obligations) {
    // An auxiliary claim is no fact about DESIGN's invariants by itself: a proof
    // that leaned on an unproved one is already reported unknown by prove.
    if (PROOF_CLAIMS.has(o.invariant)) continue;
    const name = invariantOf(o.invariant);
    const c = by.get(name) ?? { proved: 0, refuted: 0, unknown: 0 };
    c[o.status]++;
    by.set(name, c);
  }
  const facts: Fact[] = [...by].map(([invariant, c]) => ({
    variant,
    invariant,
    // A refuted obligation is a counterexample to induction, not necessarily a reachable state.
    holds: c.refuted > 0 || c.unknown > 0 ? 'unknown' : true,
    text: `inductive: ${c.proved} of ${c.proved + c.refuted + c.unknown} obligations proved${c.refuted ? `, ${c.refuted} refuted (counterexample to induction)` : ''}${c.unknown ? `, ${c.unknown} unknown` : ''}`,
  }));
  const all = p.obligations.length;
  const proved = p.obligations.filter((o) => o.status === 'proved').length;
  return { kind: 'prove', summary: `prove ${variant}: ${proved} of ${all} obligations proved`, facts };
}

/** `prove --up-to` output: every DESIGN invariant inductive at every scope up to the bound, or no fact. */
function sweepFacts(w: z.infer<typeof Sweep>): Classified {
  const variant = variantOf(w.variant);
  const proved = w.scopes.filter((s) => s.status === 'proved').length;
  if (w.shard) {
    const slice = `slice ${w.shard.index}/${w.shard.count} of the sweep up to ${scopeName(w.bound)}`;
    return { kind: 'prove', summary: `prove ${variant} at ${slice}: ${proved} of ${w.scopes.length} scopes proved (no claim until the slices are merged: ioasid-verify merge)`, facts: [] };
  }
  const where = `every scope up to ${scopeName(w.bound)} (${w.scopes.length} scopes, one per renaming class)`;
  // The file does not say which invariant failed where; only a clean sweep is a fact per invariant.
  const facts: Fact[] =
    w.status === 'proved' && w.scopes.length > 0
      ? INVARIANT_NAMES.map((invariant) => ({ variant, invariant, holds: true, text: `inductive at ${where}` }))
      : [];
  return { kind: 'prove', summary: `prove ${variant} at ${where}: ${proved} of ${w.scopes.length} scopes proved`, facts };
}

function mutationSummary(m: z.infer<typeof Mutation>): string {
  const count: Record<string, number> = {};
  for (const f of Object.values(m.files)) for (const x of f.mutants) count[x.status] = (count[x.status] ?? 0) + 1;
  const detected = (count.Killed ?? 0) + (count.Timeout ?? 0);
  const valid = detected + (count.Survived ?? 0) + (count.NoCoverage ?? 0);
  const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)}%`;
  return `mutation score ${score}: ${detected} of ${valid} mutants detected (${count.Survived ?? 0} survived, ${count.NoCoverage ?? 0} not covered)`;
}

const Status = z.enum(['proved', 'refuted', 'unknown']);
const seconds = z.number().nonnegative();
/** Exactly what `prove --parametric --json` writes (src/cli/commands/proveParametric.ts). */
const Parametric = z
  .object({
    parametric: z.literal(true),
    variant: z.string(),
    rules: z.record(z.string(), z.unknown()),
    scope: z.literal('every'),
    seconds,
    rounds: int,
    claims: z.array(
      z.object({ name: z.string(), kind: z.enum(['invariant', 'aux']), statement: z.string(), status: Status, notEpr: z.string().optional(), needs: z.array(z.string()).optional() }).strict(),
    ),
    enabled: z.record(z.string(), z.enum(['sat', 'unsat', 'unknown'])),
    obligations: z.array(
      z
        .object({ invariant: z.string(), kind: z.enum(['invariant', 'aux']), action: z.string(), status: Status, seconds, reason: z.string().optional(), counterModel: z.record(z.string(), z.unknown()).optional() })
        .strict(),
    ),
  })
  .strict();

/** What the parametric proof establishes of the two counting invariants, beyond their formula (README). */
const COUNTED: Partial<Record<InvariantName, string>> = {
  'refcount-exact': 'users = [live] + the entries holding the IOASID, counted by a ghost rank proved a bijection onto 1..n',
  quota: "per file, the IOASIDs holding a PASID (counted by a ghost rank proved a bijection onto 1..n) <= the scope's quota",
};

/**
 * `prove --parametric` output: an invariant whose every obligation is proved
 * (and, for the two counting ones, whose counter's claim is too) holds in every
 * reachable state of every scope without the SVA extension: the strongest fact
 * a file can give. The file is refused unless its verdicts follow from its
 * obligations, so a claim cannot be marked proved by hand.
 */
function parametricFacts(raw: unknown, file: string): Classified {
  const r = Parametric.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ToolError('E_EVIDENCE', `evidence file '${file}' looks like prove --parametric --json output but is not what it writes: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const p = r.data;
  const rules = parseDesign({ rules: p.rules }, `evidence file '${file}'`).rules;
  const names = new Set(p.claims.map((c) => c.name));
  for (const n of INVARIANT_NAMES) if (!names.has(n)) throw new ToolError('E_EVIDENCE', `evidence file '${file}': prove --parametric gives all ${INVARIANT_NAMES.length} invariants; ${n} is missing`);
  const own = (n: string): string => {
    const os = p.obligations.filter((o) => o.invariant === n);
    return os.length > 0 && os.every((o) => o.status === 'proved') ? 'proved' : os.some((o) => o.status === 'refuted') ? 'refuted' : 'unknown';
  };
  for (const c of p.claims) {
    const want = own(c.name) === 'proved' && (c.needs ?? []).some((m) => own(m) !== 'proved') ? 'unknown' : own(c.name);
    if (c.status !== want) throw new ToolError('E_EVIDENCE', `evidence file '${file}': claim ${c.name} is marked ${c.status}, its obligations say ${want}`);
  }
  const variant = presetOf(rules);
  const proved = p.obligations.filter((o) => o.status === 'proved').length;
  const summary = `prove --parametric ${p.variant}, for every scope: ${proved} of ${p.obligations.length} obligations proved (${p.seconds} s)`;
  // The report speaks of its presets; a design of one's own is cited, with no facts about them.
  if (variant === undefined) return { kind: 'prove-parametric', summary: `${summary}; not a preset, so no facts for this report`, facts: [] };
  const facts: Fact[] = INVARIANT_NAMES.map((invariant) => {
    const c = p.claims.find((x) => x.name === invariant)!;
    const os = p.obligations.filter((o) => o.invariant === invariant);
    const n = (s: string): number => os.filter((o) => o.status === s).length;
    const what = COUNTED[invariant] ? ` (${COUNTED[invariant]})` : '';
    return c.status === 'proved'
      ? { variant, invariant, holds: true, text: `proved for every scope without SVA${what}: parametric, all ${os.length} obligations proved` }
      : {
          variant,
          invariant,
          holds: 'unknown',
          text: `not proved for every scope: ${n('proved')} of ${os.length} obligations proved${n('refuted') ? `, ${n('refuted')} refuted (counterexample to induction)` : ''}${n('unknown') ? `, ${n('unknown')} unknown` : ''}`,
        };
  });
  return { kind: 'prove-parametric', summary, facts };
}

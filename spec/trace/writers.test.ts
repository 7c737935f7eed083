// @vitest-environment node
/*
 * Every kind of trace the project writes (explore, bmc, simulate, outcomes,
 * mbt failures) passes the strict ADR-015 checker of ./adr015.ts, loads with
 * Quint's own ITF reader (`ofItf`, then `VarStorage.fromRecord`, the loader
 * of `--mbt` metadata), and reads back through ioasid-verify's reader to the
 * same actions and results. The traces are written here by the real
 * commands, into a temp dir. The old output form (spec/fixtures) still
 * replays, and is what Quint's loader refused: the checks can fail.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VARIANTS, makeAction, presetDesign } from '../../model/index';
import { bmcCommand } from '../../src/cli/commands/bmc';
import { exploreCommand } from '../../src/cli/commands/explore';
import { replayOutcomes } from '../../src/cli/commands/outcomes';
import { simulateCommand } from '../../src/cli/commands/simulate';
import { replaySteps } from '../../src/conformance/replay';
import { IoasidKernel } from '../../src/kernel/index';
import { resolveScope } from '../../src/scopes';
import { PICK_NAMES, TRACE_VARS, parseTrace, readTraceFile, writeTrace } from '../../src/trace/itf';
import { runModel } from '../../src/trace/run';
import { runMbt } from '../mbt/runner';
import { mbtScope } from '../mbt/scopes';
import { checkAdr015 } from './adr015';

const require = createRequire(import.meta.url);
const QUINT = '@informalsystems/quint/dist/src';
const { ofItf } = require(`${QUINT}/itf.js`) as { ofItf: (t: unknown) => unknown[] };
const { VarStorage } = require(`${QUINT}/runtime/impl/VarStorage.js`) as {
  VarStorage: new (meta: boolean, picks: Map<string, unknown>) => { fromRecord(r: unknown): void; nondetPicks: Map<string, unknown>; actionTaken?: string };
};
const { rv } = require(`${QUINT}/runtime/impl/runtimeValue.js`) as { rv: { fromQuintEx(e: unknown): unknown } };

/** Quint's loading of a trace for --mbt: every state through VarStorage.fromRecord; the picks and actions it saw. */
function quintLoad(trace: unknown): { picks: string[]; actions: (string | undefined)[] } {
  const vs = new VarStorage(true, new Map());
  const actions = ofItf(trace).map((s) => (vs.fromRecord(rv.fromQuintEx(s)), vs.actionTaken));
  return { picks: [...vs.nondetPicks.keys()].sort(), actions };
}

const out = mkdtempSync(join(tmpdir(), 'ioasid-writers-'));
const kinds: Record<string, string[]> = {};
const filesIn = (d: string): string[] => readdirSync(d).map((f) => join(d, f));

/** Keeps the KVM entry proc 2 asked to unmap at vpasid 1, and says it did (the planted bug of spec/mbt). */
class StickyUnmapKernel extends IoasidKernel {
  override kvmUnmapPasid(proc: unknown, vm: unknown, vpasid: unknown): number {
    return vpasid === 1 && proc === 2 ? 0 : super.kvmUnmapPasid(proc, vm, vpasid);
  }
}

beforeAll(async () => {
  const tiny = resolveScope('tiny');
  const def = resolveScope('default');
  for (const variant of ['no-drain', 'notifier-cleanup', 'implicit-mdev-pasid'] as const) {
    exploreCommand({ scope: tiny, design: presetDesign(variant), out: join(out, 'explore') });
  }
  kinds.explore = filesIn(join(out, 'explore'));
  await bmcCommand({ scope: def, design: presetDesign('implicit-kvm-enqcmd'), depth: 3, out: join(out, 'bmc'), timeoutMs: 60_000, invariants: ['explicit-vm-authorization'] });
  kinds.bmc = filesIn(join(out, 'bmc'));
  simulateCommand({ scope: def, design: presetDesign('recycle-on-destroy'), runs: 200, steps: 40, seed: 7, out: join(out, 'simulate') });
  kinds.simulate = filesIn(join(out, 'simulate'));
  // outcomes: the command's own writer on two pairs (Z3's search itself is spec/proofs/outcomes.test.ts)
  const open = makeAction('open', [1]);
  const found = [
    { type: 'alloc' as const, result: '1', actions: [open, makeAction('alloc', [1, 1])], replayed: true },
    { type: 'dma' as const, result: 'blocked', actions: [open, makeAction('alloc', [1, 1]), makeAction('attach', [1, 1, 1, 1]), makeAction('destroy', [1, 1, 1]), makeAction('dma', [1, 1])], replayed: true },
  ];
  replayOutcomes({ scope: def, depth: 4, out: join(out, 'outcomes'), timeoutMs: 1 }, { scope: def.scope, depth: 4, found, unproducible: [], unknown: [], proveSeconds: 0, perDepth: [], seconds: 0 });
  kinds.outcomes = filesIn(join(out, 'outcomes'));
  const mbt = runMbt({ scope: mbtScope('default'), runs: 2000, seed: 20210331, outDir: join(out, 'mbt'), makeKernel: (s) => new StickyUnmapKernel(s) });
  expect(mbt.ok).toBe(false);
  kinds.mbt = filesIn(join(out, 'mbt'));
}, 300_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('every trace the project writes', () => {
  it('there are some of every kind', () => {
    expect(Object.keys(kinds).sort()).toEqual(['bmc', 'explore', 'mbt', 'outcomes', 'simulate']);
    for (const [kind, files] of Object.entries(kinds)) expect(files.length, kind).toBeGreaterThan(0);
    console.log(`traces written: ${Object.entries(kinds).map(([k, f]) => `${k} ${f.length}`).join(', ')}`);
  });

  it('passes the strict ADR-015 check: every variable in every state, well-formed values of one type, the declared varTypes', () => {
    for (const file of Object.values(kinds).flat()) expect(checkAdr015(JSON.parse(readFileSync(file, 'utf8'))), file).toEqual([]);
  });

  it("loads with Quint's own reader (ofItf + VarStorage.fromRecord), which sees every pick name and the actions", () => {
    for (const file of Object.values(kinds).flat()) {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as { states: { 'mbt::actionTaken': string }[] };
      const q = quintLoad(raw);
      expect(q.picks, file).toEqual([...PICK_NAMES].sort());
      expect(q.actions, file).toEqual(raw.states.map((s) => s['mbt::actionTaken']));
    }
  });

  it('records the design (variant and the full rules), the scope and a status the replay reproduces', () => {
    for (const file of Object.values(kinds).flat()) {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as { '#meta': { variant: keyof typeof VARIANTS; rules: unknown; scope: unknown; status: string } };
      const meta = raw['#meta'];
      expect(meta.rules, file).toEqual(VARIANTS[meta.variant].rules);
      expect(meta.scope, file).toBeDefined();
      const t = readTraceFile(file);
      expect(t.named && t.scoped, file).toBe(true);
      const r = replaySteps(t.scope.scope, t.design.rules, t.steps);
      expect(r.steps.flatMap((s) => s.divergences).filter((d) => d.kind === 'expected'), file).toEqual([]);
      expect(meta.status, file).toBe(r.steps.some((s) => s.violated.length > 0) ? 'violation' : 'ok');
    }
    // the explorer's and bmc's traces are of violations
    for (const file of [...kinds.explore!, ...kinds.bmc!]) expect(readTraceFile(file).status, file).toBe('violation');
  });
});

describe('the output form', () => {
  const scope = resolveScope('default');
  const run = runModel(scope.scope, VARIANTS.reference.rules, [makeAction('open', [1]), makeAction('alloc', [1, 1]), makeAction('mdev_allow_pasid', [1, 1, 1]), makeAction('close', [1, 1])]);
  const t = writeTrace({ design: { name: 'reference', rules: VARIANTS.reference.rules }, scope }, run.init, run.steps) as { vars: string[]; states: Record<string, unknown>[] };

  it("state 0: result \"\", every pick None; later states: Some for the action's arguments only", () => {
    expect(t.vars).toEqual(TRACE_VARS);
    const [s0, s1, s2, s3] = t.states as Record<string, Record<string, unknown>>[];
    expect(s0!.result).toBe('');
    expect(Object.values(s0!['mbt::nondetPicks']!)).toEqual(PICK_NAMES.map(() => ({ tag: 'None', value: { '#tup': [] } })));
    expect(s2!['mbt::nondetPicks']).toMatchObject({ proc: { tag: 'Some', value: { '#bigint': '1' } }, fd: { tag: 'Some', value: { '#bigint': '1' } }, dev: { tag: 'None' } });
    expect(s1!['mbt::nondetPicks']!.fd).toEqual({ tag: 'None', value: { '#tup': [] } });
    expect(s3!['mbt::nondetPicks']!.mdev).toEqual({ tag: 'Some', value: { '#bigint': '1' } });
  });

  it('keys processes, devices, mdevs and VMs by their 1-based ids; an allowance names the {proc, fd} of its file (fd 0 once closed)', () => {
    const int = (n: number) => ({ '#bigint': String(n) });
    const s0 = t.states[0]!;
    expect(s0.alive).toEqual({ '#map': [[int(1), true], [int(2), true]] });
    expect((s0.tables as { '#map': unknown[][] })['#map'].map((p) => p[0])).toEqual([int(1), int(2)]);
    expect((s0.vms as { '#map': unknown[][] })['#map'].map((p) => p[0])).toEqual([int(1), int(2)]);
    expect(t.states[3]!.allowed).toEqual({ '#map': [[int(1), { proc: int(1), fd: int(1) }], [int(2), { proc: int(0), fd: int(0) }]] });
    expect(t.states[4]!.allowed).toEqual({ '#map': [[int(1), { proc: int(1), fd: int(0) }], [int(2), { proc: int(0), fd: int(0) }]] });
  });

  it('a design given as {name, rules} is written as such; rules equal to a preset read back as that preset', () => {
    const design = { name: 'my-no-drain', rules: { ...VARIANTS.reference.rules, drain: false } };
    const w = writeTrace({ design, scope }, run.init, run.steps) as { '#meta': Record<string, unknown> };
    expect(w['#meta'].variant).toBe('my-no-drain');
    expect(w['#meta'].rules).toEqual(design.rules);
    const back = parseTrace(JSON.stringify(w), 'w');
    expect(back.variant).toBe('no-drain');
    expect(back.design.rules).toEqual(design.rules);
  });
});

describe('the old output form (spec/fixtures) and the checks that refuse it', () => {
  const FIX = join(import.meta.dirname, '../fixtures');
  const old = ['regression', 'bmc', 'examples'].flatMap((d) => filesIn(join(FIX, d)));

  it('still replays with no divergence from the results it states', () => {
    for (const f of old) {
      const tr = readTraceFile(f);
      const r = replaySteps(tr.scope.scope, tr.design.rules, tr.steps);
      expect(r.steps.flatMap((s) => s.divergences).filter((d) => d.kind === 'expected'), f).toEqual([]);
    }
  });

  it("fails the ADR-015 check (no result in state 0, picks that change shape) and Quint's loader (Expected a variant value)", () => {
    for (const f of old) {
      const raw = JSON.parse(readFileSync(f, 'utf8')) as unknown;
      expect(checkAdr015(raw), f).toContain("state 0 does not define variable 'result'");
      expect(() => quintLoad(raw), f).toThrow(/Expected a variant value/);
    }
  });
});

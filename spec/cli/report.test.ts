/*
 * `report`: the security argument. Claims are quoted verbatim from Jason's own
 * lines of the seed; every invariant encodes a claim; every flawed variant has
 * its counterexample story and diagram; evidence files are named; a result
 * file that contradicts a claim refutes it (exit 1).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVARIANT_NAMES, VARIANTS, VARIANT_NAMES } from '../../model/index';
import { CLAIMS } from '../../model/claims';
import { locateQuote } from '../../src/report/quote';
import { RECHECK_MAX_STATES } from '../../src/report/recheck';
import { SEED_LINES } from '../../src/report/seedText';
import { type CliRun, runInProcess } from './run';

let dir = '';
let md = '';
let json: { ok: boolean; claims: { id: string; status: string; invariants: string[]; lines: { first: number; last: number } }[]; evidence: { file: string; kind: string }[]; variants: { invariants: Record<string, { holds: boolean }> }[] };
let run: CliRun;
const FLAWED = VARIANT_NAMES.filter((v) => VARIANTS[v].expectedToFail.length > 0);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ioasid-report-'));
  const sim = await runInProcess(['simulate', '--scope', 'tiny', '--variant', 'reference', '--runs', '50', '--steps', '30', '--seed', '1', '--out', dir, '--json']);
  writeFileSync(join(dir, 'simulate.json'), sim.stdout);
  // the shape `prove --json` writes: DESIGN invariants, auxiliary claims and the slot bound
  const claims = [...INVARIANT_NAMES, 'wf-files', 'slots-suffice'];
  const prove = { variant: 'reference', obligations: claims.map((invariant) => ({ invariant, action: 'alloc', status: 'proved', seconds: 0.01 })) };
  writeFileSync(join(dir, 'prove.json'), JSON.stringify(prove));
  // the shape `prove --up-to --json` writes
  const scopes = ['P1 F1 Q1 N1 V1 D1 dev[] mdev[] vm[]', 'P2 F1 Q1 N1 V1 D1 dev[] mdev[] vm[]'].map((key) => ({ key, status: 'proved', proved: 462, refuted: 0, unknown: 0 }));
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ variant: 'reference', bound: 'tiny', status: 'proved', seconds: 1, scopes }));
  const evidence = ['simulate.json', 'prove.json', 'sweep.json'].flatMap((f) => ['--evidence', join(dir, f)]);
  run = await runInProcess(['report', '--scope', 'tiny', '--depth', '11', '--jobs', '1', '--out', join(dir, 'report.md'), ...evidence, '--json']);
  json = JSON.parse(run.stdout) as typeof json;
  md = readFileSync(join(dir, 'report.md'), 'utf8');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the report is honest about itself', () => {
  it('has a table of contents whose links are its headings, says what is hand-written, and cites the seed by its path', () => {
    const heads = md.split('\n').filter((l) => /^#{2,3} /.test(l) && l !== '## Contents');
    expect(heads.length).toBeGreaterThan(5);
    for (const h of heads) expect(md).toContain(`[${h.replace(/^#+ /, '')}](#`);
    expect(md).toContain('Written by hand');
    expect(md).not.toContain('nothing in it is typed in by hand');
    expect(md).toContain('docs/seed.txt');
    expect(md).not.toContain('seed/ioasid-thread-2021-03-31.txt');
  });
});

describe('forged evidence', () => {
  it.each([
    ['a bare ok', { ok: true }],
    ['a bmc-looking verdict with none of what bmc writes', { variant: 'reference', invariants: { quota: { holds: true } } }],
    ['a bmc verdict beyond its depth', { variant: 'reference', scope: 'default', depth: 3, seconds: 1, perDepth: [], lemmas: [], invariants: { quota: { holds: true, upToDepth: 1000000 } } }],
  ])('%s is refused (E_EVIDENCE, exit 2)', async (_name, forged) => {
    writeFileSync(join(dir, 'forged.json'), JSON.stringify(forged));
    const r = await runInProcess(['report', '--scope', 'tiny', '--depth', '2', '--jobs', '1', '--out', join(dir, 'forged.md'), '--evidence', join(dir, 'forged.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ioasid-verify: E_EVIDENCE: /);
  });
});

describe('evidence re-checked where cheap', () => {
  it('says what it re-ran: the walks again from their seed', () => {
    const e = (json as unknown as { evidence: { kind: string; recheck: { rechecked: boolean; text: string } }[] }).evidence;
    expect(e[0]!.recheck).toEqual({ rechecked: true, text: expect.stringMatching(/^re-checked: walked again from seed 1, every verdict and length the same/) });
    expect(e[1]!.recheck.rechecked).toBe(false);
    expect(e[1]!.recheck.text).toMatch(/^not re-checked: Z3 proofs/);
    expect(md).toMatch(/\| re-checked: walked again from seed 1/);
  });

  it('runs a BMC counterexample trace through the model, and refuses one that does not break its invariant at the stated length', async () => {
    const ex = JSON.parse((await runInProcess(['explore', '--variant', 'no-drain', '--scope', 'tiny', '--out', dir, '--json', '--quiet'])).stdout) as { invariants: Record<string, { holds: boolean; length?: number; trace?: string }> };
    const v = ex.invariants['recycle-at-zero']!;
    const bmc = (length: number) => ({
      variant: 'no-drain', scope: 'tiny', depth: 8, seconds: 1, perDepth: [], lemmas: [],
      invariants: Object.fromEntries(INVARIANT_NAMES.map((n) => [n, n === 'recycle-at-zero' ? { holds: false, length, trace: v.trace, replayed: true } : { holds: true, upToDepth: 8 }])),
    });
    writeFileSync(join(dir, 'bmc.json'), JSON.stringify(bmc(v.length!)));
    const ok = await runInProcess(['report', '--scope', 'tiny', '--depth', '2', '--jobs', '1', '--out', join(dir, 'bmc.md'), '--evidence', join(dir, 'bmc.json'), '--json']);
    const rc = (JSON.parse(ok.stdout) as { evidence: { recheck: { text: string } }[] }).evidence[0]!.recheck.text;
    expect(rc).toMatch(/^re-checked: 1 counterexample trace run through the model/);
    expect(rc).toMatch(/not re-checked: "holds up to depth" \(8\) rests on Z3/);
    writeFileSync(join(dir, 'bmc.json'), JSON.stringify(bmc(v.length! - 1)));
    const bad = await runInProcess(['report', '--scope', 'tiny', '--depth', '2', '--jobs', '1', '--out', join(dir, 'bmc.md'), '--evidence', join(dir, 'bmc.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/E_EVIDENCE: .*does not re-check: its recycle-at-zero trace .* does not break recycle-at-zero in \d+ steps/);
  });

  it.each([
    { name: 'a small exploration whose verdict the re-run does not give', tamper: (j: Record<string, unknown>) => ({ ...j, variant: 'reference', scope: 'tiny', states: 3, transitions: 2, depth: 2 }), kind: 'explore' },
    { name: 'walks whose figures were edited', tamper: (j: Record<string, unknown>) => ({ ...j, calls: Number(j.calls) + 1 }), kind: 'simulate' },
  ])('$name is refused (E_EVIDENCE, exit 2)', async ({ tamper, kind }) => {
    const sim = JSON.parse(readFileSync(join(dir, 'simulate.json'), 'utf8')) as Record<string, unknown>;
    const base = kind === 'simulate' ? sim : { variant: 'reference', scope: 'tiny', states: 0, transitions: 0, depth: 0, seconds: 0.1, invariants: Object.fromEntries(INVARIANT_NAMES.map((n) => [n, { holds: true }])) };
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tamper(base)));
    const r = await runInProcess(['report', '--scope', 'tiny', '--depth', '2', '--jobs', '1', '--out', join(dir, 'tampered.md'), '--evidence', join(dir, 'tampered.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ioasid-verify: E_EVIDENCE: evidence file '.*' does not re-check: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the claims', () => {
  it("are quoted verbatim from Jason's own lines of the seed", () => {
    for (const c of CLAIMS) {
      const at = locateQuote(c.quote);
      expect(at, c.id).toBeDefined();
      for (let l = at!.first; l <= at!.last; l++) expect(SEED_LINES[l - 1], `${c.id} line ${l}`).not.toMatch(/^>/);
    }
    expect(locateQuote('The ioasid should be a reference-counted object.')).toBeUndefined();
    expect(locateQuote('KVM should not automatically opt into security sensitive stuff')).toBeUndefined();
  });

  it('cover every invariant of the registry', () => {
    const encoded = new Set(CLAIMS.flatMap((c) => c.encodedBy.map((e) => e.invariant)));
    expect([...encoded].sort()).toEqual([...INVARIANT_NAMES].sort());
  });

  it('appear in the report with their source line, each confirmed, or untested where no design breaks it at this scope', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(json.ok).toBe(true);
    const brokenSomewhere = new Set(json.variants.flatMap((v) => Object.entries(v.invariants).filter(([, x]) => !x.holds).map(([n]) => n)));
    for (const c of json.claims) {
      expect(c.status, c.id).toBe(c.invariants.some((i) => brokenSomewhere.has(i)) ? 'confirmed' : 'untested');
      if (c.status === 'untested') expect(md).toContain('**untested here**: no design violates this at this scope');
      // a heading of words, and the claim's stable name under it (CI and JSON use the name)
      expect(c.id).toMatch(/^[a-z]+(-[a-z]+)+$/);
      expect(md).toContain(`\n\nClaim \`${c.id}\`.\n`);
      expect(md).toContain(`LKML, Jason Gunthorpe, 31 Mar 2021`);
      expect(md).toContain(c.lines.first === c.lines.last ? `line ${c.lines.first})` : `lines ${c.lines.first}-${c.lines.last})`);
    }
    expect(md).toContain('> KVM should \\*not\\* automatically opt into security sensitive stuff without being explicitly told what to do.');
  });
});

describe('the report', () => {
  it('explores every variant itself and says the bound it used', () => {
    for (const v of VARIANT_NAMES) expect(md).toMatch(new RegExp(`^\\| \`${v}\` \\| \\d+ \\| \\d+ \\| 11 \\(bound\\) \\|`, 'm'));
    expect(md).toContain('**bounded at depth 11**');
  });

  it('covers all 9 invariants and tells each flawed variant as a story with a diagram', () => {
    for (const inv of INVARIANT_NAMES) expect(md).toContain(`| \`${inv}\` |`);
    for (const v of FLAWED) {
      const section = md.split(`### Rejected: ${v}\n`)[1]?.split('\n### ')[0] ?? '';
      expect(section, v).toContain(VARIANTS[v].change.slice(0, 30));
      for (const inv of VARIANTS[v].expectedToFail) {
        expect(section).toContain(`#### How \`${inv}\` breaks under \`${v}\``);
      }
      expect(section).toMatch(/^1\. Process \d /m);
      expect(section).toMatch(/is violated\.$/m);
      expect(section).toContain('```mermaid\nsequenceDiagram');
      expect(section).toMatch(/Trace: \[traces\/[a-z-]+\.itf\.json\]/);
    }
  });

  it("draws an IOASID's life with every flawed shortcut", () => {
    const diagram = md.split('```mermaid\nstateDiagram-v2\n')[1]?.split('```')[0] ?? '';
    for (const s of ['allocated', 'attached', 'parked', 'recycled']) expect(diagram).toContain(`as ${s}`);
    for (const v of FLAWED) expect(diagram).toContain(`: ${v}: `);
  });

  it('names every evidence file it used, and uses what they say', () => {
    expect(json.evidence.map((e) => e.kind)).toEqual(['simulate', 'prove', 'prove']);
    for (const f of ['simulate.json', 'prove.json', 'sweep.json']) expect(md).toContain(`| \`${join(dir, f)}\` |`);
    expect(md).toContain('holds in 50 walks of 30 steps (seed 1) at scope tiny');
    // auxiliary claims are not counted as obligations of a DESIGN invariant
    expect(md).toContain('inductive: 1 of 1 obligations proved');
    expect(md).toContain('inductive at every scope up to tiny (2 scopes, one per renaming class)');
    expect(md).toContain('prove reference at every scope up to tiny (2 scopes, one per renaming class): 2 of 2 scopes proved');
  });
});

describe('a contradicting result file', () => {
  it('refutes the claims it speaks against, and the report exits 1', { timeout: 120_000 }, async () => {
    // explore's exact --json shape, with a verdict no run of reference gives, from a run too large to re-explore here
    const invariants = Object.fromEntries(INVARIANT_NAMES.map((n) => [n, n === 'quota' ? { holds: false, length: 4 } : { holds: true }]));
    const bad = { variant: 'reference', scope: 'large', states: RECHECK_MAX_STATES + 1, transitions: 9, depth: 4, seconds: 0.1, invariants };
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const r = await runInProcess(['report', '--scope', 'tiny', '--depth', '11', '--jobs', '1', '--out', join(dir, 'bad.md'), '--evidence', join(dir, 'bad.json'), '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as typeof json;
    expect(j.claims.filter((c) => c.status === 'refuted').map((c) => c.id)).toEqual(['destroy-blocks-and-parks']);
    expect(readFileSync(join(dir, 'bad.md'), 'utf8')).toContain('Verdict: **refuted**.');
  });
});

/** DESIGN.md §8: designs as data — names, overrides, design files, traces that carry their rules. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS, REFERENCE_RULES, VARIANTS, VARIANT_NAMES, designName, presetOf } from '../../model/index';
import { parseDesign, resolveDesign, withRuleArgs } from '../../src/design';
import { explore } from '../../src/explore/explorer';
import { parseTrace } from '../../src/trace/itf';
import { runInProcess } from '../cli/run';

describe('names (§8)', () => {
  it("a design whose rules equal a preset's has the preset's name, whatever it was called", () => {
    for (const v of VARIANT_NAMES) expect(designName(VARIANTS[v].rules, 'my-name')).toBe(v);
    expect(resolveDesign({ variant: 'no-drain', rule: ['drain=true'] }).name).toBe('reference');
    expect(resolveDesign({ rule: ['recycle=notifier'] }).name).toBe('notifier-cleanup');
  });

  it('else the design file name, else the changed rules in table order joined by +', () => {
    expect(resolveDesign({ rule: ['mdevAuth=implicit', 'drain=false'] }).name).toBe('drain=false+mdevAuth=implicit');
    expect(parseDesign({ name: 'mine', rules: { drain: false, mdevAuth: 'implicit' } }, 'f').name).toBe('mine');
    expect(parseDesign({ rules: { drain: false, mdevAuth: 'implicit' } }, 'f').name).toBe('drain=false+mdevAuth=implicit');
  });

  it('every preset is the reference with the one rule its row names, and all nine are distinct', () => {
    for (const v of VARIANT_NAMES) {
      const changed = Object.keys(REFERENCE_RULES).filter((r) => (VARIANTS[v].rules as Record<string, unknown>)[r] !== (REFERENCE_RULES as Record<string, unknown>)[r]);
      expect(changed.length, v).toBe(v === 'reference' ? 0 : 1);
      expect(presetOf(VARIANTS[v].rules)).toBe(v);
    }
  });
});

describe('design files and overrides', () => {
  it('base + rules: the base preset with the rules overriding; --rule applies left to right on top', () => {
    const d = parseDesign({ base: 'no-drain', rules: { mdevAuth: 'implicit' } }, 'f');
    expect(d.rules).toEqual({ ...REFERENCE_RULES, drain: false, mdevAuth: 'implicit' });
    expect(withRuleArgs(d, ['drain=true']).name).toBe('implicit-mdev-pasid');
    expect(d.expect).toBeUndefined(); // nobody said what it should break
  });

  it("expect is the author's; a design equal to a preset without expect takes the preset's", () => {
    expect(parseDesign({ rules: { drain: false }, expect: ['recycle-at-zero'] }, 'f').expect).toEqual(['recycle-at-zero']);
    expect(parseDesign({ rules: { drain: false } }, 'f').expect).toEqual(VARIANTS['no-drain'].expectedToFail);
  });
});

describe('traces record the rules', () => {
  it('an explored counterexample of a user design carries #meta.rules and replays with no flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'design-'));
    const out = await runInProcess(['explore', '--rule', 'drain=false', '--rule', 'mdevAuth=implicit', '--scope', 'tiny', '--out', dir, '--json']);
    expect(out.code).toBe(1);
    const j = JSON.parse(out.stdout) as { variant: string; rules: unknown; invariants: Record<string, { holds: boolean; trace?: string }> };
    expect(j.variant).toBe('drain=false+mdevAuth=implicit');
    expect(j.rules).toEqual({ ...REFERENCE_RULES, drain: false, mdevAuth: 'implicit' });
    const file = j.invariants['explicit-mdev-authorization']!.trace!;
    const t = parseTrace(readFileSync(file, 'utf8'), file);
    expect(t.design.rules).toEqual(j.rules);
    const replay = await runInProcess(['replay', file, '--json']);
    const r = JSON.parse(replay.stdout) as { variant: string; violated: string[] };
    expect(r.variant).toBe('drain=false+mdevAuth=implicit');
    expect(r.violated).toContain('explicit-mdev-authorization'); // the model ran the trace's rules, not the reference
  });

  it('#meta.rules decides over #meta.variant', () => {
    const t = parseTrace(JSON.stringify({ '#meta': { variant: 'no-drain', rules: REFERENCE_RULES }, states: [{ 'mbt::actionTaken': 'init' }] }), 't');
    expect(t.design.name).toBe('reference');
  });
});

describe('check --design holds a design to its expect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'check-design-'));
  const write = (name: string, body: object): string => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify(body));
    return f;
  };
  it('as expected: exit 0; expecting the wrong thing: exit 1 and the difference named', async () => {
    const right = write('right.json', { name: 'mine', rules: { mdevAuth: 'implicit' }, expect: ['explicit-mdev-authorization'] });
    const wrong = write('wrong.json', { name: 'mine', rules: { mdevAuth: 'implicit' }, expect: [] });
    const ok = await runInProcess(['check', '--design', right, '--scope', 'tiny', '--no-proofs', '--jobs', '1', '--out', dir]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^implicit-mdev-pasid .* as expected$/m);
    const bad = await runInProcess(['check', '--design', wrong, '--scope', 'tiny', '--no-proofs', '--jobs', '1', '--out', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('DIFFERS: implicit-mdev-pasid: explicit-mdev-authorization fails');
  });

  it('the explorer agrees with a rules-level reading of iommufd-busy at tiny: every invariant holds', () => {
    const r = explore(PRESETS.tiny, { name: 'iommufd-busy', rules: VARIANTS['iommufd-busy'].rules });
    expect([...r.violations.keys()]).toEqual([]);
  });
});

/** --version, --help's lists of names, conflicting flags, and the "$comment" of scope files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVARIANT_NAMES, RULE_NAMES, VARIANT_NAMES } from '../../model/index';
import { checkScope } from '../../src/scopes';
import { ROOT, runInProcess } from './run';

describe('the command line', () => {
  it('--version prints the package version', async () => {
    const r = await runInProcess(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('--help lists every design, rule and invariant name', async () => {
    const r = await runInProcess(['--help']);
    expect(r.code).toBe(0);
    for (const n of [...VARIANT_NAMES, ...RULE_NAMES, ...INVARIANT_NAMES]) expect(r.stdout).toContain(n);
  });

  it('refuses prove --up-to with --scope (exit 2), before proving anything', async () => {
    const r = await runInProcess(['prove', '--up-to', 'default', '--scope', 'tiny']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ioasid-verify: E_USAGE: --up-to and --scope conflict/);
  });
});

describe('scope files', () => {
  const tiny = JSON.parse(readFileSync(join(ROOT, 'scopes/queues.json'), 'utf8')) as Record<string, unknown>;
  it('may carry a "$comment" string', () => {
    const { $comment: _, ...plain } = tiny;
    expect(checkScope({ ...plain, $comment: 'why this bound' }, 'x')).toEqual(checkScope(plain, 'x'));
  });
  it('refuse a "$comment" that is not a string, and any other unknown key', () => {
    const { $comment: _, ...plain } = tiny;
    expect(() => checkScope({ ...plain, $comment: 3 }, 'x')).toThrow(/\$comment: must be a string/);
    expect(() => checkScope({ ...plain, comment: 'x' }, 'x')).toThrow(/E_SCOPE|Unrecognized|unrecognized/);
  });
});

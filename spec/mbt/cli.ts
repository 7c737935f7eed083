/**
 * `npm run mbt -- [--runs N] [--seed K] [--scope S] [--max-commands L]
 *                 [--path P --replay-path R] [--out DIR]`
 * The model-based test outside vitest, for long runs. Prints the seed, the
 * runs, the time and the result; exit 0 no divergence, 1 a divergence, 2 bad
 * usage. Without --seed a fresh seed is drawn and printed.
 */
import { parseArgs } from 'node:util';
import { intOption } from '../../src/cli/output';
import { ToolError } from '../../src/errors';
import { resolveDesign } from '../../src/design';
import { describeResult, runMbt, type MbtOptions } from './runner';
import { mbtScope } from './scopes';

function options(argv: string[]): MbtOptions {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      scope: { type: 'string', default: 'default' },
      variant: { type: 'string' },
      design: { type: 'string' },
      rule: { type: 'string', multiple: true },
      'max-commands': { type: 'string' },
      path: { type: 'string' },
      'replay-path': { type: 'string' },
      out: { type: 'string', default: 'out/mbt' },
    },
    strict: true,
  });
  const seed = intOption('seed', v.seed, Math.floor(Math.random() * 0x7fffffff), 0, 0x7fffffff);
  return {
    scope: mbtScope(v.scope!),
    design: resolveDesign({ variant: v.variant, design: v.design, rule: v.rule ?? [] }),
    runs: intOption('runs', v.runs, 2000, 1, 100_000_000),
    seed,
    maxCommands: intOption('max-commands', v['max-commands'], 60, 1, 10_000),
    outDir: v.out!,
    ...(v.path !== undefined ? { path: v.path, endOnFailure: true } : {}),
    ...(v['replay-path'] !== undefined ? { replayPath: v['replay-path'] } : {}),
  };
}

try {
  const o = options(process.argv.slice(2));
  const r = runMbt(o);
  process.stdout.write(describeResult(o, r).join('\n') + '\n');
  process.exitCode = r.ok ? 0 : 1;
} catch (e) {
  const msg = e instanceof ToolError ? `${e.code}: ${e.message}` : `E_USAGE: ${(e as Error).message}`;
  process.stderr.write(`mbt: ${msg.split('\n')[0]}\n`);
  process.exitCode = 2;
}

/**
 * ioasid-verify: the command line (DESIGN.md §7). A chain of typed stages:
 * parse arguments -> resolve names and files -> run a command -> print.
 * Every bad input becomes one line `ioasid-verify: CODE: message`, exit 2.
 */
import { Command, CommanderError } from 'commander';
import { VARIANT_NAMES, type Variant, isVariant } from '../../model/index';
import { ToolError, unknownName } from '../errors';
import { resolveScope } from '../scopes';
import { checkCommand } from './commands/check';
import { exploreCommand } from './commands/explore';
import { type CommandOutput, EXIT } from './output';

interface Common {
  scope: string;
  json?: boolean;
}

function variantArg(name: string | undefined, fallback?: Variant): Variant {
  if (name === undefined) {
    if (fallback) return fallback;
    throw new ToolError('E_USAGE', `--variant is required; one of ${VARIANT_NAMES.join(', ')}`);
  }
  if (!isVariant(name)) throw unknownName('variant', name, VARIANT_NAMES);
  return name;
}

function emit(out: CommandOutput, json: boolean | undefined): never {
  process.stdout.write(json ? JSON.stringify(out.json) + '\n' : out.text + '\n');
  process.exit(out.exit);
}

/** A progress line on a terminal only; nothing when piped. */
function progress(json: boolean | undefined): ((line: string) => void) | undefined {
  if (json || !process.stderr.isTTY) return undefined;
  return (line) => process.stderr.write(`\r\x1b[K${line}`);
}

export function buildProgram(): Command {
  const program = new Command('ioasid-verify')
    .description('Model-backed verification of the /dev/ioasid PASID lifecycle (LKML, March 2021)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  const common = (c: Command): Command =>
    c.option('--scope <preset|file>', 'a preset (tiny, default, large) or a JSON scope file', 'default').option('--json', 'one JSON object on stdout, nothing else');

  common(program.command('explore').description('exhaustive breadth-first search of one variant'))
    .option('--variant <name>', 'the design variant', 'reference')
    .option('--out <dir>', 'where shortest violating traces are written', 'out/traces')
    .action((o: Common & { variant: string; out: string }) => {
      const p = progress(o.json);
      const out = exploreCommand({ scope: resolveScope(o.scope), variant: variantArg(o.variant), out: o.out, ...(p ? { progress: p } : {}) });
      if (p) process.stderr.write('\r\x1b[K');
      emit(out, o.json);
    });

  common(program.command('check').description('the CI entry point: every variant explored, verdicts compared with the design analysis'))
    .option('--out <dir>', 'where shortest violating traces are written', 'out/traces')
    .option('--junit <file>', 'write JUnit XML')
    .action((o: Common & { out: string; junit?: string }) => {
      const p = progress(o.json);
      const out = checkCommand({ scope: resolveScope(o.scope), out: o.out, ...(o.junit ? { junit: o.junit } : {}), ...(p ? { progress: p } : {}) });
      if (p) process.stderr.write('\r\x1b[K');
      emit(out, o.json);
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') process.exit(EXIT.ok);
      fail('E_USAGE', e.message.replace(/^error: /, ''));
    }
    if (e instanceof ToolError) fail(e.code, e.message);
    fail('E_INTERNAL', `internal error: ${(e as Error)?.message ?? String(e)} (please report this with the command line)`);
  }
}

function fail(code: string, message: string): never {
  process.stderr.write(`ioasid-verify: ${code}: ${message.split('\n')[0]}\n`);
  process.exit(EXIT.usage);
}

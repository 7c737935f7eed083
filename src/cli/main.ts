/**
 * ioasid-verify: the command line (DESIGN.md §7). A chain of typed stages:
 * parse arguments -> resolve names and files -> run a command -> print.
 * Every bad input becomes one line `ioasid-verify: CODE: message`, exit 2.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { type Design, INVARIANT_NAMES, REFERENCE_DESIGN, RULE_NAMES, type InvariantName, VARIANT_NAMES, ruleValueTexts, type Variant, isInvariantName } from '../../model/index';
import { MAX_SEED } from '../explore/prng';
import { type ErrorCode, ToolError, unknownName } from '../errors';
import { defaultJobs } from '../explore/parallel';
import { KERNEL_PARAM_NAMES } from '../conformance/kernelConfig';
import type { KernelParams } from '../kernel/index';
import { type CommandOutput, EXIT, checkWritable, intOption } from './output';
import { type Progress, type ProgressSink, progressSink } from './progress';
import { VERSION } from './version';

/** The commands' code (src/cli/commands/index.ts), loaded before any action runs (the preAction hook). */
let cmds: typeof import('./commands/index');
async function loadCommands(): Promise<void> {
  cmds ??= await import('./commands/index');
}

/** `--kernel-param sva_free_at_mmput=true`, repeatable; an unknown name or value is bad input. */
function parseKernelParams(given: readonly string[]): Partial<KernelParams> {
  const out: Record<string, boolean> = {};
  for (const g of given) {
    const [name = '', value, ...rest] = g.split('=');
    if (!(KERNEL_PARAM_NAMES as readonly string[]).includes(name)) throw unknownName('kernel parameter', name, KERNEL_PARAM_NAMES);
    if (rest.length > 0 || (value !== 'true' && value !== 'false')) throw new ToolError('E_USAGE', `--kernel-param ${g}: give ${name}=true or ${name}=false`);
    out[name] = value === 'true';
  }
  return out as Partial<KernelParams>;
}

/** The names a user types, listed under --help. */
const NAMES_HELP = [
  '',
  `Designs (--variant): ${VARIANT_NAMES.join(', ')}`,
  `Rules (model/rules.ts): ${RULE_NAMES.map((r) => `${r}=${ruleValueTexts(r).join('|')}`).join(', ')}`,
  `Invariants (--invariant): ${INVARIANT_NAMES.join(', ')}`,
  'Scopes (--scope): tiny, default, large, or a JSON scope file (README: "Scope files")',
  'Exit codes: 0 all good, 1 a check failed, 2 bad input, 3 inconclusive (E_SOLVER), 130 interrupted',
].join('\n');

interface Common {
  scope: string;
  json?: boolean;
  quiet?: boolean;
}

interface DesignOpts {
  variant?: string;
  design?: string;
  rule: string[];
  designJson?: string;
}

/** --variant, --design and --rule: the three ways of naming a design (DESIGN.md §8). */
function designOptions(c: Command, what = 'the design'): Command {
  return c
    .option('--variant <name>', `${what}: a preset (${VARIANT_NAMES.join(', ')})`)
    .option('--design <file>', `${what}: a design file (JSON, DESIGN.md §8) instead of --variant`)
    .option('--rule <name=value>', 'override one rule, on top of --variant or --design (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addOption(new Option('--design-json <json>', 'a design as JSON (for scripts; the hidden form of --design)').hideHelp());
}

function designOf(o: DesignOpts, fallback: Design | undefined = REFERENCE_DESIGN): Design {
  if (o.designJson !== undefined) {
    let raw: { name?: unknown; rules?: unknown; expect?: unknown };
    try {
      raw = JSON.parse(o.designJson) as typeof raw;
    } catch {
      throw new ToolError('E_JSON', '--design-json: not valid JSON');
    }
    const d = cmds.parseDesign({ rules: raw.rules, ...(Array.isArray(raw.expect) ? { expect: raw.expect } : {}) }, '--design-json');
    return typeof raw.name === 'string' ? { ...d, name: raw.name } : d;
  }
  return cmds.resolveDesign(o, fallback);
}

/** A design given only where a trace names its own: undefined when no flag is given. */
function designOverride(o: DesignOpts): Design | undefined {
  return o.variant === undefined && o.design === undefined && o.rule.length === 0 ? undefined : designOf(o);
}

function invariantArg(name: string): InvariantName {
  if (!isInvariantName(name)) throw unknownName('invariant', name, INVARIANT_NAMES);
  return name;
}

function emit(out: CommandOutput, json: boolean | undefined): void {
  for (const w of out.warnings ?? []) process.stderr.write(`ioasid-verify: warning: ${w}\n`);
  // Exit 3 always says why on stderr, in the one-line form (README, exit codes).
  if (out.exit === EXIT.unknown) process.stderr.write('ioasid-verify: E_SOLVER: the solver answered unknown or ran out of time on some query; the result is inconclusive (see the output; try a larger --timeout)\n');
  // Into a pipe, stdout is asynchronous: exiting before it drains cut output at 64 KiB (replay --json of a directory).
  if (process.stdout.write(json ? JSON.stringify(out.json) + '\n' : out.text + '\n')) process.exit(out.exit);
  else process.stdout.once('drain', () => process.exit(out.exit));
}

/** Progress on stderr (src/cli/progress.ts), with --json and when piped too; --quiet silences it. */
let sink: ProgressSink = progressSink(true);
function progress(o: { quiet?: boolean }): Progress | undefined {
  sink = progressSink(o.quiet === true);
  return sink.line;
}

/** The options of every command that runs at a scope. */
function common(c: Command): Command {
  return c
    .option('--scope <preset|file>', 'a preset (tiny, default, large) or a JSON scope file', 'default')
    .option('--json', 'one JSON object on stdout, nothing else')
    .option('--quiet', 'no progress lines on stderr');
}

/**
 * The end the long commands share: progress lines on stderr while `run` runs
 * (none with --quiet), the progress display cleared, then the output printed.
 */
async function runCommand(o: Common, run: (p: Progress | undefined) => CommandOutput | Promise<CommandOutput>): Promise<void> {
  const p = progress(o);
  const out = await run(p);
  sink.end();
  emit(out, o.json);
}

/** `explore`: one design, exhaustively. */
function addExploreCommand(program: Command): void {
  designOptions(common(program.command('explore').description('exhaustive breadth-first search of one design (default: reference)')))
    .option('--out <dir>', 'where shortest violating traces are written', 'out/traces')
    .option('--lemmas', "also check the auxiliary invariants Z3's proofs assume (model/lemmas.ts) in every reachable state")
    .option('--html <dir>', 'also write an index page and one page per counterexample here')
    .option('--workers <n>', 'worker threads searching the one state space (default: the cores there are; 1: the sequential explorer); the result is the same for every N')
    .action(async (o: Common & DesignOpts & { out: string; lemmas?: boolean; html?: string; workers?: string }) => {
      const p = progress(o);
      const workers = intOption('workers', o.workers, availableParallelism(), 1, 64);
      const scope = cmds.resolveScope(o.scope);
      const design = designOf(o);
      checkWritable({ dirs: [o.out, o.html] });
      const out = await cmds.exploreCommandOn({ scope, design, out: o.out, lemmas: o.lemmas === true, ...(o.html ? { html: o.html } : {}), ...(p ? { progress: p } : {}) }, workers);
      sink.end();
      emit(out, o.json);
    });
}

/** `check`: the CI entry point. */
function addCheckCommand(program: Command): void {
  designOptions(common(program.command('check').description('the CI entry point: every preset (or the one design given) explored, verdicts compared with the design analysis')), 'check only this design')
    .option('--out <dir>', 'where shortest violating traces are written', 'out/traces')
    .option('--junit <file>', 'write JUnit XML')
    .option('--html <dir>', 'also write an index page of the run and one page per counterexample here')
    .option('--jobs <n>', 'variants explored at once, each in its own process (default: min(2, cores))')
    .option('--no-proofs', 'skip the Z3 proofs stage')
    .action(async (o: Common & DesignOpts & { out: string; junit?: string; html?: string; jobs?: string; proofs: boolean }) => {
      const p = progress(o);
      const jobs = intOption('jobs', o.jobs, defaultJobs(), 1, 16);
      const scope = cmds.resolveScope(o.scope);
      const one = designOverride(o);
      checkWritable({ dirs: [o.out, o.html], files: [o.junit] });
      const out = await cmds.checkCommand({ scope, scopeArg: o.scope, jobs, ...(one ? { designs: [one] } : {}), proofs: o.proofs, out: o.out, interrupt: { json: o.json === true }, ...(o.junit ? { junit: o.junit } : {}), ...(o.html ? { html: o.html } : {}), ...(p ? { progress: p } : {}) });
      sink.end();
      emit(out, o.json);
    });
}

/** `matrix`: the design space as one table. */
function addMatrixCommand(program: Command): void {
  common(program.command('matrix').description('the design space: every combination of the chosen rules explored, one row per design'))
    .option('--rules <names>', `comma-separated rules to vary (default: all of ${RULE_NAMES.join(', ')})`)
    .option('--out <dir>', 'where shortest violating traces are written', 'out/matrix')
    .option('--jobs <n>', 'designs explored at once, each in its own process (default: min(2, cores))')
    .action(async (o: Common & { rules?: string; out: string; jobs?: string }) => {
      const jobs = intOption('jobs', o.jobs, defaultJobs(), 1, 16);
      const scope = cmds.resolveScope(o.scope);
      const rules = cmds.matrixRules(o.rules);
      checkWritable({ dirs: [o.out] });
      await runCommand(o, (p) => cmds.matrixCommand({ scope, scopeArg: o.scope, rules, jobs, out: o.out, ...(p ? { progress: p } : {}) }));
    });
}

/** `simulate`: seeded random walks. */
function addSimulateCommand(program: Command): void {
  designOptions(common(program.command('simulate').description('seeded random walks, for scopes too large to exhaust')))
    .option('--runs <n>', 'number of walks (default 1000)')
    .option('--steps <n>', 'calls per walk (default 100)')
    .option('--seed <n>', 'PRNG seed, 0..4294967295 (default: from the clock, always printed)')
    .option('--invariant <name>', 'check only this invariant (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--out <dir>', 'where shrunk violating walks are written', 'out/traces')
    .action(async (o: Common & DesignOpts & { runs?: string; steps?: string; seed?: string; invariant: string[]; out: string }) => {
      const runs = intOption('runs', o.runs, 1000, 1, 1_000_000);
      const steps = intOption('steps', o.steps, 100, 1, 100_000);
      const seed = intOption('seed', o.seed, Date.now() % (MAX_SEED + 1), 0, MAX_SEED);
      if (runs * steps > 1e9) throw new ToolError('E_BAD_NUMBER', `--runs ${runs} x --steps ${steps} is over 10^9 calls; lower one of them`);
      const invariants = o.invariant.length > 0 ? { invariants: [...new Set(o.invariant.map(invariantArg))] } : {};
      const scope = cmds.resolveScope(o.scope);
      checkWritable({ dirs: [o.out] });
      await runCommand(o, (p) => cmds.simulateCommand({ scope, design: designOf(o), runs, steps, seed, out: o.out, ...invariants, ...(p ? { progress: p } : {}) }));
    });
}

/** `show`: a trace for people. */
function addShowCommand(program: Command): void {
  designOptions(program.command('show'), "run the trace under this design instead of its #meta one")
    .description('renders a trace for people: a step table and a Mermaid sequence diagram')
    .argument('<file>', 'an ITF trace')
    .option('--scope <preset|file>', "run the trace at this scope instead of its #meta scope")
    .option('--json', 'one JSON object on stdout, nothing else')
    .action((file: string, o: DesignOpts & { scope?: string; json?: boolean }) => {
      const scope = o.scope !== undefined ? { scope: cmds.resolveScope(o.scope) } : {};
      const design = designOverride(o);
      emit(cmds.showCommand({ file, ...scope, ...(design ? { design } : {}) }), o.json);
    });
}





/** `view`: a trace as one HTML page. */
function addViewCommand(program: Command): void {
  designOptions(program.command('view'), 'run the trace under this design instead of its #meta one')
    .description('writes a trace as one self-contained HTML page: steps, the state at each, the violation and the objects it names')
    .argument('<file>', 'an ITF trace')
    .option('--out <page.html>', 'the page to write (default: the trace file with .html for .itf.json)')
    .option('--replay', "also run the trace on the kernel: its result beside the model's at every step")
    .option('--scope <preset|file>', 'run the trace at this scope instead of its #meta scope')
    .option('--json', 'one JSON object on stdout, nothing else')
    .action((file: string, o: DesignOpts & { out?: string; replay?: boolean; scope?: string; json?: boolean }) => {
      const scope = o.scope !== undefined ? { scope: cmds.resolveScope(o.scope) } : {};
      const design = designOverride(o);
      const out = o.out ?? cmds.defaultPagePath(file);
      checkWritable({ files: [out] });
      emit(cmds.viewCommand({ file, out, replay: o.replay === true, ...scope, ...(design ? { design } : {}) }), o.json);
    });
}

/** `prove`: Z3 proofs at a scope, up to a bound (--up-to), or for every scope (--parametric). */
function addProveCommand(program: Command): void {
  designOptions(common(program.command('prove').description('Z3 proofs that every invariant is inductive: one obligation per (invariant, action)')))
    .option('--timeout <ms>', 'per-query solver timeout; a timeout is reported unknown (exit 3)', '30000')
    .option('--full', 'in a flawed variant, decide every obligation instead of stopping once the expected invariants are refuted')
    .option('--up-to <preset|file>', 'prove at every scope no larger than this one (one per renaming of processes, devices, mdevs, VMs) instead of at --scope')
    .option('--jobs <n>', 'with --up-to: scopes proved at once, each in its own process (default 1)')
    .option('--shard <I/N>', 'with --up-to: prove only slice I of N (deterministic; `merge` puts the slices back together)')
    .option('--parametric', 'prove for every scope at once (the parametric encoding, proofs/param) instead of at --scope')
    .action(async (o: Common & DesignOpts & { timeout: string; full?: boolean; upTo?: string; jobs?: string; shard?: string; parametric?: boolean }, cmd: Command) => {
      const timeoutMs = intOption('timeout', o.timeout, 30000, 100, 3_600_000);
      if (o.parametric === true) {
        if (o.upTo !== undefined || cmd.getOptionValueSource('scope') === 'cli') {
          throw new ToolError('E_USAGE', `--parametric and ${o.upTo !== undefined ? '--up-to' : '--scope'} conflict: --parametric proves for every scope at once; give one of them`);
        }
        const design = designOf(o);
        cmds.refuseUnencoded(design);
        progress(o);
        const stop = sink.heartbeat(`prove --parametric ${design.name}`);
        const out = await cmds.proveParametricCommand({ design, timeoutMs, full: o.full === true });
        stop();
        sink.end();
        emit(out, o.json);
        return;
      }
      if (o.upTo !== undefined && cmd.getOptionValueSource('scope') === 'cli') {
        throw new ToolError('E_USAGE', '--up-to and --scope conflict: --up-to proves every scope up to its bound; give one of them');
      }
      if (o.upTo === undefined && (o.jobs !== undefined || o.shard !== undefined)) {
        throw new ToolError('E_USAGE', `--${o.jobs !== undefined ? 'jobs' : 'shard'} applies to a sweep: give --up-to too`);
      }
      if (o.upTo !== undefined) {
        const p = progress(o);
        const jobs = intOption('jobs', o.jobs, 1, 1, 16);
        const shard = o.shard !== undefined ? { shard: cmds.parseShard(o.shard) } : {};
        const out = await cmds.sweepCommand({ bound: cmds.resolveScope(o.upTo), design: designOf(o), timeoutMs, full: o.full === true, jobs, ...shard, ...(p ? { progress: p } : {}) });
        sink.end();
        emit(out, o.json);
        return;
      }
      const scope = cmds.resolveScope(o.scope);
      const design = designOf(o);
      progress(o);
      const stop = sink.heartbeat(`prove ${design.name} at scope ${scope.name}`);
      const out = await cmds.proveCommand({ scope, design, timeoutMs, full: o.full === true });
      stop();
      sink.end();
      emit(out, o.json);
    });
}

/** `merge`: the slices of a sweep as one result. */
function addMergeCommand(program: Command): void {
  program
    .command('merge')
    .description('the slices of a sweep (prove --up-to B --shard I/N --json, one file each) as one prove --up-to B result')
    .argument('<files...>', 'one shard file per slice, 1/N to N/N')
    .option('--json', 'one JSON object on stdout, nothing else')
    .action((files: string[], o: { json?: boolean }) => emit(cmds.mergeCommand(files), o.json));
}

/** `bmc`: Z3 bounded search. */
function addBmcCommand(program: Command): void {
  designOptions(common(program.command('bmc').description("Z3 bounded search for each invariant's shortest violation; writes ITF")))
    .option('--depth <k>', 'the longest trace searched', '12')
    .option('--out <dir>', 'where violating traces are written', 'out/traces')
    .option('--timeout <ms>', 'per-query solver timeout; a timeout is reported unknown (exit 3)', '60000')
    .option('--invariant <name>', 'search only for this invariant (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--lemmas', 'first prove what holds in every reachable state, then assume it at each step (much faster at depth 8 and more)')
    .action(async (o: Common & DesignOpts & { depth: string; out: string; timeout: string; invariant: string[]; lemmas?: boolean }) => {
      const depth = intOption('depth', o.depth, 12, 0, 40);
      const timeoutMs = intOption('timeout', o.timeout, 60000, 100, 3_600_000);
      const invariants = o.invariant.length > 0 ? { invariants: [...new Set(o.invariant.map(invariantArg))] } : {};
      const p = progress(o);
      const scope = cmds.resolveScope(o.scope);
      const design = designOf(o, undefined);
      checkWritable({ dirs: [o.out] });
      const out = await cmds.bmcCommand({ scope, design, depth, out: o.out, timeoutMs, lemmas: o.lemmas === true, ...invariants, ...(p ? { progress: p } : {}) });
      sink.end();
      emit(out, o.json);
    });
}

/** `outcomes`: a shortest trace per (action, result). */
function addOutcomesCommand(program: Command): void {
  common(program.command('outcomes').description('Z3 finds a shortest trace for every (action, result) the reference model can produce; each is replayed on the kernel (at an SVA scope: exhaustive search for the pairs of the SVA calls)'))
    .option('--depth <k>', 'at most this many steps before the last action', '12')
    .option('--out <dir>', 'where the traces are written', 'out/outcomes')
    .option('--timeout <ms>', 'per-query solver timeout; a timeout is reported unknown (exit 3)', '60000')
    .action(async (o: Common & { depth: string; out: string; timeout: string }) => {
      const depth = intOption('depth', o.depth, 12, 0, 40);
      const timeoutMs = intOption('timeout', o.timeout, 60000, 100, 3_600_000);
      const scope = cmds.resolveScope(o.scope);
      checkWritable({ dirs: [o.out] });
      progress(o);
      const stop = sink.heartbeat(`outcomes at scope ${scope.name}`);
      const out = await cmds.outcomesCommand({ scope, depth, out: o.out, timeoutMs });
      stop();
      sink.end();
      emit(out, o.json);
    });
}

/** `replay`: traces on the model and the kernel. */
function addReplayCommand(program: Command): void {
  designOptions(program.command('replay'), "run the traces under this design instead of their #meta one")
    .description('runs traces on the model (their design) and on the kernel (reference, or configured as the design), step by step')
    .argument('<files...>', 'ITF traces, or directories of them (a summary table for several)')
    .option('--scope <preset|file>', "run the trace at this scope instead of its #meta scope")
    .option('--kernel-param <name=value>', `set a kernel module parameter (src/kernel/params.ts: ${KERNEL_PARAM_NAMES.join(', ')}; true|false), repeatable; e.g. sva_free_at_mmput=true runs the 2022 SVA kernel`, (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--json', 'one JSON object on stdout, nothing else')
    .action((files: string[], o: DesignOpts & { scope?: string; json?: boolean; kernelParam: string[] }) => {
      const scope = o.scope !== undefined ? { scope: cmds.resolveScope(o.scope) } : {};
      const design = designOverride(o);
      const kernelParams = parseKernelParams(o.kernelParam);
      emit(cmds.replayFiles({ files, ...scope, ...(design ? { design } : {}), ...(o.kernelParam.length > 0 ? { kernelParams } : {}) }), o.json);
    });
}

/** `report`: the security argument as Markdown. */
function addReportCommand(program: Command): void {
  common(program.command('report').description('the security argument as Markdown: claims, invariants, evidence, rejected alternatives'))
    .option('--out <file>', 'where the Markdown report is written', 'out/report.md')
    .option('--traces <dir>', 'where counterexample traces are written (default: traces/ next to the report)')
    .option('--evidence <file>', 'a result file written by another command with --json (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--depth <k>', 'bound each exploration at this BFS depth (default: exhaustive)')
    .option('--jobs <n>', 'variants explored at once, each in its own process (default: min(2, cores))')
    .action(async (o: Common & { out: string; traces?: string; evidence: string[]; depth?: string; jobs?: string }) => {
      const depth = o.depth !== undefined ? { depth: intOption('depth', o.depth, 0, 1, 1000) } : {};
      const jobs = intOption('jobs', o.jobs, defaultJobs(), 1, 16);
      if (existsSync(o.out) && statSync(o.out).isDirectory()) throw new ToolError('E_FILE', `--out '${o.out}' is a directory; give the report's file name`);
      const scope = cmds.resolveScope(o.scope);
      const evidence = o.evidence.map(cmds.readEvidence);
      checkWritable({ files: [o.out], dirs: [o.traces ?? join(dirname(o.out), 'traces')] });
      const p = progress(o);
      const traces = o.traces !== undefined ? { traces: o.traces } : {};
      const out = await cmds.reportCommand({ scope, scopeArg: o.scope, out: o.out, evidence, jobs, ...depth, ...traces, interrupt: { json: o.json === true }, ...(p ? { progress: p } : {}) });
      sink.end();
      emit(out, o.json);
    });
}

export function buildProgram(): Command {
  const program = new Command('ioasid-verify')
    .description('Model-backed verification of the /dev/ioasid PASID lifecycle (LKML, March 2021)')
    .version(VERSION, '--version', 'print the version')
    .showSuggestionAfterError(true)
    .addHelpText('after', NAMES_HELP)
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .hook('preAction', loadCommands);
  for (const add of [addExploreCommand, addCheckCommand, addMatrixCommand, addSimulateCommand, addShowCommand, addViewCommand, addProveCommand, addMergeCommand, addBmcCommand, addOutcomesCommand, addReplayCommand, addReportCommand]) add(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') process.exit(EXIT.ok);
      // 'commander.help' is help shown for an error: no command was given (its text went to the muted stderr).
      if (e.code === 'commander.help') fail('E_USAGE', `no command given; one of ${buildProgram().commands.map((c) => c.name()).join(', ')} (see --help)`);
      // commander puts its "(Did you mean ...?)" on a second line: keep it on the one line we print.
      fail('E_USAGE', e.message.replace(/^error: /, '').replace(/\s*\n\(Did you mean (.+)\?\)/, "; did you mean '$1'?"));
    }
    if (e instanceof ToolError) fail(e.code, e.message);
    fail('E_INTERNAL', `internal error: ${(e as Error)?.message ?? String(e)} (please report this with the command line)`);
  }
}

function fail(code: ErrorCode, message: string): never {
  process.stderr.write(`ioasid-verify: ${code}: ${message.split('\n')[0]}\n`);
  process.exit(EXIT.usage);
}

/**
 * The bad-input corpus: files written into a temp folder, and command lines
 * that must each be refused with exit 2 and one line `ioasid-verify: CODE: ...`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_TRACE_BYTES } from '../../src/trace/itf';

export interface BadInput {
  readonly name: string;
  readonly args: (dir: string) => string[];
  readonly code: string;
  /** a fragment the message must contain (e.g. the near-miss suggestion) */
  readonly says?: string;
}

const init = { 'mbt::actionTaken': 'init' };
const bigint = (n: string): object => ({ '#bigint': n });
const trace = (states: unknown, meta: object = {}): string => JSON.stringify({ '#meta': meta, states });
const alloc = (picks: object): object => ({ 'mbt::actionTaken': 'alloc', 'mbt::nondetPicks': picks });

/** name -> contents of each file the corpus refers to */
const FILES: Record<string, string> = {
  'design-array.json': '[{"rules": {}}]',
  'design-string-bool.json': JSON.stringify({ name: 'x', rules: { drain: 'false' } }),
  'design-bad-value.json': JSON.stringify({ rules: { recycle: 'at-close' } }),
  'design-unknown-rule.json': JSON.stringify({ rules: { drian: false } }),
  'design-unknown-key.json': JSON.stringify({ name: 'x', rulez: {} }),
  'design-bad-base.json': JSON.stringify({ base: 'no-drian' }),
  'design-bad-expect.json': JSON.stringify({ rules: { drain: false }, expect: ['recycle-at-zer0'] }),
  'trace-bad-rules.json': JSON.stringify({ '#meta': { rules: { drain: 'no' } }, states: [{ 'mbt::actionTaken': 'init' }] }),
  'malformed.json': '{"states": [ {"mbt::actionTaken": "init"}, ',
  'garbage.json': '\u0000\u0001\u00ff PK\u0003\u0004 not json at all',
  'empty.json': '',
  'blank.json': '   \n\t\n',
  'array.json': '[1, 2, 3]',
  'states-object.json': JSON.stringify({ states: { 0: init } }),
  'states-empty.json': JSON.stringify({ states: [] }),
  'no-action.json': trace([init, { 'mbt::nondetPicks': { proc: bigint('1') } }]),
  'not-init.json': trace([{ 'mbt::actionTaken': 'open', 'mbt::nondetPicks': { proc: bigint('1') } }]),
  'bigint-fraction.json': trace([init, alloc({ proc: bigint('1.5'), fd: bigint('1') })]),
  'bigint-word.json': trace([init, alloc({ proc: bigint('one'), fd: bigint('1') })]),
  'bigint-bool.json': trace([init, alloc({ proc: true, fd: bigint('1') })]),
  'missing-arg.json': trace([init, alloc({ proc: bigint('1') })]),
  'near-miss-action.json': trace([init, { 'mbt::actionTaken': 'alocc', 'mbt::nondetPicks': { proc: bigint('1'), fd: bigint('1') } }]),
  'result-number.json': trace([init, { ...alloc({ proc: bigint('1'), fd: bigint('1') }), result: 1 }]),
  'meta-variant.json': trace([init], { variant: 'no-drian' }),
  'meta-scope.json': trace([init], { scope: 'defualt' }),
  'meta-scope-object.json': trace([init], { scope: { procs: 'two' } }),
  'scope-topology.json': JSON.stringify({
    procs: 2, fdsPerProc: 1, quota: 1, pasids: 2, vpasids: 1, swqDepth: 1,
    devices: [{ id: 1, kind: 'pdev', owner: 1 }, { id: 2, kind: 'swq' }],
    mdevs: [{ id: 1, parent: 1, owner: 1, vm: 1 }],
    vms: [{ id: 1, owner: 1 }],
  }),
  'scope-owner.json': JSON.stringify({
    procs: 1, fdsPerProc: 1, quota: 1, pasids: 2, vpasids: 1, swqDepth: 1,
    devices: [{ id: 1, kind: 'swq' }], mdevs: [{ id: 1, parent: 1, owner: 1, vm: 1 }], vms: [{ id: 1, owner: 3 }],
  }),
  // valid, but 4 processes, 4 devices, 4 VMs and 4 mdevs: far too many scopes below it to sweep
  'scope-big.json': JSON.stringify({
    procs: 4, fdsPerProc: 2, quota: 2, pasids: 4, vpasids: 2, swqDepth: 2,
    devices: [1, 2, 3, 4].map((id) => ({ id, kind: 'swq' })),
    mdevs: [1, 2, 3, 4].map((id) => ({ id, parent: 1, owner: id, vm: id })),
    vms: [1, 2, 3, 4].map((id) => ({ id, owner: id })),
  }),
  'evidence-unknown.json': JSON.stringify({ hello: 'world', tests: 3 }),
  'evidence-variant.json': JSON.stringify({ variant: 'no-drian', invariants: { quota: { holds: true } } }),
  'evidence-invariant.json': JSON.stringify({ variant: 'reference', states: 1, transitions: 0, invariants: { qouta: { holds: true } } }),
};

/** Writes the corpus files, a folder, and one file just over the trace size limit. */
export function writeCorpus(dir: string): void {
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  mkdirSync(join(dir, 'a-folder'), { recursive: true });
  writeFileSync(join(dir, 'huge.json'), Buffer.alloc(MAX_TRACE_BYTES + 1, 0x20));
}

const show = (file: string) => (dir: string) => ['show', join(dir, file)];
const sim = (...extra: string[]) => (dir: string) => ['simulate', '--runs', '1', '--steps', '1', '--out', join(dir, 'never-written'), ...extra];
const rep = (...extra: string[]) => (dir: string) => ['report', '--out', join(dir, 'never.md'), ...extra.map((x) => x.replace('$DIR', dir))];

export const BAD_INPUTS: readonly BadInput[] = [
  // replay --kernel-param (src/kernel/params.ts)
  { name: 'an unknown kernel parameter', args: () => ['replay', '--kernel-param', 'sva_free_at_mput=true', 'x.json'], code: 'E_UNKNOWN_NAME', says: "did you mean 'sva_free_at_mmput'" },
  { name: 'a kernel parameter that is not true or false', args: () => ['replay', '--kernel-param', 'sva_free_at_mmput=1', 'x.json'], code: 'E_USAGE', says: 'sva_free_at_mmput=true' },
  // trace files
  { name: 'malformed JSON', args: show('malformed.json'), code: 'E_JSON' },
  { name: 'binary garbage', args: show('garbage.json'), code: 'E_JSON' },
  { name: 'an empty file', args: show('empty.json'), code: 'E_JSON' },
  { name: 'a blank file', args: show('blank.json'), code: 'E_JSON' },
  { name: 'JSON that is not an object', args: show('array.json'), code: 'E_TRACE' },
  { name: 'states not an array', args: show('states-object.json'), code: 'E_TRACE', says: 'states' },
  { name: 'no states at all', args: show('states-empty.json'), code: 'E_TRACE' },
  { name: 'a state without mbt::actionTaken', args: show('no-action.json'), code: 'E_TRACE', says: 'actionTaken' },
  { name: 'state 0 not init', args: show('not-init.json'), code: 'E_TRACE' },
  { name: 'a #bigint with a fraction', args: show('bigint-fraction.json'), code: 'E_BAD_NUMBER' },
  { name: 'a #bigint that is a word', args: show('bigint-word.json'), code: 'E_BAD_NUMBER' },
  { name: 'a boolean argument', args: show('bigint-bool.json'), code: 'E_BAD_NUMBER' },
  { name: 'a missing argument', args: show('missing-arg.json'), code: 'E_TRACE', says: 'fd' },
  { name: 'an unknown action', args: show('near-miss-action.json'), code: 'E_UNKNOWN_NAME', says: "did you mean 'alloc'" },
  { name: 'a result that is not a string', args: show('result-number.json'), code: 'E_TRACE' },
  { name: 'an unknown variant in #meta', args: show('meta-variant.json'), code: 'E_UNKNOWN_NAME', says: "did you mean 'no-drain'" },
  { name: 'an unknown scope in #meta', args: show('meta-scope.json'), code: 'E_UNKNOWN_NAME', says: "did you mean 'default'" },
  { name: 'a malformed scope object in #meta', args: show('meta-scope-object.json'), code: 'E_SCOPE' },
  { name: 'a missing trace file', args: show('no-such-file.json'), code: 'E_FILE' },
  { name: 'a directory as the trace', args: show('a-folder'), code: 'E_FILE' },
  { name: 'a trace over the size limit', args: show('huge.json'), code: 'E_TOO_LARGE' },
  { name: 'show with an unknown --variant', args: (d) => [...show('states-empty.json')(d), '--variant', 'refrence'], code: 'E_UNKNOWN_NAME' },
  { name: 'show without a file', args: () => ['show'], code: 'E_USAGE' },
  { name: 'show with two files', args: (d) => ['show', join(d, 'a'), join(d, 'b')], code: 'E_USAGE' },
  // view and --html (the counterexample viewer)
  { name: 'view without a file', args: () => ['view'], code: 'E_USAGE' },
  { name: 'view of a missing trace file', args: (d) => ['view', join(d, 'no-such-file.json'), '--out', join(d, 'never.html')], code: 'E_FILE' },
  { name: 'view of malformed JSON', args: (d) => ['view', join(d, 'malformed.json'), '--out', join(d, 'never.html')], code: 'E_JSON' },
  { name: 'view of a trace with an unknown action', args: (d) => ['view', join(d, 'near-miss-action.json'), '--out', join(d, 'never.html'), '--replay'], code: 'E_UNKNOWN_NAME', says: "did you mean 'alloc'" },
  { name: 'view --out that is a directory', args: (d) => ['view', join(d, 'states-empty.json'), '--out', join(d, 'a-folder')], code: 'E_FILE', says: 'directory' },
  { name: 'view --out under a file', args: (d) => ['view', join(d, 'states-empty.json'), '--out', join(d, 'malformed.json', 'page.html')], code: 'E_FILE' },
  { name: 'view with an unknown --variant', args: (d) => ['view', join(d, 'states-empty.json'), '--out', join(d, 'never.html'), '--variant', 'no-drian'], code: 'E_UNKNOWN_NAME', says: "did you mean 'no-drain'" },
  { name: 'check --html that is a file', args: (d) => ['check', '--html', join(d, 'malformed.json'), '--out', join(d, 'never-traces')], code: 'E_FILE', says: 'give a directory' },
  { name: 'explore --html that is a file', args: (d) => ['explore', '--html', join(d, 'malformed.json'), '--out', join(d, 'never-traces')], code: 'E_FILE', says: 'give a directory' },
  // names
  { name: 'an unknown variant', args: sim('--variant', 'no-drian'), code: 'E_UNKNOWN_NAME', says: "did you mean 'no-drain'" },
  { name: 'an unknown scope preset', args: sim('--scope', 'larg'), code: 'E_UNKNOWN_NAME', says: "did you mean 'large'" },
  { name: 'an unknown invariant', args: sim('--invariant', 'qouta'), code: 'E_UNKNOWN_NAME', says: "did you mean 'quota'" },
  { name: 'zero --workers for explore', args: () => ['explore', '--scope', 'tiny', '--workers', '0'], code: 'E_BAD_NUMBER', says: 'between 1 and 64' },
  { name: 'non-numeric --workers for explore', args: () => ['explore', '--scope', 'tiny', '--workers', 'all'], code: 'E_BAD_NUMBER', says: 'whole number' },
  { name: 'an unknown variant for explore', args: () => ['explore', '--variant', 'refrence'], code: 'E_UNKNOWN_NAME', says: "did you mean 'reference'" },
  // numbers
  { name: 'non-numeric --runs', args: sim('--runs', 'many'), code: 'E_BAD_NUMBER' },
  { name: 'zero --runs', args: sim('--runs', '0'), code: 'E_BAD_NUMBER' },
  { name: 'negative --runs', args: sim('--runs', '-5'), code: 'E_BAD_NUMBER' },
  { name: 'exponent --runs', args: sim('--runs', '1e3'), code: 'E_BAD_NUMBER' },
  { name: 'fractional --steps', args: sim('--steps', '1.5'), code: 'E_BAD_NUMBER' },
  { name: 'huge --steps', args: sim('--steps', '99999999999999999999'), code: 'E_BAD_NUMBER' },
  { name: 'runs x steps too many', args: sim('--runs', '1000000', '--steps', '100000'), code: 'E_BAD_NUMBER' },
  { name: 'negative --seed', args: sim('--seed', '-1'), code: 'E_BAD_NUMBER' },
  { name: 'hex --seed', args: sim('--seed', '0x10'), code: 'E_BAD_NUMBER' },
  { name: '--seed past 32 bits', args: sim('--seed', '4294967296'), code: 'E_BAD_NUMBER' },
  { name: 'non-numeric --depth', args: rep('--depth', 'deep'), code: 'E_BAD_NUMBER' },
  { name: 'zero --depth', args: rep('--depth', '0'), code: 'E_BAD_NUMBER' },
  { name: 'zero --jobs', args: rep('--jobs', '0'), code: 'E_BAD_NUMBER' },
  { name: 'non-numeric outcomes --depth', args: () => ['outcomes', '--depth', 'deep'], code: 'E_BAD_NUMBER' },
  { name: 'outcomes --timeout below 100 ms', args: () => ['outcomes', '--timeout', '5'], code: 'E_BAD_NUMBER' },
  { name: 'negative bmc --depth', args: () => ['bmc', '--variant', 'no-drain', '--depth', '-1'], code: 'E_BAD_NUMBER' },
  { name: 'an unknown invariant for bmc', args: () => ['bmc', '--variant', 'no-drain', '--invariant', 'no-cross-tenant'], code: 'E_UNKNOWN_NAME', says: "did you mean 'no-cross-tenant-dma'" },
  { name: 'an unknown variant for prove', args: () => ['prove', '--variant', 'refrence'], code: 'E_UNKNOWN_NAME', says: "did you mean 'reference'" },
  { name: 'an unknown bound for prove --up-to', args: () => ['prove', '--up-to', 'lage'], code: 'E_UNKNOWN_NAME', says: "did you mean 'large'" },
  { name: 'a malformed bound for prove --up-to', args: (d) => ['prove', '--up-to', join(d, 'malformed.json')], code: 'E_JSON' },
  { name: 'a bound too large to enumerate for prove --up-to', args: (d) => ['prove', '--up-to', join(d, 'scope-big.json')], code: 'E_TOO_LARGE', says: 'smaller bound' },
  { name: 'prove --shard without --up-to', args: () => ['prove', '--shard', '1/2'], code: 'E_USAGE', says: '--up-to' },
  { name: 'prove --up-to --shard past its count', args: () => ['prove', '--up-to', 'tiny', '--shard', '3/2'], code: 'E_BAD_NUMBER', says: 'between 1 and N' },
  { name: 'prove --up-to --shard not I/N', args: () => ['prove', '--up-to', 'tiny', '--shard', 'half'], code: 'E_USAGE', says: 'I/N' },
  { name: 'a missing shard file for merge', args: (d) => ['merge', join(d, 'no-shard.json')], code: 'E_FILE' },
  { name: 'a result file that is no shard for merge', args: (d) => ['merge', join(d, 'malformed.json')], code: 'E_JSON' },
  { name: 'an unknown scope for outcomes', args: () => ['outcomes', '--scope', 'defualt'], code: 'E_UNKNOWN_NAME', says: "did you mean 'default'" },
  // scope files
  { name: 'a scope file with an mdev whose parent is a pdev', args: (d) => sim('--scope', join(d, 'scope-topology.json'))(d), code: 'E_SCOPE', says: 'parent' },
  { name: 'a scope file with a VM of a process out of range', args: (d) => sim('--scope', join(d, 'scope-owner.json'))(d), code: 'E_SCOPE' },
  { name: 'a missing scope file', args: (d) => sim('--scope', join(d, 'no-scope.json'))(d), code: 'E_FILE' },
  { name: 'a directory as the scope', args: (d) => sim('--scope', join(d, 'a-folder'))(d), code: 'E_FILE' },
  { name: 'a malformed scope file', args: (d) => sim('--scope', join(d, 'malformed.json'))(d), code: 'E_JSON' },
  { name: 'a scope file that is a trace', args: (d) => sim('--scope', join(d, 'near-miss-action.json'))(d), code: 'E_SCOPE' },
  { name: 'a scope file over the size limit', args: (d) => sim('--scope', join(d, 'huge.json'))(d), code: 'E_TOO_LARGE' },
  // evidence and output files
  { name: 'a missing evidence file', args: rep('--evidence', '$DIR/nope.json'), code: 'E_FILE' },
  { name: 'a malformed evidence file', args: rep('--evidence', '$DIR/malformed.json'), code: 'E_JSON' },
  { name: 'an empty evidence file', args: rep('--evidence', '$DIR/empty.json'), code: 'E_JSON' },
  { name: 'a directory as evidence', args: rep('--evidence', '$DIR/a-folder'), code: 'E_FILE' },
  { name: 'an evidence file over the size limit', args: rep('--evidence', '$DIR/huge.json'), code: 'E_TOO_LARGE' },
  { name: 'an evidence file of no known kind', args: rep('--evidence', '$DIR/evidence-unknown.json'), code: 'E_EVIDENCE' },
  { name: 'evidence naming an unknown variant', args: rep('--evidence', '$DIR/evidence-variant.json'), code: 'E_UNKNOWN_NAME', says: "did you mean 'no-drain'" },
  { name: 'evidence naming an unknown invariant', args: rep('--evidence', '$DIR/evidence-invariant.json'), code: 'E_UNKNOWN_NAME', says: "did you mean 'quota'" },
  { name: 'a report --out that is a directory', args: (d) => ['report', '--out', join(d, 'a-folder')], code: 'E_FILE' },
  // designs (DESIGN.md §8)
  { name: 'a rule value not allowed', args: () => ['explore', '--rule', 'drain=maybe'], code: 'E_RULE', says: 'true, false' },
  { name: 'an unknown rule', args: () => ['explore', '--rule', 'drian=false'], code: 'E_UNKNOWN_NAME', says: "did you mean 'drain'" },
  { name: 'a rule given twice', args: () => ['explore', '--rule', 'drain=false', '--rule', 'drain=true'], code: 'E_RULE', says: 'twice' },
  { name: 'a --rule without =', args: () => ['simulate', '--rule', 'drain'], code: 'E_RULE', says: 'NAME=VALUE' },
  { name: 'both --variant and --design', args: (d) => ['explore', '--variant', 'no-drain', '--design', join(d, 'design-array.json')], code: 'E_USAGE', says: 'give one' },
  { name: 'a design file that is not an object', args: (d) => ['explore', '--design', join(d, 'design-array.json')], code: 'E_DESIGN', says: 'JSON object' },
  { name: 'a design file with a boolean as a string', args: (d) => ['explore', '--design', join(d, 'design-string-bool.json')], code: 'E_RULE', says: 'JSON boolean' },
  { name: 'a design file with a value not allowed', args: (d) => ['check', '--design', join(d, 'design-bad-value.json')], code: 'E_RULE', says: 'at-zero, at-destroy, notifier' },
  { name: 'a design file with an unknown rule', args: (d) => ['explore', '--design', join(d, 'design-unknown-rule.json')], code: 'E_UNKNOWN_NAME', says: "did you mean 'drain'" },
  { name: 'a design file with an unknown key', args: (d) => ['explore', '--design', join(d, 'design-unknown-key.json')], code: 'E_DESIGN', says: 'rulez' },
  { name: 'a design file with an unknown base', args: (d) => ['explore', '--design', join(d, 'design-bad-base.json')], code: 'E_UNKNOWN_NAME', says: "did you mean 'no-drain'" },
  { name: 'a design file expecting an unknown invariant', args: (d) => ['explore', '--design', join(d, 'design-bad-expect.json')], code: 'E_UNKNOWN_NAME', says: "did you mean 'recycle-at-zero'" },
  { name: 'a missing design file', args: (d) => ['explore', '--design', join(d, 'nope.json')], code: 'E_FILE' },
  { name: 'a trace whose #meta.rules has a bad value', args: show('trace-bad-rules.json'), code: 'E_TRACE', says: 'true, false' },
  { name: 'matrix over an unknown rule', args: () => ['matrix', '--rules', 'drain,kvmauth'], code: 'E_UNKNOWN_NAME', says: "did you mean 'kvmAuth'" },
  // usage
  { name: 'no command', args: () => [], code: 'E_USAGE' },
  { name: 'an unknown command', args: () => ['frobnicate'], code: 'E_USAGE' },
  { name: 'a near-miss command', args: () => ['simulat'], code: 'E_USAGE', says: 'simulate' },
  { name: 'an unknown option', args: () => ['explore', '--frobnicate'], code: 'E_USAGE' },
  { name: 'an option missing its value', args: () => ['explore', '--variant'], code: 'E_USAGE' },
  { name: 'bad input with --json still prints nothing on stdout', args: (d) => [...show('malformed.json')(d), '--json'], code: 'E_JSON' },
];

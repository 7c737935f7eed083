/** Exit codes and the plumbing every command shares (DESIGN.md §7). */
import { existsSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ToolError } from '../errors';

export const EXIT = { ok: 0, failed: 1, usage: 2, unknown: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface GlobalOptions {
  readonly scope: string;
  readonly json: boolean;
}

/** What a command hands back: the JSON object for --json, the text for people, the exit code. */
export interface CommandOutput {
  readonly json: object;
  readonly text: string;
  readonly exit: ExitCode;
  /** lines for stderr, each printed as `ioasid-verify: warning: LINE` */
  readonly warnings?: readonly string[];
}

export function writeJsonFile(path: string, value: unknown): void {
  writeTextFile(path, JSON.stringify(value, null, 1) + '\n');
}

/** A temporary name beside `path`, on the same file system so that rename is atomic. */
const tempBeside = (path: string): string => join(dirname(path), `.${path.split('/').pop()}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);

/**
 * Writes atomically: the text goes to a temporary file beside `path`, which is
 * then renamed over it, so an interrupted run never leaves a partial file.
 */
export function writeTextFile(path: string, text: string): void {
  const tmp = tempBeside(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    try {
      if (existsSync(tmp)) unlinkSync(tmp);
    } catch {
      // the write failed already; that error is the one to report
    }
    throw new ToolError('E_FILE', `cannot write '${path}': ${(e as Error).message}`);
  }
}

/** Fails (E_FILE) unless a file can be written in `dir`: creates it, then writes and removes a probe. */
function probeDir(dir: string, what: string): void {
  try {
    // Probe the nearest existing ancestor first: mkdir -p under /proc or /sys can spin instead of failing.
    let base = dir;
    while (!existsSync(base) && dirname(base) !== base) base = dirname(base);
    const probeBase = tempBeside(join(base, 'probe'));
    writeFileSync(probeBase, '');
    unlinkSync(probeBase);
    mkdirSync(dir, { recursive: true });
    const probe = tempBeside(join(dir, 'probe'));
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    throw new ToolError('E_FILE', `${what} '${dir}' is not writable: ${(e as Error).message.split(',')[0]}`);
  }
}

/**
 * Checks before any work starts that every output path can be written: a
 * command must not run for a minute and then fail on its last line.
 * `files` are output files (their directory must be writable, and they must
 * not be directories); `dirs` are output directories.
 */
export function checkWritable(paths: { files?: readonly (string | undefined)[]; dirs?: readonly (string | undefined)[] }): void {
  for (const f of paths.files ?? []) {
    if (f === undefined) continue;
    if (existsSync(f) && statSync(f).isDirectory()) throw new ToolError('E_FILE', `'${f}' is a directory; give a file name`);
    probeDir(dirname(f), `'${f}' cannot be written: its directory`);
  }
  for (const d of paths.dirs ?? []) {
    if (d === undefined) continue;
    if (existsSync(d) && !statSync(d).isDirectory()) throw new ToolError('E_FILE', `'${d}' is a file; give a directory`);
    probeDir(d, 'the output directory');
  }
}

/** Parses a whole number option, with bounds; anything else is E_BAD_NUMBER. */
export function intOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ToolError('E_BAD_NUMBER', `--${name} must be a whole number, got '${raw}'`);
  const n = Number(raw);
  if (n < min || n > max) throw new ToolError('E_BAD_NUMBER', `--${name} must be between ${min} and ${max}, got ${raw}`);
  return n;
}

// The plain text table lives below the CLI (renderers use it too); re-exported for the commands.
export { pad, table } from '../render/table';

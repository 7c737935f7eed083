/** Exit codes and the plumbing every command shares (DESIGN.md §7). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(value, null, 1) + '\n');
  } catch (e) {
    throw new ToolError('E_FILE', `cannot write '${path}': ${(e as Error).message}`);
  }
}

export function writeTextFile(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (e) {
    throw new ToolError('E_FILE', `cannot write '${path}': ${(e as Error).message}`);
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

export function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** A plain text table: header row, dashes, rows; columns sized to fit. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * Running the CLI from tests, two ways: the real binary (node + tsx, ~0.5-1 s
 * a spawn), and in-process (main() with process.exit and the two output
 * streams stubbed). In-process, the first process.exit ends the run as it
 * would end the real process: its code is kept, later writes and exits are
 * dropped (main's own catch would otherwise see the stub's throw as a bug).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { main } from '../../src/cli/main';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const BIN = fileURLToPath(new URL('../../bin/ioasid-verify.mjs', import.meta.url));
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function runBinary(args: readonly string[], cwd = ROOT): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GITHUB_ACTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export async function runInProcess(args: readonly string[]): Promise<CliRun> {
  let code: number | null = null;
  let stdout = '';
  let stderr = '';
  const exit = vi.spyOn(process, 'exit').mockImplementation(((c?: number) => {
    if (code === null) code = c ?? 0;
    throw new Exit(c ?? 0);
  }) as never);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
    if (code === null) stdout += String(chunk);
    return true;
  }) as never);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array) => {
    if (code === null) stderr += String(chunk);
    return true;
  }) as never);
  try {
    await main(args);
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
  } finally {
    exit.mockRestore();
    out.mockRestore();
    err.mockRestore();
  }
  return { code: code ?? 0, stdout, stderr };
}

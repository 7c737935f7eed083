/**
 * Ctrl-C and output paths: SIGINT to a running `check` ends its explore
 * processes, prints a partial summary and exits 130, leaving no partial output
 * file; an output path that cannot be written is refused before any work.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runBinary } from './run';

/** The pids whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

/** A directory no file can be created in: chmod 555, or (as root, who ignores modes) /proc/self. */
function readOnlyDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ro-'));
  chmodSync(d, 0o555);
  try {
    writeFileSync(join(d, 'x'), '');
    return '/proc/self';
  } catch {
    return d;
  }
}

describe('signals', () => {
  it('SIGINT to check: children ended, partial summary, exit 130, no partial output file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigint-'));
    const junit = join(dir, 'junit.xml');
    const child = spawn(process.execPath, [BIN, 'check', '--out', join(dir, 'traces'), '--junit', junit, '--jobs', '2'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Wait until both explore processes run.
    let kids: number[] = [];
    for (let i = 0; i < 100 && kids.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      kids = childrenOf(child.pid!);
    }
    expect(kids.length).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await closed;
    expect(code).toBe(130);
    expect(stdout).toMatch(/INTERRUPTED by SIGINT/);
    expect(stdout).toMatch(/not finished: /);
    await new Promise((r) => setTimeout(r, 300));
    for (const k of kids) expect(alive(k), `explore process ${k}`).toBe(false);
    expect(existsSync(junit)).toBe(false);
    const written = existsSync(join(dir, 'traces')) ? readdirSync(join(dir, 'traces')) : [];
    expect(written.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of written) expect(() => JSON.parse(readFileSync(join(dir, 'traces', f), 'utf8'))).not.toThrow();
  }, 60_000);

  it('check --junit into a read-only directory: exit 2 before any work', async () => {
    const t0 = performance.now();
    const r = await runBinary(['check', '--junit', join(readOnlyDir(), 'junit.xml')]);
    const seconds = (performance.now() - t0) / 1000;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ioasid-verify: E_FILE: .*junit\.xml' cannot be written/);
    expect(r.stdout).toBe('');
    // node and the TypeScript loader start in about 1 s on the 2-core machine; a run that began exploring takes a minute
    expect(seconds).toBeLessThan(3);
  });
});

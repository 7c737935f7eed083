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

  /** Starts the CLI, waits until stderr shows `ready`, sends SIGINT, and returns what it printed. */
  async function interrupt(args: string[], ready: RegExp): Promise<{ code: number | null; stdout: string; seconds: number }> {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    for (let i = 0; i < 600 && !ready.test(stderr); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stderr).toMatch(ready);
    const t0 = performance.now();
    child.kill('SIGINT');
    const code = await closed;
    return { code, stdout, seconds: (performance.now() - t0) / 1000 };
  }

  it('SIGINT to check --jobs 1 (explorations in this process): stops after the design being explored, partial summary, exit 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigint1-'));
    const junit = join(dir, 'junit.xml');
    // the progress line of the second design: the first is done, the run is mid-way
    const r = await interrupt(['check', '--scope', 'tiny', '--jobs', '1', '--no-proofs', '--out', join(dir, 'traces'), '--junit', junit], /explore no-drain: depth/);
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/INTERRUPTED by SIGINT/);
    expect(r.stdout).toMatch(/\breference\b/);
    expect(r.stdout).toMatch(/not finished: .*iommufd-busy/);
    expect(existsSync(junit)).toBe(false);
  }, 120_000);

  it('SIGINT to report: exit 130, says the report was not written, and no report file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigint-report-'));
    const out = join(dir, 'report.md');
    const r = await interrupt(['report', '--scope', 'tiny', '--jobs', '1', '--out', out], /explore no-drain: depth/);
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/^report: INTERRUPTED by SIGINT after .*report\.md not written \(exit 130\)/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);
});

/**
 * `show` tells the 2022 SVA use-after-free in kernel terms (DESIGN.md §10)
 * from the explorer's shortest sva-free-at-mmput traces: which call freed the
 * PASID, what the device still had programmed and queued, who got the PASID
 * next, where the stale work landed, and what the fix does on the same calls.
 * A trace without an early free tells nothing of it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { showCommand } from '../../src/cli/commands/show';
import { presetDesign } from '../../model/index';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const CROSS = join(FIXTURES, 'sva/sva-free-at-mmput--no-cross-tenant-dma.itf.json');
const RECYCLE = join(FIXTURES, 'sva/sva-free-at-mmput--recycle-at-zero.itf.json');
const story = (file: string, design?: ReturnType<typeof presetDesign>) =>
  ((showCommand({ file, ...(design ? { design } : {}) }).json as { svaStory?: string[] }).svaStory ?? []);

describe('show: the 2022 SVA use-after-free in kernel terms', () => {
  it('no-cross-tenant-dma: freed at exit, programmed and queued on swq 2, unbinds drain nothing, process 2 gets PASID 1, the work lands in process 2', () => {
    const s = story(CROSS);
    expect(s[0]).toMatch(/^step 3 \(exit\): exit_mm\(\).*__mmput\(\).*mm_pasid_drop\(\).*PASID 1 back in the free pool, undrained/);
    expect(s[1]).toContain("swq 2 still had PASID 1 programmed for process 1's mm");
    expect(s[1]).toContain('1 descriptor tagged with PASID 1 sat in swq 2 (issued by process 1)');
    expect(s[2]).toMatch(/^step 4 \(exit_files\).*drained the PASID the mm holds now, which is none.*stayed queued/);
    expect(s[3]).toBe("step 5 (sva_bind): process 2's mm got PASID 1, the lowest free, and swq 2 now maps PASID 1 to process 2's address space.");
    expect(s[4]).toMatch(/^step 6 \(swq_exec\): swq 2 ran process 1's stale descriptor with PASID 1: it landed in process 2's address space/);
    expect(s[5]).toContain('__mmdrop()');
    expect(s[6]).toBe('  step 3 keeps PASID 1 with process 1\'s mm; step 4 (exit_files) drains the swq of PASID 1 at unbind and frees it at the last mmdrop(), after the drain; results that change: step 6 swq_exec -> idle (was ok:2); no invariant breaks.');
  });

  it('recycle-at-zero: the free with nothing queued yet, and the fix keeping the PASID', () => {
    const s = story(RECYCLE);
    expect(s[0]).toMatch(/^step 2 \(exit\)/);
    expect(s[1]).toContain('with nothing queued under it yet');
    expect(s.at(-1)).toContain('step 2 keeps PASID 1 with process 1\'s mm; it is not freed within the trace; no invariant breaks');
  });

  it('nothing to tell when the same calls run on the fixed design, or for a trace of §3', () => {
    expect(story(CROSS, presetDesign('reference'))).toEqual([]);
    expect(story(join(FIXTURES, 'examples/no-drain-in-flight-enqcmd.itf.json'))).toEqual([]);
    expect(showCommand({ file: CROSS }).text).toContain('in kernel terms (DESIGN.md §10, the 2022 SVA use-after-free):');
  });
});

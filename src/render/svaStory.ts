/**
 * The 2022 SVA use-after-free told in kernel terms (DESIGN.md §10), read off
 * a trace's states, never off a design's name: the step where an mm's PASID
 * went back to the pool while a device still had it programmed, what was
 * programmed and queued then, how exit_files let the stale work stay, who
 * got the PASID next, where the stale work landed, and what the same calls
 * do when the PASID is freed at __mmdrop (the fix), run on the model.
 * Nothing is told for a trace without that step.
 */
import { type Rules, type Scope, type State, isFree } from '../../model/index';
import { type ShownStep, showSteps } from './steps';

interface EarlyFree {
  readonly step: ShownStep;
  readonly proc: number;
  readonly pasid: number;
}

/** The first step after which process `proc`'s mm lost PASID `pasid` to the free pool while an SVA entry of it still carries it. */
function earlyFree(steps: readonly ShownStep[]): EarlyFree | undefined {
  for (const s of steps) {
    const before = s.before.mms;
    if (!before || !s.after.mms) continue;
    for (let i = 0; i < before.length; i++) {
      const pasid = before[i]!.pasid;
      if (pasid === 0 || s.after.mms[i]!.pasid !== 0 || !isFree(s.after, pasid)) continue;
      if (svaEntriesOf(s.after, i + 1, pasid).length > 0) return { step: s, proc: i + 1, pasid };
    }
  }
  return undefined;
}

/** The devices whose SVA entry for `pasid` leads to `proc`. */
function svaEntriesOf(s: State, proc: number, pasid: number): number[] {
  return (s.sva ?? []).flatMap((t, d) => (t.some((e) => e.pasid === pasid && e.proc === proc) ? [d + 1] : []));
}

function queuedWith(s: State, pasid: number): { dev: number; issuer: number }[] {
  return s.queues.flatMap((q, d) => q.filter((x) => x.pasid === pasid).map((x) => ({ dev: d + 1, issuer: x.issuer })));
}

const list = (xs: readonly string[]): string => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

export function svaStory(scope: Scope, rules: Rules, steps: readonly ShownStep[]): string[] {
  const f = earlyFree(steps);
  if (!f) return [];
  const { proc, pasid } = f;
  const out: string[] = [];
  const programmed = svaEntriesOf(f.step.after, proc, pasid);
  const queued = queuedWith(f.step.after, pasid);
  const users = f.step.after.mms![proc - 1]!.users;
  out.push(
    `step ${f.step.index} (${f.step.action.type}): exit_mm() dropped process ${proc}'s last mm_users reference; __mmput() tore its address space down and called mm_pasid_drop(), which put PASID ${pasid} back in the free pool, undrained.`,
    `  at that moment ${list(programmed.map((d) => `swq ${d}`))} still had PASID ${pasid} programmed for process ${proc}'s mm (the SVA binding its device file holds; mm_count ${users}), ` +
      (queued.length > 0
        ? `and ${queued.length} descriptor${queued.length === 1 ? '' : 's'} tagged with PASID ${pasid} sat in ${list([...new Set(queued.map((q) => `swq ${q.dev}`))])} (issued by process ${list([...new Set(queued.map((q) => String(q.issuer)))])}).`
        : 'with nothing queued under it yet.'),
  );
  const later = steps.filter((s) => s.index > f.step.index);
  const files = later.find((s) => s.action.type === 'exit_files' && s.action.proc === proc && s.result === '0');
  if (files) {
    const stale = queuedWith(files.after, pasid).filter((q) => q.issuer === proc);
    out.push(
      `step ${files.index} (exit_files): the device files were released; each unbind drained the PASID the mm holds now, which is none (mm->pasid is IOMMU_PASID_INVALID after the drop)` +
        (stale.length > 0 ? `, so process ${proc}'s descriptor stayed queued, tagged with the free PASID ${pasid}.` : '.'),
    );
  }
  const next = later.find((s) => s.result === String(pasid) && (s.action.type === 'sva_bind' || s.action.type === 'alloc') && 'proc' in s.action && s.action.proc !== proc);
  if (next && 'proc' in next.action) {
    out.push(
      next.action.type === 'sva_bind'
        ? `step ${next.index} (sva_bind): process ${next.action.proc}'s mm got PASID ${pasid}, the lowest free, and swq ${next.action.dev} now maps PASID ${pasid} to process ${next.action.proc}'s address space.`
        : `step ${next.index} (alloc): process ${next.action.proc} got PASID ${pasid} for a new IOASID.`,
    );
  }
  const landed = later.find((s) => {
    if (s.action.type !== 'swq_exec') return false;
    const head = s.before.queues[s.action.dev - 1]?.[0];
    return head?.pasid === pasid && head.issuer === proc && /^ok:/.test(s.result) && s.result !== `ok:${proc}`;
  });
  if (landed && landed.action.type === 'swq_exec') {
    out.push(`step ${landed.index} (swq_exec): swq ${landed.action.dev} ran process ${proc}'s stale descriptor with PASID ${pasid}: it landed in process ${landed.result.slice(3)}'s address space. That is the use-after-free.`);
  }
  out.push(...theFix(scope, rules, steps, f));
  return out;
}

/** The same calls on the design with the PASID freed at __mmdrop, run on the model. */
function theFix(scope: Scope, rules: Rules, steps: readonly ShownStep[], f: EarlyFree): string[] {
  const fixed = showSteps(scope, { ...rules, svaPasidFree: 'mmdrop' }, steps.map((s) => ({ action: s.action })));
  const at = fixed[f.step.index - 1]!;
  const kept = at.after.mms?.[f.proc - 1]?.pasid === f.pasid;
  const freedAt = fixed.find((s) => s.index > at.index && s.before.mms?.[f.proc - 1]?.pasid === f.pasid && s.after.mms?.[f.proc - 1]?.pasid === 0);
  const differ = fixed.filter((s, i) => s.result !== steps[i]!.result).map((s) => `step ${s.index} ${s.action.type} -> ${s.result} (was ${steps[s.index - 1]!.result})`);
  const broken = [...new Set(fixed.flatMap((s) => s.violated))];
  return [
    `the fix (svaPasidFree: mmdrop; commit 2667ed10d9f0 "mm: Fix PASID use-after-free issue", v5.18-rc6; docs/ioasid-history.md): the PASID is freed in __mmdrop(), when the last mm_count reference goes; each binding holds one (mmgrab), so on the same calls:`,
    `  step ${at.index} keeps PASID ${f.pasid} with process ${f.proc}'s mm${kept ? '' : ' (it does not: see the trace)'}` +
      (freedAt
        ? `; step ${freedAt.index} (${freedAt.action.type}) drains the swq of PASID ${f.pasid} at unbind and frees it at the last mmdrop(), after the drain`
        : '; it is not freed within the trace') +
      `${differ.length > 0 ? `; results that change: ${differ.join(', ')}` : ''}; ${broken.length > 0 ? `still broken: ${broken.join(', ')}` : 'no invariant breaks'}.`,
  ];
}

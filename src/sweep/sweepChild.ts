/**
 * A process forked by runSweep (sweep.ts) to prove scopes of a sweep: Z3 runs
 * one check at a time per process, so a sweep uses N cores through N of
 * these. It starts Z3 once and proves one scope per ProveScopeJob, answering
 * each with one SweepChildReply, until its parent disconnects.
 */
import type { Design, Scope } from '../../model/index';
import { type SweepScope, proveScope } from '../../proofs/index';

/** What the parent sends: prove the scope at `position` of the sweep's list. */
export interface ProveScopeJob {
  readonly kind: 'prove';
  readonly position: number;
  readonly scope: Scope;
  readonly design: Design;
  readonly timeoutMs: number;
  readonly full: boolean;
}

export type SweepChildReply =
  | { readonly kind: 'proved'; readonly position: number; readonly result: SweepScope }
  | { readonly kind: 'failed'; readonly position: number; readonly message: string };

if (process.send === undefined) {
  process.stderr.write('ioasid-verify: E_USAGE: src/sweep/sweepChild is started by prove --up-to --jobs, not by hand\n');
  process.exit(2);
}
// The parent gone (interrupted, or done): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
// Jobs come one at a time (the next is sent after this one's reply), so Z3 is never asked twice at once.
process.on('message', (job: ProveScopeJob) => {
  proveScope(job.scope, job.design, { timeoutMs: job.timeoutMs, full: job.full }).then(
    (result) => process.send!({ kind: 'proved', position: job.position, result } satisfies SweepChildReply),
    (e: unknown) => process.send!({ kind: 'failed', position: job.position, message: (e as Error)?.message ?? String(e) } satisfies SweepChildReply),
  );
});

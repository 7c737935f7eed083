/**
 * The process parallel.ts forks for one design: it receives one ExploreJob on
 * its IPC channel, explores the design exhaustively, writes each shortest
 * violation as an ITF file under `out` (verdictOf), answers with one
 * ExploreReply and exits. A separate process gives each state space its own
 * heap, so one large design cannot starve the others, and lets an interrupted
 * parent end it (parallel.ts stopChildren).
 */
import type { Design, InvariantName } from '../../model/index';
import { ToolError } from '../errors';
import { resolveScope } from '../scopes';
import { explore } from './explorer';
import { type CounterexampleTrace, type InvariantVerdict, type VariantVerdict, verdictOf } from './verdicts';

/** What the parent sends: one design to explore at one scope. */
export interface ExploreJob {
  readonly kind: 'explore';
  /** the --scope argument as the user gave it (a preset name or a scope file) */
  readonly scopeArg: string;
  readonly design: Design;
  /** the directory the traces go to */
  readonly out: string;
}

/** What the child answers, once. */
export type ExploreReply =
  | {
      readonly kind: 'explored';
      readonly states: number;
      readonly transitions: number;
      readonly depth: number;
      readonly seconds: number;
      readonly invariants: Record<InvariantName, InvariantVerdict>;
      readonly surprises: VariantVerdict['surprises'];
      /** each shortest violation as ITF, for the parent to write (only the CLI writes files) */
      readonly traces: readonly CounterexampleTrace[];
    }
  | { readonly kind: 'failed'; readonly code: string; readonly message: string };

function run(job: ExploreJob): ExploreReply {
  try {
    const scope = resolveScope(job.scopeArg);
    const r = explore(scope.scope, job.design);
    const { verdict: v, traces } = verdictOf(r, scope, job.out);
    return { kind: 'explored', states: r.states, transitions: r.transitions, depth: r.depth, seconds: r.seconds, invariants: v.invariants, surprises: v.surprises, traces };
  } catch (e) {
    if (e instanceof ToolError) return { kind: 'failed', code: e.code, message: e.message };
    return { kind: 'failed', code: 'E_INTERNAL', message: `internal error: ${(e as Error)?.message ?? String(e)}` };
  }
}

if (process.send === undefined) {
  process.stderr.write('ioasid-verify: E_USAGE: src/explore/exploreChild is started by the explorer (parallel.ts), not by hand\n');
  process.exit(2);
}
process.once('message', (job: ExploreJob) => {
  process.send!(run(job), () => process.disconnect());
});

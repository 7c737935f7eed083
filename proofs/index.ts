/**
 * ▶ The proofs API: Z3 proofs, bounded model checking and outcome coverage of
 * the model, with plain-data results. Imports model/ only.
 *
 *   prove(scope, variant)        inductive proofs of DESIGN.md §4 (prove.ts)
 *   bmc(scope, variant, depth)   shortest violations by iterative deepening (bmc.ts)
 *   outcomes(scope)              a shortest trace per (action, result) of `reference` (outcomes.ts)
 *   sweep(bound, variant)        prove() at every scope up to a bound (sweep.ts)
 */
export { type Cti, type Obligation, type ProveOptions, type ProveResult, type Status, SLOTS_SUFFICE, prove, provedClaims } from './prove';
export { type BmcOptions, type BmcResult, type BmcVerdict, bmc, replayViolates } from './bmc';
export { type OutcomeTrace, type OutcomesOptions, type OutcomesResult, type Unproducible, lastResult, outcomes } from './outcomes';
export { AUX_INVARIANTS, type AuxInvariant } from './aux';
export { layoutOf } from './layout';
export { type SweepOptions, type SweepResult, type SweepScope, proveScope, sweep, sweepStatus } from './sweep';

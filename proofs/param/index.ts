/** ▶ The parametric proofs: every scope at once (encoding.ts, prove.ts). */
export { type CounterModel, type ParamClaim, type ParamObligation, type ParamOptions, type ParamResult, type Status, claimHolds, guardHolds, postStructure, proveParametric } from './prove';
export { type Claim, INVARIANT_CLAIMS, type Transition, auxClaims, initial, scopeAxioms, stutterActions, transitions } from './encoding';
export { EvalLogic, type Structure, type Val } from './logic';
export { EntKeys, type Ghost, type Layout, ghostOf, layoutOf, relevant, toModel, toStructure } from './structure';

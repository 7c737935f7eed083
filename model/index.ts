/** The model: scope, state, actions, step, invariants, the seed's claims, variants (DESIGN.md). */
export * from './scope';
export * from './state';
export * from './actions';
export * from './step';
export * from './invariants';
export * from './claims';
export * from './rules';
export * from './variants';
export * from './candidates';
export * from './scopeSpace';
export * from './lemmas';

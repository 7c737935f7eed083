/**
 * The tests Stryker runs against each kernel mutant (npm run mutation): the
 * kernel's own suites, the model-based tests and the conformance suites. The
 * model-based tests stop at the first divergence (no shrinking): a mutant is
 * killed or not, its smallest counterexample does not matter here.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/kernel/**/*.test.ts', 'spec/mbt/**/*.test.ts', 'spec/conformance/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { MBT_END_ON_FAILURE: '1' },
  },
});

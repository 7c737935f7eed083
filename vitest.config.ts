import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.test.ts'],
    pool: 'forks',
    // vitest's default is one fewer than the cores: one file at a time on a 2-core machine, while
    // most files are one thread (Z3, the sequential explorer) and leave the other core idle.
    maxWorkers: Math.max(2, availableParallelism()),
    globalSetup: ['spec/setup/build.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

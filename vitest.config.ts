import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['spec/setup/build.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

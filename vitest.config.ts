import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser and JupyterHub suites start real processes; keep a generous but bounded budget.
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // Two cores: run files in parallel, but not so many that builds and browsers starve each other.
    maxWorkers: 2,
    minWorkers: 1,
  },
});

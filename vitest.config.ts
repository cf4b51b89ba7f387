import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // Integration suites drive real binaries; keep them from starving each other on 2 cores.
    maxConcurrency: 4,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});

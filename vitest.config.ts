import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // Integration suites drive real binaries; keep them from starving each other on 2 cores.
    maxConcurrency: 4,
    reporters: ['default', './test/summary-reporter.ts'],
    // Makes the folder the shared kube-apiserver lives in and stops it at the end; the server
    // itself starts only when a test calls useApiServer() (test/integration/apiserver/harness.ts).
    globalSetup: ['./test/integration/apiserver/global-setup.ts'],
  },
});

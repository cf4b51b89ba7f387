import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopRecorded } from './processes.js';
import { OWNER_PID_KEY, RUN_DIR_KEY } from './run-context.js';

/**
 * vitest global setup: makes the run folder the shared API server will live in (it is only
 * started when a test calls useApiServer()), and stops whatever was started there when the
 * run ends.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const runDir = mkdtempSync(join(tmpdir(), 'krmkit-apiserver-'));
  project.provide(RUN_DIR_KEY, runDir);
  project.provide(OWNER_PID_KEY, process.pid);
  return async () => {
    await stopRecorded(runDir);
    rmSync(runDir, { recursive: true, force: true });
  };
}

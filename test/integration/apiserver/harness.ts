import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { run } from '../process.js';
import { toolPath } from '../tools.js';
import { RUN_DIR_KEY, OWNER_PID_KEY } from './run-context.js';
import { startServer, type ServerState } from './launch.js';

/**
 * A real kube-apiserver (with etcd and PodSecurity admission) as a judge for tests.
 *
 * One server per vitest run, shared by every test file: the first `useApiServer()` in any
 * worker starts it (the others wait for it), and vitest's global teardown
 * (./global-setup.ts) stops it by its recorded pids. A run that never calls this starts no
 * server. Missing tools throw with the install command, like every integration tool.
 */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ApiServer {
  kubeconfig: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** How long etcd plus the API server took to become ready, in seconds. */
  startSeconds: number;
  kubectl(args: string[], options?: { input?: string; namespace?: string }): Promise<KubectlResult>;
  /** Creates (or updates) a namespace with exactly these labels, e.g. pod-security.kubernetes.io/enforce. */
  createNamespace(name: string, labels?: Record<string, string>): Promise<void>;
}

const STATE_FILE = 'state.json';
const FAILURE_FILE = 'failure.txt';
const WAIT_FOR_OTHER_WORKER_MS = 180_000;

let shared: Promise<ApiServer> | undefined;

export function useApiServer(): Promise<ApiServer> {
  shared ??= attach();
  return shared;
}

async function attach(): Promise<ApiServer> {
  const runDir = inject(RUN_DIR_KEY);
  const ownerPid = inject(OWNER_PID_KEY);
  if (!runDir || !ownerPid) {
    throw new Error('useApiServer() needs the global setup test/integration/apiserver/global-setup.ts (vitest.config.ts lists it)');
  }
  return client(await sharedState(runDir, ownerPid));
}

/** mkdir is atomic: the worker that creates the lock folder starts the server. */
async function sharedState(runDir: string, ownerPid: number): Promise<ServerState> {
  let starter = false;
  try {
    mkdirSync(join(runDir, 'lock'));
    starter = true;
  } catch {
    // Another worker is starting it.
  }
  if (starter) {
    try {
      const state = await startServer(runDir, ownerPid);
      writeFileSync(join(runDir, STATE_FILE), JSON.stringify(state));
      console.info(`kube-apiserver ready at ${state.server} in ${state.startSeconds.toFixed(2)} s (etcd included)`);
      return state;
    } catch (error) {
      writeFileSync(join(runDir, FAILURE_FILE), error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
  const deadline = Date.now() + WAIT_FOR_OTHER_WORKER_MS;
  while (Date.now() < deadline) {
    if (existsSync(join(runDir, STATE_FILE))) return JSON.parse(readFileSync(join(runDir, STATE_FILE), 'utf8')) as ServerState;
    if (existsSync(join(runDir, FAILURE_FILE))) throw new Error(`the shared API server failed to start: ${readFileSync(join(runDir, FAILURE_FILE), 'utf8')}`);
    await sleep(200);
  }
  throw new Error(`the shared API server was not ready after ${WAIT_FOR_OTHER_WORKER_MS / 1000} s (run folder ${runDir})`);
}

function client(state: ServerState): ApiServer {
  const kubectlBin = toolPath('kubectl');
  const kubectl: ApiServer['kubectl'] = async (args, options = {}) => {
    const namespace = options.namespace ? ['--namespace', options.namespace] : [];
    const result = await run(kubectlBin, ['--kubeconfig', state.kubeconfig, ...namespace, ...args], { input: options.input ?? '' });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return {
    ...state,
    kubectl,
    async createNamespace(name, labels = {}) {
      const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
      const result = await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=krmkit-test', '-f', '-'], { input: JSON.stringify(namespace) });
      if (result.code !== 0) throw new Error(`creating namespace ${name} failed (exit ${result.code}):\n${result.stderr}`);
    },
  };
}

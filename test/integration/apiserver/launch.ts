import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { toolPath } from '../tools.js';
import { createPki } from './pki.js';
import { PIDS_FILE, stopRecorded } from './processes.js';

/** What a test needs to reach a running server; written to `<run>/state.json` for every worker. */
export interface ServerState {
  kubeconfig: string;
  server: string;
  /** Seconds from spawning etcd to the API server answering /readyz (certificates excluded). */
  startSeconds: number;
}

const READY_TIMEOUT_MS = 90_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Detached, with output to a log file: the server outlives the vitest worker that happened to
 * start it (workers end with their test file), and is stopped by the recorded pid instead.
 */
export function launch(runDir: string, name: string, command: string, args: readonly string[]): number {
  const log = openSync(join(runDir, 'server', `${name}.log`), 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error(`${name} did not start (${command})`);
  appendFileSync(join(runDir, PIDS_FILE), `${name} ${child.pid}\n`);
  return child.pid;
}

/**
 * Stops the servers when the vitest process that owns the run disappears without its global
 * teardown (killed, crashed): a shell loop that polls the owner's pid. Its own command line
 * names the run folder, so teardown can stop it like the others.
 */
export function launchWatchdog(runDir: string, ownerPid: number, pids: readonly number[]): void {
  const script = [
    'run=$1; owner=$2; shift 2',
    'while kill -0 "$owner" 2>/dev/null; do sleep 2; done',
    'kill "$@" 2>/dev/null; sleep 5; kill -9 "$@" 2>/dev/null',
    'rm -rf "$run"',
  ].join('\n');
  launch(runDir, 'watchdog', '/bin/sh', ['-c', script, 'krmkit-apiserver-watchdog', runDir, String(ownerPid), ...pids.map(String)]);
}

function get(url: string, options: { ca?: Buffer; token?: string } = {}): Promise<number> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
    const req = request(url, { ca: options.ca, headers, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function getHttp(url: string): Promise<number> {
  return fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    (response) => response.status,
    () => 0,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

async function waitFor(what: string, pid: number, logFile: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await probe()) return;
    if (!isAlive(pid)) throw new Error(`${what} exited while starting; its log (${logFile}) ends with:\n${tail(logFile)}`);
    await sleep(100);
  }
  throw new Error(`${what} was not ready after ${READY_TIMEOUT_MS / 1000} s; its log (${logFile}) ends with:\n${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * etcd and kube-apiserver on free loopback ports, with the admission a real cluster has for
 * Pod Security: the PodSecurity plugin on (namespaces choose their level by label), RBAC
 * authorization, and a static token in system:masters for the tests. The ServiceAccount
 * plugin is off because no controller-manager runs to create `default` service accounts,
 * and privileged pods are allowed so that PodSecurity, not --allow-privileged, judges them.
 */
export async function startServer(runDir: string, ownerPid: number): Promise<ServerState> {
  const etcdBin = toolPath('etcd');
  const apiserverBin = toolPath('kube-apiserver');
  const dir = join(runDir, 'server');
  mkdirSync(dir, { recursive: true });
  const pki = await createPki(dir);
  const token = randomBytes(24).toString('hex');
  writeFileSync(join(dir, 'tokens.csv'), `${token},krmkit-test,krmkit-test,"system:masters"\n`);
  const [clientPort, peerPort, securePort] = await Promise.all([freePort(), freePort(), freePort()]);
  const etcdUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;

  const started = performance.now();
  try {
    // prettier-ignore
    const etcd = launch(runDir, 'etcd', etcdBin, [
      '--name', 'krmkit', '--data-dir', join(dir, 'etcd'),
      '--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl,
      '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `krmkit=${peerUrl}`, '--log-level', 'warn', '--logger', 'zap',
    ]);
    // prettier-ignore
    const apiserver = launch(runDir, 'kube-apiserver', apiserverBin, [
      '--etcd-servers', etcdUrl,
      '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1', `--secure-port=${securePort}`,
      '--tls-cert-file', pki.servingCert, '--tls-private-key-file', pki.servingKey, '--cert-dir', join(dir, 'certs'),
      '--token-auth-file', join(dir, 'tokens.csv'), '--anonymous-auth=false',
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file', pki.serviceAccountPublicKey, '--service-account-signing-key-file', pki.serviceAccountKey,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--enable-admission-plugins=PodSecurity', '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true', '--profiling=false', '--v=1',
      // WatchList (on by default since 1.32) turns every watch from resourceVersion 0 into a
      // watch stream, which Debian's etcd 3.4.23 cannot serve (no RequestWatchProgress): such
      // clients (kwok in test/integration/cluster) then only see changes on each relist.
      '--feature-gates=WatchList=false',
    ]);
    launchWatchdog(runDir, ownerPid, [etcd, apiserver]);
    await waitFor('etcd', etcd, join(dir, 'etcd.log'), async () => (await getHttp(`${etcdUrl}/health`)) === 200);
    const ca = readFileSync(pki.caCert);
    const server = `https://127.0.0.1:${securePort}`;
    await waitFor('kube-apiserver', apiserver, join(dir, 'kube-apiserver.log'), async () => (await get(`${server}/readyz`, { ca, token })) === 200);
    const startSeconds = (performance.now() - started) / 1000;
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigText(server, pki.caCert, token), { mode: 0o600 });
    return { kubeconfig, server, startSeconds };
  } catch (error) {
    await stopRecorded(runDir);
    throw error;
  }
}

function kubeconfigText(server: string, caFile: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: krmkit-test',
    '    cluster:',
    `      server: ${server}`,
    `      certificate-authority: ${caFile}`,
    'users:',
    '  - name: krmkit-test',
    '    user:',
    `      token: ${token}`,
    'contexts:',
    '  - name: krmkit-test',
    '    context:',
    '      cluster: krmkit-test',
    '      user: krmkit-test',
    'current-context: krmkit-test',
    '',
  ].join('\n');
}

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiServer } from '../apiserver/harness.js';
import { POSTRENDER, type HelmHome } from '../paths.js';
import { run, type ProcessRun } from '../process.js';
import { toolPath } from '../tools.js';
import { pendingReasons, podsOf, readyCount, type PodState } from './pods.js';

/**
 * The steps of one high-availability scenario, each the way a user does it: `helm upgrade
 * --install` through krmkit's post-renderer (Helm 3 executable or Helm 4 plugin), a
 * template-changing upgrade with `--wait`, the HPA scaling to its maxReplicas, `kubectl
 * drain`. Each step returns what it measured; the test decides what must hold.
 */
export type HelmVersion = 'helm3' | 'helm4';

export interface Release {
  helm: HelmVersion;
  home: HelmHome;
  name: string;
  namespace: string;
  chart: string;
  /** The pipeline file krmkit runs (`--overlay=<file>`). */
  overlay: string;
}

/** A workload of the release the scenario watches: its pod selector and what may be disrupted. */
export interface Workload {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  selector: string;
  hpa?: string;
}

export interface HelmRun {
  ok: boolean;
  seconds: number;
  output: string;
  /** krmkit's findings for this render (`--report`), since Helm 4 hides a post-renderer's stderr. */
  report: string;
}

export async function helmUpgrade(release: Release, options: { timeoutSeconds: number; set?: readonly string[] }): Promise<HelmRun> {
  const reportFile = join(mkdtempSync(join(tmpdir(), 'krmkit-ha-report-')), 'report.txt');
  const postRenderer = release.helm === 'helm3' ? POSTRENDER : 'krmkit';
  // prettier-ignore
  const args = [
    'upgrade', '--install', release.name, release.chart, '--namespace', release.namespace, '--create-namespace',
    '--wait', `--timeout=${options.timeoutSeconds}s`,
    '--post-renderer', postRenderer, `--post-renderer-args=--overlay=${release.overlay}`, `--post-renderer-args=--report=${reportFile}`,
    ...(options.set ?? []).flatMap((value) => ['--set', value]),
  ];
  const started = performance.now();
  const result: ProcessRun = await run(toolPath(release.helm), args, { env: { ...release.home.env, KUBECONFIG: kubeconfigOf(release) }, cwd: tmpdir() });
  return {
    ok: result.status === 0,
    seconds: (performance.now() - started) / 1000,
    output: result.stdout + result.stderr,
    report: existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : '',
  };
}

/** `helm rollback` to a revision, as a user does after a failed upgrade, waiting for it. */
export async function helmRollback(release: Release, revision: number): Promise<HelmRun> {
  const args = ['rollback', release.name, String(revision), '--namespace', release.namespace, '--wait', '--timeout=60s'];
  const started = performance.now();
  const result = await run(toolPath(release.helm), args, { env: { ...release.home.env, KUBECONFIG: kubeconfigOf(release) }, cwd: tmpdir() });
  return { ok: result.status === 0, seconds: (performance.now() - started) / 1000, output: result.stdout + result.stderr, report: '' };
}

/** `helm uninstall`, waiting until the release's pods are gone, so the next scenario starts on an empty cluster. */
export async function helmUninstall(release: Release): Promise<HelmRun> {
  const args = ['uninstall', release.name, '--namespace', release.namespace, '--wait', '--timeout=60s'];
  const started = performance.now();
  const result = await run(toolPath(release.helm), args, { env: { ...release.home.env, KUBECONFIG: kubeconfigOf(release) }, cwd: tmpdir() });
  return { ok: result.status === 0, seconds: (performance.now() - started) / 1000, output: result.stdout + result.stderr, report: '' };
}

const kubeconfigs = new WeakMap<HelmHome, string>();

/** Helm finds the cluster through KUBECONFIG; each Helm home is bound to one server. */
export function bindHelmHome(home: HelmHome, server: ApiServer): void {
  kubeconfigs.set(home, server.kubeconfig);
}

function kubeconfigOf(release: Release): string {
  const kubeconfig = kubeconfigs.get(release.home);
  if (!kubeconfig) throw new Error('bindHelmHome() first: the Helm home has no cluster');
  return kubeconfig;
}

/** Polls until `done` holds for the workload's pods, or the time is up; returns the last pods seen. */
export async function waitForPods(
  server: ApiServer,
  namespace: string,
  workload: Workload,
  done: (pods: PodState[]) => boolean,
  timeoutMs = 30_000,
): Promise<{ pods: PodState[]; settled: boolean; seconds: number }> {
  const started = performance.now();
  let pods = await podsOf(server, namespace, workload.selector);
  while (!done(pods)) {
    if (performance.now() - started > timeoutMs) return { pods, settled: false, seconds: (performance.now() - started) / 1000 };
    await sleep(200);
    pods = await podsOf(server, namespace, workload.selector);
  }
  return { pods, settled: true, seconds: (performance.now() - started) / 1000 };
}

/** Every pod either Ready or refused by the scheduler: the state a scale-out settles in. */
export function settled(expected: number) {
  return (pods: PodState[]): boolean => {
    const live = pods.filter((pod) => !pod.terminating);
    return live.length === expected && live.every((pod) => pod.ready || pod.unschedulable !== undefined);
  };
}

export interface ScaleOutcome {
  replicas: number;
  ready: number;
  pending: number;
  reasons: string[];
  seconds: number;
}

/**
 * Scales as the HPA would under load: its minReplicas raised to its maxReplicas, so the real
 * HPA controller sets the Deployment's replicas (there are no metrics in this cluster, and
 * without them the HPA only enforces its bounds).
 */
export async function scaleToMaxReplicas(server: ApiServer, namespace: string, workload: Workload, maxReplicas: number): Promise<ScaleOutcome> {
  if (!workload.hpa) throw new Error(`${workload.name} has no HorizontalPodAutoscaler to scale it`);
  const patched = await server.kubectl(['patch', 'hpa', workload.hpa, '--type=merge', '-p', JSON.stringify({ spec: { minReplicas: maxReplicas } })], { namespace });
  if (patched.code !== 0) throw new Error(`patching hpa ${workload.hpa} failed:\n${patched.stderr}`);
  const { pods, seconds } = await waitForPods(server, namespace, workload, settled(maxReplicas));
  const live = pods.filter((pod) => !pod.terminating);
  return { replicas: live.length, ready: readyCount(live), pending: live.filter((pod) => !pod.node).length, reasons: pendingReasons(live), seconds };
}

export interface DrainOutcome {
  ok: boolean;
  seconds: number;
  output: string;
  /** The fewest Ready pods of each watched workload seen while the drain ran. */
  minimumReady: Record<string, number>;
  /** After the drain: whether every replica was Ready again (on the remaining nodes), or why not. */
  recovered: Record<string, { ready: number; replicas: number; reasons: string[] }>;
}

/**
 * `kubectl drain` of one node, while another loop watches the workloads' Ready pods (every
 * 100 ms) to catch a moment the PodDisruptionBudget should have prevented. The node is
 * uncordoned afterwards so the next step starts from the same cluster.
 */
export async function drain(server: ApiServer, namespace: string, node: string, workloads: readonly Workload[], replicas: Record<string, number>): Promise<DrainOutcome> {
  const minimumReady: Record<string, number> = {};
  let draining = true;
  const watch = (async () => {
    while (draining) {
      const seen = await Promise.all(workloads.map(async (workload) => [workload.name, readyCount(await podsOf(server, namespace, workload.selector))] as const));
      for (const [name, ready] of seen) minimumReady[name] = Math.min(minimumReady[name] ?? Infinity, ready);
      await sleep(100);
    }
  })();
  const started = performance.now();
  const result = await server.kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s']);
  const seconds = (performance.now() - started) / 1000;
  draining = false;
  await watch;

  const recovered: DrainOutcome['recovered'] = {};
  for (const workload of workloads) {
    const want = replicas[workload.name] ?? 0;
    const { pods } = await waitForPods(server, namespace, workload, settled(want), 15_000);
    const live = pods.filter((pod) => !pod.terminating);
    recovered[workload.name] = { ready: readyCount(live), replicas: want, reasons: pendingReasons(live) };
  }
  const uncordoned = await server.kubectl(['uncordon', node]);
  if (uncordoned.code !== 0) throw new Error(`kubectl uncordon ${node} failed:\n${uncordoned.stderr}`);
  return { ok: result.code === 0, seconds, output: result.stdout + result.stderr, minimumReady, recovered };
}

/** The PodDisruptionBudgets of a namespace: name → minAvailable (as a count) and their selectors. */
export async function disruptionBudgets(server: ApiServer, namespace: string): Promise<{ name: string; minAvailable: number | undefined; maxUnavailable: number | undefined; matchLabels: Record<string, string> }[]> {
  const listed = await server.kubectl(['get', 'pdb', '-o', 'json'], { namespace });
  if (listed.code !== 0) throw new Error(`kubectl get pdb failed:\n${listed.stderr}`);
  const items = (JSON.parse(listed.stdout) as { items: { metadata: { name: string }; spec: { minAvailable?: number; maxUnavailable?: number; selector?: { matchLabels?: Record<string, string> } } }[] }).items;
  return items.map((pdb) => ({
    name: pdb.metadata.name,
    minAvailable: typeof pdb.spec.minAvailable === 'number' ? pdb.spec.minAvailable : undefined,
    maxUnavailable: typeof pdb.spec.maxUnavailable === 'number' ? pdb.spec.maxUnavailable : undefined,
    matchLabels: pdb.spec.selector?.matchLabels ?? {},
  }));
}

/** What a failed step leaves behind, for its assertion message: workloads, pods with their nodes, recent events. */
export async function clusterState(server: ApiServer, namespace: string): Promise<string> {
  const [objects, events] = await Promise.all([
    server.kubectl(['get', 'deploy,rs,sts,pods,pdb,hpa', '-o', 'wide'], { namespace }),
    server.kubectl(['get', 'events', '--sort-by=.lastTimestamp'], { namespace }),
  ]);
  return `${objects.stdout}${objects.stderr}\n${events.stdout.split('\n').slice(-25).join('\n')}`;
}

import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { useApiServer, type ApiServer } from '../apiserver/harness.js';
import { launch, launchWatchdog } from '../apiserver/launch.js';
import { stopRecorded } from '../apiserver/processes.js';
import { RUN_DIR_KEY } from '../apiserver/run-context.js';
import { toolPath } from '../tools.js';

/**
 * A simulated cluster on the shared API server, so tests can see what a scheduler does with
 * krmkit's output: the real kube-scheduler and kube-controller-manager (Deployments,
 * ReplicaSets, HPAs, PodDisruptionBudgets, node lifecycle, evictions), and kwok playing the
 * kubelets of the nodes annotated `kwok.x-k8s.io/node: fake` (pods become Running and Ready
 * the moment they are bound; Job pods complete; deleted pods go away at once).
 *
 * The controllers act on the whole server, so a test file that uses this owns the nodes it
 * creates and works in namespaces of its own. Everything started here is stopped by its
 * recorded pid (stop(), or the watchdog if the vitest process disappears first).
 */
export interface SimulatedCluster {
  server: ApiServer;
  /** Replaces the cluster's fake nodes with these, and waits until every one is Ready and schedulable. */
  setNodes(nodes: readonly NodeShape[]): Promise<void>;
  stop(): Promise<void>;
}

export interface NodeShape {
  name: string;
  /** topology.kubernetes.io/zone, or none. */
  zone?: string;
}

const KWOK_ANNOTATION = 'kwok.x-k8s.io/node';
const NODE_READY_TIMEOUT_MS = 60_000;

/**
 * Controllers a cluster without a cloud and without a CNI cannot run: nodeipam and route
 * need pod CIDRs, ttl and cloud-node-lifecycle a cloud. node-lifecycle stays on: it removes
 * the `not-ready` taint once kwok reports a node Ready.
 */
const CONTROLLERS = '*,-nodeipam,-ttl,-route,-cloud-node-lifecycle';

export async function startCluster(): Promise<SimulatedCluster> {
  const server = await useApiServer();
  const scheduler = toolPath('kube-scheduler');
  const controllerManager = toolPath('kube-controller-manager');
  const kwok = toolPath('kwok');
  // A folder of its own inside the run folder: its path is in every command line (the
  // kubeconfig copy), which is how stopRecorded() knows these pids are still ours.
  const dir = mkdtempSync(join(inject(RUN_DIR_KEY), 'cluster-'));
  mkdirSync(join(dir, 'server'));
  const kubeconfig = join(dir, 'kubeconfig');
  copyFileSync(server.kubeconfig, kubeconfig);
  // kwok's own configuration, empty: its built-in stages are already instant (no delays), and
  // without --config it would read ~/.kwok/kwok.yaml.
  writeFileSync(join(dir, 'kwok.yaml'), 'apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokConfiguration\noptions: {}\n');

  // prettier-ignore
  const pids = [
    launch(dir, 'kube-controller-manager', controllerManager, [
      '--kubeconfig', kubeconfig, '--leader-elect=false', '--secure-port=0',
      `--controllers=${CONTROLLERS}`,
      // Seconds, not the defaults' tens of seconds: taints leave new nodes and HPAs act at once.
      '--node-monitor-period=1s', '--horizontal-pod-autoscaler-sync-period=1s',
      '--v=1',
    ]),
    launch(dir, 'kube-scheduler', scheduler, ['--kubeconfig', kubeconfig, '--leader-elect=false', '--secure-port=0', '--v=1']),
    launch(dir, 'kwok', kwok, [
      '--kubeconfig', kubeconfig, '--config', join(dir, 'kwok.yaml'),
      '--manage-all-nodes=false', `--manage-nodes-with-annotation-selector=${KWOK_ANNOTATION}=fake`,
      // With a lease kwok renews it every few seconds; without one it only rewrites node status every 20–45 s.
      '--node-lease-duration-seconds=40', '--cidr=10.244.0.1/16', '--node-ip=10.0.0.1',
    ]),
  ];
  launchWatchdog(dir, process.pid, pids);

  const stop = () => stopRecorded(dir);
  const cluster: SimulatedCluster = {
    server,
    stop,
    async setNodes(nodes) {
      await deleteFakeNodes(server);
      const objects = nodes.map((node) => nodeObject(node));
      const created = await server.kubectl(['create', '-f', '-'], { input: objects.map((object) => JSON.stringify(object)).join('\n') });
      if (created.code !== 0) throw new Error(`creating nodes failed (exit ${created.code}):\n${created.stderr}`);
      await waitForSchedulableNodes(server, nodes.map((node) => node.name));
    },
  };
  return cluster;
}

function nodeObject(node: NodeShape): Record<string, unknown> {
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': node.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    type: 'kwok',
  };
  if (node.zone) labels['topology.kubernetes.io/zone'] = node.zone;
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: node.name, labels, annotations: { [KWOK_ANNOTATION]: 'fake' } } };
}

async function deleteFakeNodes(server: ApiServer): Promise<void> {
  const listed = await server.kubectl(['get', 'nodes', '-o', 'json']);
  if (listed.code !== 0) throw new Error(`listing nodes failed:\n${listed.stderr}`);
  const names = (JSON.parse(listed.stdout) as NodeList).items.filter((node) => node.metadata.annotations?.[KWOK_ANNOTATION] === 'fake').map((node) => node.metadata.name);
  if (names.length === 0) return;
  const deleted = await server.kubectl(['delete', 'node', '--wait=true', ...names]);
  if (deleted.code !== 0) throw new Error(`deleting nodes failed:\n${deleted.stderr}`);
}

interface NodeList {
  items: {
    metadata: { name: string; annotations?: Record<string, string> };
    spec?: { taints?: { key: string }[]; unschedulable?: boolean };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}

/** Ready (kwok said so) and without taints (node-lifecycle took `not-ready` off again). */
async function waitForSchedulableNodes(server: ApiServer, names: readonly string[]): Promise<void> {
  const deadline = Date.now() + NODE_READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const listed = await server.kubectl(['get', 'nodes', '-o', 'json']);
    if (listed.code === 0) {
      const nodes = (JSON.parse(listed.stdout) as NodeList).items.filter((node) => names.includes(node.metadata.name));
      const waiting = nodes.filter((node) => {
        const ready = node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True');
        return !ready || (node.spec?.taints ?? []).length > 0 || node.spec?.unschedulable;
      });
      if (nodes.length === names.length && waiting.length === 0) return;
      last = JSON.stringify(waiting.map((node) => ({ name: node.metadata.name, taints: node.spec?.taints, conditions: node.status?.conditions })));
    }
    await sleep(250);
  }
  throw new Error(`nodes ${names.join(', ')} were not Ready and untainted after ${NODE_READY_TIMEOUT_MS / 1000} s: ${last}`);
}

/**
 * High availability judged by a real scheduler (issue 18): the prod overlay through the real
 * delivery path (`helm upgrade --install` with krmkit's post-renderer, Helm 3 and Helm 4), on
 * a simulated cluster of three kwok nodes — in three zones, and without zone labels — with
 * the real kube-scheduler and kube-controller-manager deciding where pods run.
 *
 * Each scenario installs, drains one node, upgrades with a template change and `--wait`, and
 * lets the HPA scale to its maxReplicas. The prod overlay must pass all of it. The overlay as
 * it was before (required hostname anti-affinity) runs the same steps and must fail where
 * the issue says it does, so the judge is shown to see the problem krmkit fixed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';
import { CHART, installHelm4Plugin, newHelmHome, type HelmHome } from '../paths.js';
import { startCluster, type NodeShape, type SimulatedCluster } from './cluster.js';
import { podsOf, type PodState } from './pods.js';
import { bindHelmHome, clusterState, disruptionBudgets, drain, helmRollback, helmUninstall, helmUpgrade, scaleToMaxReplicas, settled, waitForPods, type HelmVersion, type Release, type Workload } from './scenario.js';

const HA_WEB = join(REPO_ROOT, 'test', 'fixtures-charts', 'ha-web');
const PROD = join(REPO_ROOT, 'overlays', 'prod', 'pipeline.yaml');
const ANTI_AFFINITY_MESSAGE = "didn't match pod anti-affinity rules";

const LAYOUTS: { name: string; nodes: NodeShape[] }[] = [
  { name: '3 nodes in 3 zones', nodes: [{ name: 'ha-a', zone: 'zone-a' }, { name: 'ha-b', zone: 'zone-b' }, { name: 'ha-c', zone: 'zone-c' }] },
  { name: '3 nodes without zone labels', nodes: [{ name: 'ha-1' }, { name: 'ha-2' }, { name: 'ha-3' }] },
];

interface ChartUnderTest {
  name: string;
  chart: string;
  release: string;
  /** Values of the first install (`--set`). */
  install: string[];
  /** What the template-changing upgrade sets. */
  upgrade: string[];
  workloads: (release: string) => (Workload & { replicas: number; maxReplicas?: number })[];
  /** The workload the drain, rollout and scale-out are judged on. */
  main: string;
  /** Needs a PersistentVolume for its database. */
  volume?: { claim: string; size: string };
}

const CHARTS: ChartUnderTest[] = [
  {
    name: 'ha-web (3 replicas, HPA 3–10)',
    chart: HA_WEB,
    release: 'web',
    install: [],
    upgrade: ['revision=2'],
    workloads: (release) => [
      { kind: 'Deployment', name: `${release}-web`, selector: `app.kubernetes.io/name=web,app.kubernetes.io/instance=${release}`, hpa: `${release}-web`, replicas: 3, maxReplicas: 10 },
    ],
    main: 'web-web',
  },
  {
    name: 'base/ (frontend 2, backend HPA 2–6, database 1)',
    chart: CHART,
    release: 'demo',
    install: [],
    // The backend's ConfigMap changes; the prod overlay's reloader checksum rolls its pods.
    upgrade: ['backend.logLevel=debug'],
    workloads: (release) => {
      const selector = (tier: string) => `app.kubernetes.io/name=demo,app.kubernetes.io/instance=${release},app.kubernetes.io/component=${tier}`;
      return [
        { kind: 'Deployment', name: `${release}-backend`, selector: selector('backend'), hpa: `${release}-backend`, replicas: 2, maxReplicas: 6 },
        { kind: 'Deployment', name: `${release}-frontend`, selector: selector('frontend'), replicas: 2 },
        { kind: 'StatefulSet', name: `${release}-database`, selector: selector('database'), replicas: 1 },
      ];
    },
    main: 'demo-backend',
    volume: { claim: 'data-demo-database-0', size: '5Gi' },
  },
];

/** The prod overlay as it was before issue 18: required hostname anti-affinity, zone spread ScheduleAnyway. */
function requiredOverlay(): string {
  const pipeline = load(readFileSync(PROD, 'utf8')) as { steps: Record<string, unknown>[] };
  pipeline.steps = pipeline.steps.map((step) =>
    step.kind === 'AntiAffinity'
      ? {
          kind: 'AntiAffinity',
          required: [{ topologyKey: 'kubernetes.io/hostname' }],
          topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }],
        }
      : step,
  );
  const file = join(mkdtempSync(join(tmpdir(), 'krmkit-ha-overlay-')), 'pipeline.yaml');
  writeFileSync(file, dump(pipeline));
  return file;
}

let cluster: SimulatedCluster;
const homes = {} as Record<HelmVersion, HelmHome>;
const overlays = { prod: PROD, required: '' };
/** One line per scenario step, printed at the end for the issue's before/after table. */
const report: string[] = [];

beforeAll(async () => {
  cluster = await startCluster();
  homes.helm3 = newHelmHome();
  homes.helm4 = newHelmHome();
  const plugin = await installHelm4Plugin(homes.helm4);
  expect(plugin.status, plugin.stderr).toBe(0);
  for (const home of Object.values(homes)) bindHelmHome(home, cluster.server);
  overlays.required = requiredOverlay();
});

afterAll(async () => {
  await cluster?.stop();
  console.info(`high-availability scenarios:\n${report.join('\n')}`);
});

function distinct(values: readonly (string | undefined)[]): number {
  return new Set(values.filter((value) => value !== undefined)).size;
}

let namespaceCount = 0;

async function persistentVolumeFor(namespace: string, volume: { claim: string; size: string }): Promise<void> {
  // Pre-bound to the StatefulSet's claim: the PV controller binds it, and the pod may then run on any node.
  const pv = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `${namespace}-data` },
    spec: { capacity: { storage: volume.size }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/tmp/${namespace}` }, claimRef: { namespace, name: volume.claim }, storageClassName: '' },
  };
  const created = await cluster.server.kubectl(['create', '-f', '-'], { input: JSON.stringify(pv) });
  expect(created.code, created.stderr).toBe(0);
}

for (const layout of LAYOUTS) {
  describe.sequential(layout.name, () => {
    const zones = layout.nodes.some((node) => node.zone);
    const zoneOf = (node: string | undefined) => layout.nodes.find((shape) => shape.name === node)?.zone;
    beforeAll(async () => {
      await cluster.setNodes(layout.nodes);
    });

    for (const subject of CHARTS) {
      for (const [overlayName, helm] of [
        ['prod', 'helm3'],
        ['prod', 'helm4'],
        ['required', zones ? 'helm3' : 'helm4'],
      ] as const) {
        const after = overlayName === 'prod';
        it(`${subject.name}, ${after ? 'prod overlay' : 'before: required anti-affinity'}, ${helm}`, { timeout: 240_000 }, async () => {
          const server = cluster.server;
          const namespace = `ha-${++namespaceCount}-${helm}`;
          const tag = `[${layout.name} | ${subject.name} | ${after ? 'prod' : 'before (required)'} | ${helm}]`;
          const release: Release = { helm, home: homes[helm], name: subject.release, namespace, chart: subject.chart, overlay: overlays[overlayName] };
          const workloads = subject.workloads(subject.release);
          const main = workloads.find((workload) => workload.name === subject.main) as (typeof workloads)[number];
          const replicas = Object.fromEntries(workloads.map((workload) => [workload.name, workload.replicas]));
          await server.createNamespace(namespace);
          if (subject.volume) await persistentVolumeFor(namespace, subject.volume);
          // Every scenario leaves the cluster as it found it: a budget left behind in an earlier
          // namespace (its pods Pending by design in the 'before' runs) would block later drains.
          try {

            // 1. Install: every replica scheduled, on distinct nodes, and over distinct zones where there are zones.
            const install = await helmUpgrade(release, { timeoutSeconds: 60, set: subject.install });
            expect(install.ok, install.output).toBe(true);
            report.push(`${tag} install --wait: ok in ${install.seconds.toFixed(1)} s`);
            for (const workload of workloads) {
              const { pods } = await waitForPods(server, namespace, workload, settled(workload.replicas));
              const live = pods.filter((pod) => !pod.terminating);
              expect(live.filter((pod) => pod.ready).length, `${workload.name} Ready replicas`).toBe(workload.replicas);
              expect(distinct(live.map((pod) => pod.node)), `${workload.name} on distinct nodes`).toBe(workload.replicas);
              if (zones) expect(distinct(live.map((pod) => zoneOf(pod.node))), `${workload.name} over distinct zones`).toBe(Math.min(workload.replicas, 3));
            }

            // What krmkit said before anything reached the cluster.
            const warnedRequired = /required anti-affinity on kubernetes\.io\/hostname/.test(install.report);
            if (after) {
              expect(warnedRequired, install.report).toBe(false);
            } else {
              // The judge's view below must match: krmkit named the workload, its HPA and the option.
              expect(install.report).toContain(`Deployment/${main.name} `);
              expect(install.report).toContain(`HorizontalPodAutoscaler ${main.hpa} (maxReplicas ${main.maxReplicas})`);
              expect(install.report).toContain('Set maxNodes');
            }

            // 2. Drain the node that runs the main workload's first pod, watching Ready pods throughout.
            const budgets = await disruptionBudgets(server, namespace);
            const first = (await podsOf(server, namespace, main.selector)).map((pod) => pod.node).sort()[0] as string;
            const drained = await drain(server, namespace, first, workloads, replicas);
            expect(drained.ok, drained.output).toBe(true);
            // The prod overlay's pod-disruption-budget step gives every replicated workload a budget; none for a single replica.
            for (const workload of workloads) expect(budgets.some((pdb) => matches(pdb.matchLabels, workload.selector)), `${workload.name} has a PodDisruptionBudget`).toBe(workload.replicas > 1);
            for (const workload of workloads) {
              const budget = budgets.find((pdb) => matches(pdb.matchLabels, workload.selector));
              const floor = budget?.minAvailable ?? (budget?.maxUnavailable !== undefined ? workload.replicas - budget.maxUnavailable : Math.max(workload.replicas - 1, 0));
              expect(drained.minimumReady[workload.name], `${workload.name}: fewest Ready pods during the drain (PDB ${budget?.name ?? 'none'})`).toBeGreaterThanOrEqual(floor);
            }
            const mainAfterDrain = drained.recovered[main.name] as { ready: number; replicas: number; reasons: string[] };
            report.push(
              `${tag} drain ${first}: ${drained.ok ? 'completed' : 'FAILED'} in ${drained.seconds.toFixed(1)} s; fewest Ready: ${JSON.stringify(drained.minimumReady)}; ${main.name} afterwards ${mainAfterDrain.ready}/${mainAfterDrain.replicas} Ready${mainAfterDrain.reasons.length ? ` — Pending: ${mainAfterDrain.reasons.join(' | ')}` : ''}`,
            );
            // With one pod per node required, a workload with a pod on every node has nowhere to put the evicted one.
            const fillsEveryNode = main.replicas >= layout.nodes.length;
            if (after || !fillsEveryNode) {
              for (const [name, state] of Object.entries(drained.recovered)) expect(state.ready, `${name} Ready again on the remaining nodes`).toBe(state.replicas);
            } else {
              expect(mainAfterDrain.ready).toBe(mainAfterDrain.replicas - 1);
              expect(mainAfterDrain.reasons.join('\n')).toContain(ANTI_AFFINITY_MESSAGE);
            }
            // The drained pods come back once the node is schedulable again (required anti-affinity: on the uncordoned node).
            for (const workload of workloads) {
              const { pods } = await waitForPods(server, namespace, workload, (seen) => seen.filter((pod) => pod.ready && !pod.terminating).length === workload.replicas);
              expect(pods.filter((pod) => pod.ready && !pod.terminating).length, `${workload.name} back to full strength`).toBe(workload.replicas);
            }

            // 3. A template-changing upgrade with --wait.
            // maxUnavailable 25% is 0 at 2 and 3 replicas: the surge pod needs a node without a pod of the workload.
            const blocked = !after && fillsEveryNode;
            const upgrade = await helmUpgrade(release, { timeoutSeconds: blocked ? 15 : 90, set: subject.upgrade });
            const mainPods = await podsOf(server, namespace, main.selector);
            const upgradeReasons = [...new Set(mainPods.map((pod) => pod.unschedulable).filter((reason): reason is string => reason !== undefined))];
            report.push(`${tag} template-changing upgrade --wait: ${upgrade.ok ? `ok in ${upgrade.seconds.toFixed(1)} s` : `FAILED after ${upgrade.seconds.toFixed(1)} s (${lastLine(upgrade.output)}) — Pending: ${upgradeReasons.join(' | ')}`}`);
            if (blocked) {
              expect(upgrade.ok, 'the rollout waits for a fourth node').toBe(false);
              expect(upgradeReasons.join('\n')).toContain(ANTI_AFFINITY_MESSAGE);
              expect(install.report).toContain('maxUnavailable 25% resolves to 0 at 3 replicas');
              // What a user does next; the scale-out below then starts from the installed revision again.
              const rollback = await helmRollback(release, 1);
              expect(rollback.ok, rollback.output).toBe(true);
            } else {
              expect(upgrade.ok, `${upgrade.output}\n${await clusterState(server, namespace)}`).toBe(true);
              const current = await newestRevision(server, namespace, main);
              expect(distinct(current.map((pod) => pod.node)), `${main.name}'s new pods on distinct nodes`).toBe(main.replicas);
            }

            // 4. The HPA scales to its maxReplicas.
            const scaled = await scaleToMaxReplicas(server, namespace, main, main.maxReplicas as number);
            report.push(`${tag} scale to maxReplicas ${main.maxReplicas}: ${scaled.ready} Ready, ${scaled.pending} Pending${scaled.reasons.length ? ` (${scaled.reasons.join(' | ')})` : ''}`);
            if (after) {
              expect(scaled.pending, scaled.reasons.join('\n')).toBe(0);
              expect(scaled.ready).toBe(main.maxReplicas);
            } else {
              expect(scaled.pending).toBe((main.maxReplicas as number) - layout.nodes.length);
              expect(scaled.reasons.join('\n')).toContain(ANTI_AFFINITY_MESSAGE);
            }
          } finally {
            await helmUninstall(release);
            await server.kubectl(['delete', 'namespace', namespace, '--wait=true', '--timeout=120s']);
          }
        });
      }
    }
  });
}

/** Whether a budget's matchLabels select the pods of a workload's `key=value,…` selector. */
function matches(matchLabels: Record<string, string>, selector: string): boolean {
  const pairs = selector.split(',');
  return Object.keys(matchLabels).length > 0 && Object.entries(matchLabels).every(([key, value]) => pairs.includes(`${key}=${value}`));
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** The pods of the workload's newest ReplicaSet (highest revision), once its rollout is done. */
async function newestRevision(server: SimulatedCluster['server'], namespace: string, workload: Workload): Promise<PodState[]> {
  const pods = (await podsOf(server, namespace, workload.selector)).filter((pod) => !pod.terminating);
  const hashes = [...new Set(pods.map((pod) => pod.labels['pod-template-hash']))];
  expect(hashes.length, `${workload.name}: one revision left after the rollout`).toBe(1);
  return pods;
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { useApiServer, type ApiServer } from './apiserver/harness.js';
import { isLocalConfig } from '../helpers/objects.js';
import { installHelm4Plugin, kptRender, kustomizeManifests, newHelmHome, POSTRENDER, type HelmHome } from './paths.js';
import { run, type ProcessRun } from './process.js';
import { toolPath } from './tools.js';

/**
 * Issue 17's proof: a stack in the shape platform teams run — a frontend chart and a
 * backend chart, two apps each, every app its own Helm release, releases sharing
 * namespaces — installed with `helm upgrade --install` and krmkit as the post-renderer
 * (the prod overlay, and the network-policy function alone), with Helm 3 and Helm 4,
 * against a real kube-apiserver. Every install succeeds, a second run changes no manifest,
 * and uninstalling one release leaves every object of the others in place.
 */

async function apiServer(): Promise<ApiServer> {
  return useApiServer();
}

type KubeObject = Record<string, unknown>;

const CHARTS = join(REPO_ROOT, 'test', 'integration', 'multi-release', 'charts');
const NETPOL_CONFIG = (() => {
  const file = join(mkdtempSync(join(tmpdir(), 'krmkit-netpol-')), 'netpol.yaml');
  writeFileSync(file, 'apiVersion: krmkit.dev/v1alpha1\nkind: NetworkPolicies\ndefaultDeny: [Ingress, Egress]\nallowDNS: true\n');
  return file;
})();

type Helm = 'helm3' | 'helm4';
const MODES = { prod: '--overlay=prod', 'network-policy': `--config=${NETPOL_CONFIG}` } as const;
type Mode = keyof typeof MODES;

interface Release {
  name: string;
  chart: 'frontend' | 'backend';
  namespace: string;
  set: string[];
}

/**
 * Two layouts: frontends and backends in their own namespaces, which the frontend's values
 * name (`backend.namespace`); and all four releases in one namespace no chart names.
 */
function stack(prefix: string, layout: 'named' | 'shared'): Release[] {
  const front = layout === 'named' ? `${prefix}-frontend` : `${prefix}-team`;
  const back = layout === 'named' ? `${prefix}-backend` : `${prefix}-team`;
  return ['app1', 'app2'].flatMap((app): Release[] => [
    { name: `${app}-back`, chart: 'backend', namespace: back, set: [] },
    { name: `${app}-front`, chart: 'frontend', namespace: front, set: [`backend.release=${app}-back`, ...(layout === 'named' ? [`backend.namespace=${back}`] : [])] },
  ]);
}

function helmRun(helm: Helm, home: HelmHome, server: ApiServer, args: readonly string[]): Promise<ProcessRun> {
  return run(toolPath(helm), [...args, '--kubeconfig', server.kubeconfig], { env: home.env, cwd: tmpdir() });
}

function install(helm: Helm, home: HelmHome, server: ApiServer, release: Release, mode: Mode): Promise<ProcessRun> {
  const postRenderer = helm === 'helm3' ? POSTRENDER : 'krmkit';
  return helmRun(helm, home, server, [
    'upgrade',
    '--install',
    release.name,
    join(CHARTS, release.chart),
    '-n',
    release.namespace,
    ...release.set.flatMap((value) => ['--set', value]),
    '--post-renderer',
    postRenderer,
    `--post-renderer-args=${MODES[mode]}`,
  ]);
}

interface Listed {
  kind: string;
  namespace: string;
  name: string;
  release: string;
}

const KINDS = 'deployments,services,ingresses,configmaps,serviceaccounts,roles,rolebindings,networkpolicies';

/** Every object of the stack's namespaces, with the release Helm recorded on it. */
async function listObjects(server: ApiServer, namespaces: readonly string[]): Promise<Listed[]> {
  const listed: Listed[] = [];
  for (const namespace of new Set(namespaces)) {
    const result = await server.kubectl(['get', KINDS, '-o', 'json'], { namespace });
    expect(result.code, result.stderr).toBe(0);
    const items = (JSON.parse(result.stdout) as { items: { kind: string; metadata: { name: string; namespace: string; annotations?: Record<string, string> } }[] }).items;
    for (const item of items) {
      const release = item.metadata.annotations?.['meta.helm.sh/release-name'];
      if (release) listed.push({ kind: item.kind, namespace: item.metadata.namespace, name: item.metadata.name, release });
    }
  }
  return listed.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** The policies krmkit generates for a release: one per workload, named after it. */
function generatedPolicies(release: Release): string[] {
  return release.chart === 'frontend' ? [`${release.name}-web-deployment`, `${release.name}-static-deployment`] : [`${release.name}-api-deployment`, `${release.name}-worker-deployment`];
}

const homes = new Map<Helm, Promise<HelmHome>>();
function homeFor(helm: Helm): Promise<HelmHome> {
  let home = homes.get(helm);
  if (!home) {
    home = (async () => {
      const created = newHelmHome();
      if (helm === 'helm4') {
        const plugin = await installHelm4Plugin(created);
        expect(plugin.status, plugin.stderr).toBe(0);
      }
      return created;
    })();
    homes.set(helm, home);
  }
  return home;
}

describe.each<Helm>(['helm3', 'helm4'])('%s upgrade --install of a four-release stack', (helm) => {
  describe.each(Object.keys(MODES) as Mode[])('post-renderer: %s', (mode) => {
    it.each(['named', 'shared'] as const)('namespaces %s', async (layout) => {
      const server = await apiServer();
      const home = await homeFor(helm);
      const prefix = `${helm === 'helm3' ? 'h3' : 'h4'}-${mode === 'prod' ? 'prod' : 'np'}-${layout === 'named' ? 'n' : 's'}`;
      const releases = stack(prefix, layout);
      const namespaces = [...new Set(releases.map((release) => release.namespace))];
      for (const namespace of namespaces) await server.createNamespace(namespace);

      for (const release of releases) {
        const installed = await install(helm, home, server, release, mode);
        expect(installed.status, `${release.name}: ${installed.stderr}`).toBe(0);
      }
      const manifest = async (release: Release): Promise<string> => {
        const result = await helmRun(helm, home, server, ['get', 'manifest', release.name, '-n', release.namespace]);
        expect(result.status, result.stderr).toBe(0);
        return result.stdout;
      };
      const first = await Promise.all(releases.map(manifest));
      for (const release of releases) {
        const again = await install(helm, home, server, release, mode);
        expect(again.status, `${release.name} (second run): ${again.stderr}`).toBe(0);
      }
      expect(await Promise.all(releases.map(manifest)), 'a second run is a no-op').toEqual(first);

      const before = await listObjects(server, namespaces);
      for (const release of releases) {
        const policies = before.filter((object) => object.kind === 'NetworkPolicy' && object.release === release.name).map((object) => object.name);
        for (const name of generatedPolicies(release)) expect(policies, `${release.name} owns its generated ${name}`).toContain(name);
      }

      const [removed] = releases.filter((release) => release.name === 'app1-front');
      if (!removed) throw new Error('the stack has no app1-front');
      const uninstalled = await helmRun(helm, home, server, ['uninstall', removed.name, '-n', removed.namespace]);
      expect(uninstalled.status, uninstalled.stderr).toBe(0);
      const after = await listObjects(server, namespaces);
      expect(before.some((object) => object.release === removed.name), 'the uninstalled release had objects').toBe(true);
      expect(after, 'every object of the other releases is still there').toEqual(before.filter((object) => object.release !== removed.name));
    });
  });
});

describe('kustomize and kpt outputs of two releases in one namespace apply together', () => {
  it.each(['kustomize', 'kpt'] as const)('%s: kubectl apply --dry-run=server of app1 and app2 together', async (tool) => {
    const server = await apiServer();
    const namespace = `${tool}-two-releases`;
    await server.createNamespace(namespace);
    const home = newHelmHome();
    const outputs: string[] = [];
    for (const app of ['app1', 'app2']) {
      const rendered = await run(toolPath('helm3'), ['template', `${app}-front`, join(CHARTS, 'frontend'), '-n', namespace, '--set', `backend.release=${app}-back`], { env: home.env });
      expect(rendered.status, rendered.stderr).toBe(0);
      const result = tool === 'kustomize' ? await kustomizeManifests('prod', rendered.stdout) : await kptRender('prod', rendered.stdout);
      expect(result.status, result.stderr).toBe(0);
      // kpt also prints its package's local config (Kptfile, the Pipeline): not for the cluster.
      const objects = (loadAll(result.stdout) as (KubeObject | null)[]).filter((object): object is KubeObject => object !== null && !isLocalConfig(object));
      outputs.push(objects.map((object) => dump(object)).join('---\n'));
    }
    // kubectl applies a repeated object twice without complaint; Helm refuses it: check names first.
    const keys = outputs.flatMap((output) => (loadAll(output) as ({ kind?: string; metadata?: { name?: string; namespace?: string } } | null)[]).filter((object) => object !== null).map((object) => `${String(object?.kind)}/${object?.metadata?.namespace ?? namespace}/${String(object?.metadata?.name)}`));
    expect(keys.filter((key, index) => keys.indexOf(key) !== index), 'no object of one release has the name of one of the other').toEqual([]);
    expect(keys.filter((key) => key.startsWith('NetworkPolicy/')).length).toBeGreaterThanOrEqual(4);
    const applied = await server.kubectl(['apply', '--dry-run=server', '-f', '-'], { input: outputs.join('\n---\n'), namespace });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('networkpolicy.networking.k8s.io/app1-front-web-deployment created (server dry run)');
    expect(applied.stdout).toContain('networkpolicy.networking.k8s.io/app2-front-web-deployment created (server dry run)');
  });
});

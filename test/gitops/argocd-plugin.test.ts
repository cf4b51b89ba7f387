import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseAllDocuments } from 'yaml';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KRMKIT_BIN, REPO_ROOT } from '../helpers/cli.js';
import { objectSet } from '../helpers/object-sets.js';
import { filter, overlayDir, type Overlay } from '../integration/paths.js';
import { run } from '../integration/process.js';
import { toolPath } from '../integration/tools.js';
import { argoEnvironment, argv, checkout, readPlugin, runWithEnvironment, sidecarPath, type Application } from './argocd-contract.js';

/**
 * The Argo CD plugin (gitops/argocd/plugin.yaml) run on the host by Argo CD's documented
 * contract: its own init and generate commands, in the app's folder, with the environment
 * the repo server sends. The output must be the objects `helm template … | krmkit run
 * overlays/<env>` gives. The same commands inside the sidecar image: argocd-image.test.ts.
 */
const plugin = readPlugin();
const KUBE_VERSION = '1.31.0';
const API_VERSIONS = ['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'autoscaling/v2', 'policy/v1'];

function application(overrides: Partial<Application> = {}): Application {
  return { name: 'demo', namespace: 'shop', kubeVersion: KUBE_VERSION, apiVersions: API_VERSIONS, ...overrides };
}

/** What the sidecar has: helm (the pinned Helm 3) and krmkit on PATH, Helm's homes in a writable folder. */
function sidecarEnvironment(): Record<string, string> {
  const bin = sidecarPath(toolPath('helm3'), `${process.execPath} ${KRMKIT_BIN}`);
  const home = join(bin, 'helm-home');
  return { PATH: `${bin}:/usr/bin:/bin`, HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
}

/** Argo CD's sequence for one Application: init, then generate, both in the app's folder. */
async function generate(app: Application): Promise<{ status: number; stdout: string; stderr: string }> {
  const repo = checkout(plugin.discoverFileName);
  const cwd = join(repo.root, repo.appPath);
  const env = { ...sidecarEnvironment(), ...argoEnvironment(app, repo.appPath) };
  if (plugin.init) {
    const init = await runWithEnvironment(argv(plugin.init), cwd, env);
    if (init.status !== 0) return init;
  }
  return runWithEnvironment(argv(plugin.generate), cwd, env);
}

/** `helm template … | krmkit run overlays/<env>` by hand, with the flags Argo CD's environment implies. */
async function byHand(overlay: Overlay, valuesFiles: readonly string[] = []): Promise<string> {
  const repo = checkout(plugin.discoverFileName);
  const chart = join(repo.root, repo.appPath);
  const rendered = await run(toolPath('helm3'), [
    'template',
    'demo',
    chart,
    '--namespace',
    'shop',
    '--kube-version',
    KUBE_VERSION,
    '--api-versions',
    API_VERSIONS.join(','),
    ...valuesFiles.flatMap((file) => ['--values', join(chart, file)]),
  ]);
  expect(rendered.status, rendered.stderr).toBe(0);
  const hardened = await filter(overlayDir(overlay), rendered.stdout);
  expect(hardened.status, hardened.stderr).toBe(0);
  expect(objectSet(hardened.stdout)).not.toEqual(objectSet(rendered.stdout));
  return hardened.stdout;
}

describe('Argo CD plugin file', () => {
  it('discovers only apps that carry the marker file', () => {
    // argocd-cmp-server's discover.fileName: a glob in the app's folder.
    const repo = checkout(plugin.discoverFileName);
    expect(plugin.discoverFileName).toMatch(/^\.\/\.krmkit-argocd$/);
    expect(existsSync(join(repo.root, repo.appPath, plugin.discoverFileName))).toBe(true);
    expect(existsSync(join(repo.root, repo.unmarkedPath, plugin.discoverFileName))).toBe(false);
    expect(plugin.generate.command).toEqual(['sh', '-c']);
  });
});

describe.concurrent('Argo CD plugin on the host (init + generate as argocd-cmp-server runs them)', () => {
  it.each(['dev', 'prod'] as const)('%s: the overlay as a plugin parameter: the objects helm template | krmkit run give', async (overlay) => {
    const [generated, expected] = await Promise.all([generate(application({ parameters: { overlay } })), byHand(overlay)]);
    expect(generated.status, generated.stderr).toBe(0);
    expect(objectSet(generated.stdout)).toEqual(objectSet(expected));
  });

  it('prod: overlay and values files from ARGOCD_ENV_* give the same as -f by hand', async () => {
    const app = application({ env: { KRMKIT_OVERLAY: 'prod', KRMKIT_VALUES_FILES: 'values-prod.yaml' } });
    const [generated, expected, withoutValues] = await Promise.all([generate(app), byHand('prod', ['values-prod.yaml']), byHand('prod')]);
    expect(generated.status, generated.stderr).toBe(0);
    // The values file changed the render, and the plugin used it.
    expect(objectSet(expected)).not.toEqual(objectSet(withoutValues));
    expect(objectSet(generated.stdout)).toEqual(objectSet(expected));
  });

  it('values files as an array parameter (PARAM_VALUES_FILES_<i>)', async () => {
    const app = application({ parameters: { overlay: 'prod', 'values-files': ['values-prod.yaml'] } });
    const [generated, expected] = await Promise.all([generate(app), byHand('prod', ['values-prod.yaml'])]);
    expect(generated.status, generated.stderr).toBe(0);
    expect(objectSet(generated.stdout)).toEqual(objectSet(expected));
  });

  // (base/chart does not print .Release.Namespace, so ARGOCD_APP_NAMESPACE cannot be seen in its output.)
  it('uses ARGOCD_APP_NAME as the release name', async () => {
    const generated = await generate(application({ name: 'demo-eu', namespace: 'retail', parameters: { overlay: 'dev' } }));
    expect(generated.status, generated.stderr).toBe(0);
    expect(generated.stdout).toContain('name: demo-eu-frontend');
    expect(generated.stdout).not.toContain('name: demo-frontend');
  });

  it('a bad overlay: non-zero exit, krmkit’s message on stderr, nothing on stdout', async () => {
    const generated = await generate(application({ parameters: { overlay: 'prdo' } }));
    expect(generated.status).not.toBe(0);
    expect(generated.stdout).toBe('');
    expect(generated.stderr).toContain('no overlay named "prdo"');
    expect(generated.stderr).toContain('did you mean "prod"?');
  });

  it('no overlay at all, or a values file outside the repository: non-zero with the plugin’s message', async () => {
    const [none, outside] = await Promise.all([generate(application()), generate(application({ parameters: { overlay: 'prod', 'values-files': ['../../../etc/passwd'] } }))]);
    expect(none.status).not.toBe(0);
    expect(none.stderr).toContain("set the plugin parameter 'overlay'");
    expect(outside.status).not.toBe(0);
    expect(outside.stdout).toBe('');
    expect(outside.stderr).toContain('only relative paths inside the repository');
  });
});


/** The part of Argo CD's install manifest the patch relies on: the repo server and its shared volumes. */
const REPO_SERVER_STAND_IN = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
spec:
  selector:
    matchLabels: { app.kubernetes.io/name: argocd-repo-server }
  template:
    metadata:
      labels: { app.kubernetes.io/name: argocd-repo-server }
    spec:
      containers:
        - name: argocd-repo-server
          image: quay.io/argoproj/argocd:v3.2.12
      volumes:
        - name: var-files
          emptyDir: {}
        - name: plugins
          emptyDir: {}
`;

describe('repo-server sidecar patch', () => {
  it('kustomize adds the krmkit sidecar (uid 999, read-only root) using the volumes Argo CD declares', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krmkit-argocd-install-'));
    writeFileSync(join(dir, 'install.yaml'), REPO_SERVER_STAND_IN);
    writeFileSync(join(dir, 'repo-server-patch.yaml'), readFileSync(join(REPO_ROOT, 'gitops', 'argocd', 'repo-server-patch.yaml'), 'utf8'));
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - install.yaml\npatches:\n  - path: repo-server-patch.yaml\n');
    const build = await run(toolPath('kustomize'), ['build', dir]);
    expect(build.status, build.stderr).toBe(0);
    const deployment = parseAllDocuments(build.stdout)[0]?.toJS() as { spec: { template: { spec: { containers: { name: string; securityContext?: Record<string, unknown>; volumeMounts?: { name: string; mountPath: string }[] }[]; volumes: { name: string }[] } } } };
    const pod = deployment.spec.template.spec;
    // A strategic merge adds the sidecar beside the repo server (kustomize puts it first).
    expect(pod.containers.map((container) => container.name).sort()).toEqual(['argocd-repo-server', 'krmkit']);
    const sidecar = pod.containers.find((container) => container.name === 'krmkit');
    expect(sidecar?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    const volumes = new Set(pod.volumes.map((volume) => volume.name));
    for (const mount of sidecar?.volumeMounts ?? []) expect(volumes.has(mount.name), mount.name).toBe(true);
    expect(sidecar?.volumeMounts?.map((mount) => mount.mountPath).sort()).toEqual(['/home/argocd/cmp-server/plugins', '/tmp', '/var/run/argocd']);
  });
});

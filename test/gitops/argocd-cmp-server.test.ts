import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { objectSet } from '../helpers/object-sets.js';
import { documentsOf } from '../helpers/objects.js';
import { filter, overlayDir } from '../integration/paths.js';
import { run, type ProcessRun } from '../integration/process.js';
import { toolPath } from '../integration/tools.js';
import { checkout, readPlugin } from './argocd-contract.js';

/**
 * The plugin driven by Argo CD's own code: argocd-cmp-server (built from
 * github.com/argoproj/argo-cd/v3, scripts/install-tools.sh) runs inside the sidecar image as
 * the repo-server pod runs it (uid 999, read-only root, its binary from a shared volume,
 * its socket in another), and cmp-client — Argo CD's discovery, repository streaming and
 * parameter-to-environment code — plays argocd-repo-server on the host.
 */
const plugin = readPlugin();
const KUBE_VERSION = 'v1.31.0';
const API_VERSIONS = ['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1'];
const container = `krmkit-cmp-server-${process.pid}`;
const sockets = mkdtempSync(join(tmpdir(), 'krmkit-cmp-sockets-'));

beforeAll(async () => {
  const server = realpathSync(toolPath('argocd-cmp-server'));
  const { stdout } = await promisify(execFile)(join(REPO_ROOT, 'gitops', 'argocd', 'build-local-image.sh'), ['--tag', 'gitops-test'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  chmodSync(sockets, 0o777);
  const started = await run('podman', [
    'run', '--detach', '--rm', '--name', container, '--network', 'none', '--user', '999:999', '--read-only', '--cap-drop', 'ALL', '--security-opt=no-new-privileges',
    '--volume', `${dirname(server)}:/var/run/argocd:ro`, '--volume', `${sockets}:/home/argocd/cmp-server/plugins`,
    stdout.trim(), '--logformat', 'text',
  ]);
  expect(started.status, started.stderr).toBe(0);
  // argocd-cmp-server names its socket <plugin>-<version>.sock once it listens.
  for (let waited = 0; waited < 60_000 && !existsSync(join(sockets, `${plugin.name}-v1.sock`)); waited += 250) await sleep(250);
  const logs = await run('podman', ['logs', container]);
  expect(existsSync(join(sockets, `${plugin.name}-v1.sock`)), logs.stderr + logs.stdout).toBe(true);
});

afterAll(async () => {
  await run('podman', ['rm', '--force', '--time', '0', container]);
});

function repoServer(appPath: 'marked' | 'unmarked', parameters: unknown[], env: string[] = []): Promise<ProcessRun> {
  const repo = checkout(plugin.discoverFileName);
  const app = join(repo.root, appPath === 'marked' ? repo.appPath : repo.unmarkedPath);
  return run(
    toolPath('cmp-client'),
    ['-repo', repo.root, '-app', app, '-app-name', 'demo', '-app-namespace', 'shop', '-kube-version', KUBE_VERSION, '-api-versions', API_VERSIONS.join(','), '-parameters', JSON.stringify(parameters), ...env.flatMap((entry) => ['-env', entry])],
    { env: { ARGOCD_PLUGINSOCKFILEPATH: sockets } },
  );
}

describe.concurrent('argocd-cmp-server with the krmkit plugin', () => {
  it.each(['dev', 'prod'] as const)('%s: discovered by its marker; generate equals helm template | krmkit run', async (overlay) => {
    const generated = await repoServer('marked', [{ name: 'overlay', string: overlay }]);
    expect(generated.status, generated.stderr).toBe(0);
    const rendered = await run(toolPath('helm3'), ['template', 'demo', join(REPO_ROOT, 'base', 'chart'), '--namespace', 'shop', '--kube-version', KUBE_VERSION, '--api-versions', API_VERSIONS.join(',')]);
    const expected = await filter(overlayDir(overlay), rendered.stdout);
    expect(expected.status, expected.stderr).toBe(0);
    expect(objectSet(expected.stdout)).not.toEqual(objectSet(rendered.stdout));
    expect(objectSet(generated.stdout)).toEqual(objectSet(expected.stdout));
  });

  it('values files as an array parameter reach helm (Argo CD’s own PARAM_ naming)', async () => {
    const [withValues, without] = await Promise.all([
      repoServer('marked', [{ name: 'overlay', string: 'prod' }, { name: 'values-files', array: ['values-prod.yaml'] }]),
      repoServer('marked', [{ name: 'overlay', string: 'prod' }]),
    ]);
    expect(withValues.status, withValues.stderr).toBe(0);
    expect(without.status, without.stderr).toBe(0);
    // argocd-cmp-server hands manifests back as JSON documents.
    const frontendReplicas = (text: string): unknown =>
      (documentsOf(text).find((object) => object.kind === 'Deployment' && (object.metadata as { name?: string }).name === 'demo-frontend')?.spec as { replicas?: number } | undefined)?.replicas;
    expect(frontendReplicas(without.stdout)).toBe(2);
    expect(frontendReplicas(withValues.stdout)).toBe(3);
  });

  it('an app without the marker file is not captured by the plugin', async () => {
    const result = await repoServer('unmarked', [{ name: 'overlay', string: 'prod' }]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('could not find plugin supporting the given repository');
  });

  it('a bad overlay fails generate with krmkit’s message (what Argo CD shows in the app status)', async () => {
    const result = await repoServer('marked', [], ['KRMKIT_OVERLAY=prdo']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no overlay named "prdo"');
  });
});

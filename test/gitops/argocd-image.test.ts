import { execFile } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { objectSet } from '../helpers/object-sets.js';
import { filter, overlayDir } from '../integration/paths.js';
import { run, type ProcessRun } from '../integration/process.js';
import { toolPath } from '../integration/tools.js';
import { argoEnvironment, argv, checkout, PLUGIN_FILE, readPlugin, type Application, type PluginCommand } from './argocd-contract.js';

/**
 * The plugin inside its sidecar image (gitops/argocd/Dockerfile, built with podman by
 * gitops/argocd/build-local-image.sh from stand-in bases: no registry is reachable here),
 * run the way the repo-server pod runs it: uid 999, read-only root filesystem, no network,
 * the checkout under /tmp/_cmp_server (argocd-cmp-server's work folder), the command and
 * arguments of the plugin file in the app's folder with Argo CD's environment.
 */
const plugin = readPlugin();
const WORK = '/tmp/_cmp_server/checkout';
const app: Application = { name: 'demo', namespace: 'shop', kubeVersion: '1.31.0', apiVersions: ['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1'] };
let image = '';

beforeAll(async () => {
  try {
    const { stdout } = await promisify(execFile)(join(REPO_ROOT, 'gitops', 'argocd', 'build-local-image.sh'), ['--tag', 'gitops-test'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    image = stdout.trim();
  } catch (error) {
    throw new Error(`sidecar image build failed (podman and .tools/bin/helm3 are needed: scripts/install-tools.sh): ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }
});

/** uid 999 reads the checkout through a bind mount: folders made by mkdtemp are 0700. */
function readableByAll(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) readableByAll(path);
  }
}

function inSidecar(command: PluginCommand, root: string, appPath: string, env: Record<string, string>): Promise<ProcessRun> {
  const [entrypoint, ...rest] = argv(command);
  const envFlags = Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
  return run('podman', [
    'run', '--rm', '--network', 'none', '--user', '999:999', '--read-only', '--cap-drop', 'ALL', '--security-opt=no-new-privileges',
    '--volume', `${root}:${WORK}:ro`, '--workdir', `${WORK}/${appPath}`, ...envFlags,
    '--entrypoint', entrypoint as string, image, ...rest,
  ]);
}

async function generateInSidecar(application: Application): Promise<ProcessRun> {
  const repo = checkout(plugin.discoverFileName);
  readableByAll(repo.root);
  const env = argoEnvironment(application, repo.appPath);
  if (plugin.init) {
    const init = await inSidecar(plugin.init, repo.root, repo.appPath, env);
    if (init.status !== 0) return init;
  }
  return inSidecar(plugin.generate, repo.root, repo.appPath, env);
}

describe('the sidecar image', () => {
  it('runs as uid 999, holds this plugin file and the pinned Helm', async () => {
    const inspect = await run('podman', ['image', 'inspect', '--format', '{{.Config.User}}', image]);
    expect(inspect.stdout.trim()).toBe('999:999');
    const read = "process.stdout.write(require('fs').readFileSync('/home/argocd/cmp-server/config/plugin.yaml', 'utf8'))";
    const file = await run('podman', ['run', '--rm', '--network', 'none', '--read-only', '--entrypoint', 'node', image, '-e', read]);
    expect(file.stdout).toBe(readFileSync(PLUGIN_FILE, 'utf8'));
    const [helm, pinned] = await Promise.all([
      run('podman', ['run', '--rm', '--network', 'none', '--read-only', '--user', '999:999', '--entrypoint', 'helm', image, 'version', '--short']),
      run(toolPath('helm3'), ['version', '--short']),
    ]);
    expect(helm.status, helm.stderr).toBe(0);
    expect(helm.stdout).toBe(pinned.stdout);
  });
});

describe.concurrent('Argo CD plugin in the sidecar image', () => {
  it.each(['dev', 'prod'] as const)('%s: generate gives the objects helm template | krmkit run give', async (overlay) => {
    const generated = await generateInSidecar({ ...app, parameters: { overlay } });
    expect(generated.status, generated.stderr).toBe(0);
    const rendered = await run(toolPath('helm3'), ['template', 'demo', join(REPO_ROOT, 'base', 'chart'), '--namespace', 'shop', '--kube-version', app.kubeVersion, '--api-versions', app.apiVersions.join(',')]);
    const expected = await filter(overlayDir(overlay), rendered.stdout);
    expect(expected.status, expected.stderr).toBe(0);
    expect(objectSet(expected.stdout)).not.toEqual(objectSet(rendered.stdout));
    expect(objectSet(generated.stdout)).toEqual(objectSet(expected.stdout));
  });

  it('a bad overlay: non-zero exit with krmkit’s message on stderr', async () => {
    const generated = await generateInSidecar({ ...app, env: { KRMKIT_OVERLAY: 'prdo' } });
    expect(generated.status).not.toBe(0);
    expect(generated.stdout).toBe('');
    expect(generated.stderr).toContain('no overlay named "prdo"');
  });
});

// The container image (Dockerfile) as kpt and kustomize use it: built with podman from the
// real Dockerfile on stand-in bases (no registry is reachable here), run with the flags
// those tools pass — `--user nobody --network none --security-opt=no-new-privileges` — and
// driven by the real pinned kpt and kustomize. Under CI=true a missing podman, kpt or
// kustomize fails the suite instead of skipping it.
import { execFile, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const IN_CI = Boolean(process.env.CI);
const TOOLS_BIN = join(REPO_ROOT, '.tools', 'bin');
const KPT = join(TOOLS_BIN, 'kpt');
const KUSTOMIZE = join(TOOLS_BIN, 'kustomize');
const TAG = 'test';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const missingTools = [
  ...(onPath('podman') ? [] : ['podman']),
  ...(executable(KPT) ? [] : ['kpt (.tools/bin/kpt)']),
  ...(executable(KUSTOMIZE) ? [] : ['kustomize (.tools/bin/kustomize)']),
];

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Run {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    input: options.input ?? '',
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Asynchronous: a build takes a while, and a blocked worker loses touch with vitest. */
async function buildImage(functionName?: string): Promise<string> {
  const args = ['--tag', TAG, ...(functionName ? ['--function', functionName] : [])];
  try {
    const { stdout } = await promisify(execFile)(join(REPO_ROOT, 'scripts/container/build-local-image.sh'), args, { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    throw new Error(`image build failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }
}

/** `podman run` exactly as kpt runs a function, plus a read-only root filesystem. */
function runFunction(image: string, resourceList: string): Run {
  return run('podman', ['run', '--rm', '-i', '--network', 'none', '--user', 'nobody', '--read-only', '--security-opt=no-new-privileges', image], {
    input: resourceList,
  });
}

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    },
  },
};

const TYPED_CONFIG = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'SecurityContext', profile: 'restricted', mode: 'enforce' };
const CONFIGMAP_CONFIG = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' }, data: { profile: 'restricted', mode: 'enforce' } };

function resourceList(items: readonly object[], functionConfig?: object): string {
  return stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, ...(functionConfig ? { functionConfig } : {}) });
}

/** What the CLI built from the same sources makes of the Deployment: the expected output. */
function expectedDeployment(functionConfig: object): unknown {
  const cli = runCli([], resourceList([DEPLOYMENT], functionConfig));
  expect(cli.stderr).toBe('');
  expect(cli.status).toBe(0);
  const out = parse(cli.stdout) as { items: unknown[] };
  return out.items[0];
}

describe.runIf(missingTools.length === 0 || IN_CI)('container image', () => {
  let image = '';
  let securityContextImage = '';
  const scratch = mkdtempSync(join(tmpdir(), 'krmkit-container-'));

  beforeAll(async () => {
    if (missingTools.length > 0) throw new Error(`CI=true and ${missingTools.join(', ')} missing: run scripts/install-tools.sh`);
    image = await buildImage();
    securityContextImage = await buildImage('security-context');
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe('as a KRM function under kpt/kustomize flags (--user nobody --network none --read-only)', () => {
    it('gives the bytes and exit code the CLI gives for a ResourceList with findings', () => {
      const input = readFileSync(join(REPO_ROOT, 'fixtures/security-context/resource-list/input.yaml'), 'utf8');
      const container = runFunction(image, input);
      const cli = runCli([], input);
      expect(cli.status).toBe(1);
      expect(container.status).toBe(cli.status);
      expect(container.stdout).toBe(cli.stdout);
      expect(container.stderr).toBe(cli.stderr);
    });

    it('chooses the function by the functionConfig kind', () => {
      const container = runFunction(image, resourceList([DEPLOYMENT], TYPED_CONFIG));
      expect(container.stderr).toBe('');
      expect(container.status).toBe(0);
      expect((parse(container.stdout) as { items: unknown[] }).items[0]).toEqual(expectedDeployment(TYPED_CONFIG));
    });

    it('chooses the function by data.function of a ConfigMap functionConfig', () => {
      const config = { ...CONFIGMAP_CONFIG, data: { ...CONFIGMAP_CONFIG.data, function: 'security-context' } };
      const container = runFunction(image, resourceList([DEPLOYMENT], config));
      expect(container.stderr).toBe('');
      expect(container.status).toBe(0);
      expect((parse(container.stdout) as { items: unknown[] }).items[0]).toEqual(expectedDeployment(TYPED_CONFIG));
    });

    it('asks for data.function when the all-functions image gets a ConfigMap without one (exit 2)', () => {
      const container = runFunction(image, resourceList([DEPLOYMENT], CONFIGMAP_CONFIG));
      expect(container.status).toBe(2);
      expect(container.stdout).toBe('');
      expect(container.stderr).toMatch(/data\.function/);
    });

    it('a per-function image (--build-arg FUNCTION) runs its function for a plain ConfigMap', () => {
      const container = runFunction(securityContextImage, resourceList([DEPLOYMENT], CONFIGMAP_CONFIG));
      expect(container.stderr).toBe('');
      expect(container.status).toBe(0);
      expect((parse(container.stdout) as { items: unknown[] }).items[0]).toEqual(expectedDeployment(TYPED_CONFIG));
    });
  });

  describe('the image', () => {
    function inspect(name: string): { User: string; Entrypoint: string[]; Env: string[]; Labels: Record<string, string> } {
      const result = run('podman', ['image', 'inspect', '--format', '{{json .Config}}', name]);
      expect(result.status).toBe(0);
      return JSON.parse(result.stdout) as { User: string; Entrypoint: string[]; Env: string[]; Labels: Record<string, string> };
    }

    it('runs as a non-root user and carries OCI labels', () => {
      const config = inspect(image);
      expect(config.User).toBe('65532:65532');
      expect(config.Entrypoint).toEqual(['/nodejs/bin/node', '/app/krmkit.cjs']);
      for (const label of ['title', 'description', 'version', 'revision', 'source', 'licenses', 'base.name']) {
        expect(config.Labels, label).toHaveProperty(`org.opencontainers.image.${label}`);
      }
      expect(config.Labels['org.opencontainers.image.licenses']).toBe('Apache-2.0');
    });

    it('a per-function image names its function in its title and its default', () => {
      const config = inspect(securityContextImage);
      expect(securityContextImage).toBe(`localhost/krmkit/security-context:${TAG}`);
      expect(config.Labels['org.opencontainers.image.title']).toBe('krmkit security-context');
      expect(config.Env).toContain('KRMKIT_FUNCTION=security-context');
    });

    it('has no shell', () => {
      const shell = run('podman', ['run', '--rm', '--network', 'none', '--entrypoint', '/bin/sh', image, '-c', 'true']);
      expect(shell.status).not.toBe(0);
    });

    it("holds a V8 code cache that the image's own Node accepts", () => {
      // Records whether V8 took the cache the launcher hands to vm.Script, then runs --version.
      const probe = `
        const vm = require('node:vm');
        let verdict = 'absent';
        vm.Script = class extends vm.Script {
          constructor(source, options) {
            super(source, options);
            if (options && options.cachedData) verdict = this.cachedDataRejected ? 'rejected' : 'accepted';
          }
        };
        process.argv = [process.argv[0], '/app/krmkit.cjs', '--version'];
        process.on('exit', () => process.stderr.write('code cache: ' + verdict + '\\n'));
        require('/app/krmkit.cjs');`;
      const result = run('podman', ['run', '--rm', '--network', 'none', '--user', 'nobody', '--read-only', '--entrypoint', '/nodejs/bin/node', image, '-e', probe]);
      expect(result.stderr).toBe('code cache: accepted\n');
      expect(result.status).toBe(0);
    });
  });

  describe('with kpt fn eval --image (KPT_FN_RUNTIME=podman)', () => {
    function kptPackage(name: string): string {
      const dir = join(scratch, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'deployment.yaml'), stringify(DEPLOYMENT));
      return dir;
    }
    function kpt(args: readonly string[]): Run {
      // --image-pull-policy never: the image is local (localhost/…), there is nothing to pull.
      return run(KPT, ['fn', 'eval', ...args.slice(0, 1), '--image-pull-policy', 'never', ...args.slice(1)], { env: { KPT_FN_RUNTIME: 'podman' } });
    }
    const deploymentIn = (dir: string): unknown => parse(readFileSync(join(dir, 'deployment.yaml'), 'utf8'));

    it('with a typed --fn-config', () => {
      const dir = kptPackage('kpt-typed');
      const configFile = join(scratch, 'security-context.yaml');
      writeFileSync(configFile, stringify({ ...TYPED_CONFIG, metadata: { name: 'harden' } }));
      const result = kpt([dir, '--image', image, '--fn-config', configFile]);
      expect(result.status, result.stderr).toBe(0);
      expect(deploymentIn(dir)).toEqual(expectedDeployment(TYPED_CONFIG));
    });

    it('with `-- key=value` on a per-function image', () => {
      const dir = kptPackage('kpt-key-value');
      const result = kpt([dir, '--image', securityContextImage, '--', 'profile=restricted', 'mode=enforce']);
      expect(result.status, result.stderr).toBe(0);
      expect(deploymentIn(dir)).toEqual(expectedDeployment(TYPED_CONFIG));
    });

    it('with `-- function=… key=value` on the all-functions image', () => {
      const dir = kptPackage('kpt-function-key');
      const result = kpt([dir, '--image', image, '--', 'function=security-context', 'profile=restricted', 'mode=enforce']);
      expect(result.status, result.stderr).toBe(0);
      expect(deploymentIn(dir)).toEqual(expectedDeployment(TYPED_CONFIG));
    });
  });

  describe('as a kustomize container function (kustomize build --enable-alpha-plugins)', () => {
    it('transforms the resources with the config it is given', () => {
      // kustomize always runs `docker`; this shim hands its arguments to podman.
      const shims = join(scratch, 'shims');
      mkdirSync(shims, { recursive: true });
      writeFileSync(join(shims, 'docker'), '#!/bin/sh\nexec podman "$@"\n');
      chmodSync(join(shims, 'docker'), 0o755);

      const dir = join(scratch, 'kustomization');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'deployment.yaml'), stringify(DEPLOYMENT));
      const transformer = {
        ...TYPED_CONFIG,
        metadata: { name: 'harden', annotations: { 'config.kubernetes.io/function': stringify({ container: { image } }) } },
      };
      writeFileSync(join(dir, 'harden.yaml'), stringify(transformer));
      writeFileSync(join(dir, 'kustomization.yaml'), stringify({ resources: ['deployment.yaml'], transformers: ['harden.yaml'] }));

      const result = run(KUSTOMIZE, ['build', '--enable-alpha-plugins', dir], { env: { PATH: `${shims}${delimiter}${process.env.PATH ?? ''}` } });
      expect(result.status, result.stderr).toBe(0);
      const documents = parseAllDocuments(result.stdout).map((document) => document.toJS() as unknown);
      expect(documents).toEqual([expectedDeployment(TYPED_CONFIG)]);
    });
  });
});

import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFast } from '../../cli/invocation/fast-parse.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { isHook, documentsOf } from '../helpers/objects.js';
import { CHART, POSTRENDER, helm3PostRender, helm4PostRender, installHelm4Plugin, newHelmHome, type HelmHome } from './paths.js';
import { run } from './process.js';
import { toolPath } from './tools.js';

/**
 * `krmkit postrender`, as Helm runs it: the Helm 3 executable, the Helm 4 plugin, the
 * stream Helm 4 sends (hooks included, file names in annotations), overlay lookup from any
 * folder, and failures that reach the user although Helm 4 hides stderr.
 */
const FILENAME = 'postrenderer.helm.sh/postrender-filename';
const BASE = { name: 'base', release: 'demo', chart: CHART };

let home: HelmHome;
/** Helm 3 gets a home of its own: it warns about the Helm 4 plugins it cannot load. */
const helm3Home = newHelmHome();
/** Exactly what Helm 4 hands a post-renderer for base/chart, captured by a plugin that only records it. */
let helm4Stream: string;

function postrender(args: readonly string[], input: string, options: { cwd?: string; env?: Record<string, string>; via?: string } = {}) {
  return run(options.via ?? POSTRENDER, args, { input, cwd: options.cwd ?? tmpdir(), env: options.env ?? {} });
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'krmkit-postrender-'));
}

/** A pipeline whose only step reports an error for every workload of the example. */
function failingConfig(): string {
  const file = join(tempDir(), 'audit.yaml');
  writeFileSync(file, 'apiVersion: krmkit.dev/v1alpha1\nkind: SecurityContext\nprofile: restricted\nmode: audit\nauditSeverity: error\n');
  return file;
}

beforeAll(async () => {
  home = newHelmHome();
  const install = await installHelm4Plugin(home);
  expect(install.status, install.stderr).toBe(0);

  const captureDir = join(tempDir(), 'capture');
  mkdirSync(captureDir);
  const capture = join(tempDir(), 'helm4-stream.yaml');
  writeFileSync(
    join(captureDir, 'plugin.yaml'),
    ['apiVersion: v1', 'name: capture', 'type: postrenderer/v1', 'runtime: subprocess', 'version: 0.0.1', 'runtimeConfig:', '  platformCommand:', `    - command: /bin/sh`, `      args: ["-c", "tee ${capture}"]`, ''].join('\n'),
  );
  const installCapture = await run(toolPath('helm4'), ['plugin', 'install', captureDir], { env: home.env });
  expect(installCapture.status, installCapture.stderr).toBe(0);
  const captured = await run(toolPath('helm4'), ['template', 'demo', CHART, '--post-renderer', 'capture'], { env: home.env });
  expect(captured.status, captured.stderr).toBe(0);
  helm4Stream = readFileSync(capture, 'utf8');
});

describe('the Helm 4 plugin', () => {
  it('plugin.yaml holds only the fields Helm ≥ 4.1 accepts, for a subprocess postrenderer/v1', () => {
    const manifest = load(readFileSync(join(REPO_ROOT, 'postrender', 'plugin.yaml'), 'utf8'), { schema: CORE_SCHEMA }) as Record<string, unknown>;
    const allowed = ['apiVersion', 'name', 'type', 'runtime', 'version', 'sourceURL', 'config', 'runtimeConfig'];
    expect(Object.keys(manifest).filter((key) => !allowed.includes(key))).toEqual([]);
    expect(manifest).toMatchObject({ apiVersion: 'v1', name: 'krmkit', type: 'postrenderer/v1', runtime: 'subprocess' });
  });

  it('is installed by `helm plugin install ./postrender` and listed as a postrenderer/v1 plugin', async () => {
    const list = await run(toolPath('helm4'), ['plugin', 'list'], { env: home.env });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^krmkit\s+0\.1\.0\s+postrenderer\/v1/m);
  });
});

describe('the stream Helm 4 sends', () => {
  it('has hooks and file-name annotations, and no # Source comments', () => {
    const objects = documentsOf(helm4Stream);
    expect(objects.some(isHook)).toBe(true);
    expect(helm4Stream).not.toContain('# Source:');
    for (const object of objects) expect((object.metadata as { annotations: Record<string, string> }).annotations[FILENAME]).toBeTruthy();
  });

  it('keeps the file-name annotation on every document and names generated ones krmkit/generated/…', async () => {
    const result = await postrender(['--overlay=prod'], helm4Stream);
    expect(result.status, result.stderr).toBe(0);
    const objects = documentsOf(result.stdout);
    const files = objects.map((object) => (object.metadata as { annotations?: Record<string, string> }).annotations?.[FILENAME]);
    expect(files.every((file) => typeof file === 'string' && file !== '')).toBe(true);
    const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) {
      const { name, annotations } = policy.metadata as { name: string; annotations: Record<string, string> };
      expect(annotations[FILENAME]).toBe(`krmkit/generated/networkpolicy-${name}.yaml`);
    }
  });

  it('hardens hooks by default with the pod-hardening steps only; --exclude-hooks leaves them byte for byte; --include-hooks lets every step in', async () => {
    const hookText = (text: string) => text.split(/^---$/m).filter((document) => document.includes('helm.sh/hook:'));
    const policyNames = (text: string) =>
      documentsOf(text)
        .filter((object) => object.kind === 'NetworkPolicy')
        .map((object) => (object.metadata as { name: string }).name)
        .sort();
    const [byDefault, withoutHooks, withHooks] = await Promise.all([
      postrender(['--overlay=prod'], helm4Stream),
      postrender(['--overlay=prod', '--exclude-hooks'], helm4Stream),
      postrender(['--overlay=prod', '--include-hooks'], helm4Stream),
    ]);
    for (const result of [byDefault, withoutHooks, withHooks]) expect(result.status, result.stderr).toBe(0);
    const original = hookText(helm4Stream);
    expect(original.length).toBeGreaterThan(0);
    const input = JSON.stringify(documentsOf(helm4Stream).filter(isHook));
    expect(input).not.toContain('"readOnlyRootFilesystem":true');
    expect(input).not.toContain('"name":"PROD"');

    // Default: security-context and inject-env edit the hook; network-policy does not count it.
    const hardened = JSON.stringify(documentsOf(byDefault.stdout).filter(isHook));
    expect(hardened).toContain('"readOnlyRootFilesystem":true');
    expect(hardened).toContain('"name":"PROD"');
    expect(policyNames(byDefault.stdout)).not.toContain('demo-migrations-job');

    expect(hookText(withoutHooks.stdout).map((text) => text.trim())).toEqual(original.map((text) => text.trim()));
    expect(JSON.stringify(documentsOf(withHooks.stdout).filter(isHook))).toBe(hardened);
    expect(policyNames(withHooks.stdout)).toContain('demo-migrations-job');
  });

  it('refuses --include-hooks together with --exclude-hooks (exit 2, nothing on stdout)', async () => {
    expect(parseFast(['postrender', '--overlay=prod', '--include-hooks', '--exclude-hooks'])).toBeUndefined();
    const result = await postrender(['--overlay=prod', '--include-hooks', '--exclude-hooks'], helm4Stream);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('include-hooks and exclude-hooks are mutually exclusive');
  });
});

describe('finding the overlay', () => {
  const rendered = readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8');

  it('finds a named overlay next to krmkit from any folder, also through a symlink (as Helm 4 installs it)', async () => {
    const links = tempDir();
    symlinkSync(join(REPO_ROOT, 'postrender'), join(links, 'postrender'));
    const [direct, linked] = await Promise.all([
      postrender(['--overlay=prod'], rendered, { cwd: '/' }),
      postrender(['--overlay', 'prod'], rendered, { cwd: links, via: join(links, 'postrender', 'postrender') }),
    ]);
    expect(direct.status, direct.stderr).toBe(0);
    expect(linked.status, linked.stderr).toBe(0);
    expect(linked.stdout).toBe(direct.stdout);
    expect(direct.stdout).toContain('kind: NetworkPolicy');
  });

  it('takes an overlay folder or pipeline file by path (absolute, or relative to the working folder), and --config', async () => {
    const reference = await postrender(['--overlay=prod'], rendered);
    const variants = await Promise.all([
      postrender([`--overlay=${join(REPO_ROOT, 'overlays', 'prod')}`], rendered),
      postrender([`--overlay=${join(REPO_ROOT, 'overlays', 'prod', 'pipeline.yaml')}`], rendered),
      postrender(['--overlay=./overlays/prod'], rendered, { cwd: REPO_ROOT }),
      postrender(['--config', 'overlays/prod/pipeline.yaml'], rendered, { cwd: REPO_ROOT }),
    ]);
    for (const variant of variants) {
      expect(variant.status, variant.stderr).toBe(0);
      expect(variant.stdout).toBe(reference.stdout);
    }
  });

  it('takes one function config with --config', async () => {
    const config = join(tempDir(), 'env.yaml');
    writeFileSync(config, 'apiVersion: krmkit.dev/v1alpha1\nkind: InjectEnv\nenv:\n  STAGE: qa\n');
    const result = await postrender([`--config=${config}`], rendered);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('name: STAGE');
  });

  it('names the overlays it knows when a name is wrong (exit 2, nothing on stdout)', async () => {
    const result = await postrender(['--overlay=prdo'], rendered);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no overlay named "prdo"');
    expect(result.stderr).toContain('did you mean "prod"');
  });

  it('goes through the fast path (no yargs) for what Helm passes, and to the full CLI for help and mistakes', async () => {
    expect(parseFast(['postrender', '--overlay=prod'])).toBeDefined();
    expect(parseFast(['postrender', '--overlay', 'prod', '--include-hooks', '--report', '/tmp/r'])).toBeDefined();
    expect(parseFast(['postrender', '--help'])).toBeUndefined();
    expect(parseFast(['postrender', '--overlya=prod'])).toBeUndefined();
    const help = await postrender(['--help'], '');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--include-hooks');
    const mistake = await postrender(['--overlya=prod'], '');
    expect(mistake.status).toBe(2);
    expect(mistake.stderr).toMatch(/Unknown argument: overlya/);
  });
});

describe('failures reach the user', () => {
  it('Helm 3: a function error aborts the render; the error and findings are in Helm’s message', async () => {
    const result = await helm3PostRender(helm3Home, BASE, [`--config=${failingConfig()}`]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('error while running post render');
    expect(result.stderr).toMatch(/\[error\] apps\/v1\/Deployment\/demo-backend .*runAsNonRoot/);
    expect(result.stderr).toContain('error result(s)');
  });

  it('Helm 4: a function error aborts the render; Helm names the plugin and --report / KRMKIT_REPORT hold the details', async () => {
    const dir = tempDir();
    const viaFlag = join(dir, 'flag-report.txt');
    const viaEnv = join(dir, 'env-report.txt');
    const config = failingConfig();
    const [flagged, environment] = await Promise.all([
      helm4PostRender(home, BASE, [`--config=${config}`, `--report=${viaFlag}`]),
      helm4PostRender(home, BASE, [`--config=${config}`], { KRMKIT_REPORT: viaEnv }),
    ]);
    for (const [result, report] of [
      [flagged, viaFlag],
      [environment, viaEnv],
    ] as const) {
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('plugin "krmkit" exited with error');
      const text = readFileSync(report, 'utf8');
      expect(text).toMatch(/\[error\] apps\/v1\/Deployment\/demo-backend .*runAsNonRoot/);
      expect(text).toContain('error result(s)');
    }
  });

  it('Helm 4: a bad overlay name is explained in the report', async () => {
    const report = join(tempDir(), 'report.txt');
    const result = await helm4PostRender(home, BASE, ['--overlay=staging'], { KRMKIT_REPORT: report });
    expect(result.status).not.toBe(0);
    expect(readFileSync(report, 'utf8')).toContain('no overlay named "staging"');
  });

  it('findings of a successful run are in the report too', async () => {
    const report = join(tempDir(), 'report.txt');
    const result = await helm4PostRender(home, BASE, ['--overlay=prod', '--include-hooks', `--report=${report}`]);
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(report, 'utf8')).toMatch(/^# krmkit postrender --overlay=prod/);
    expect(readFileSync(report, 'utf8')).toContain('[info] batch/v1/Job/demo-migrations');
  });
});

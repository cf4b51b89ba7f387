import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KRMKIT_BIN, REPO_ROOT } from '../helpers/cli.js';
import { sharedPath } from '../helpers/shared.js';
import { run, type ProcessRun } from './process.js';
import { toolPath } from './tools.js';

/**
 * Each way krmkit is delivered, driven as a user would, over the same chart and overlay.
 * Every function returns the tool's own run; tests compare what comes out.
 */
export const CHART = join(REPO_ROOT, 'base', 'chart');
export const POSTRENDER = join(REPO_ROOT, 'postrender', 'postrender');
export const FUNCTION_WRAPPER = join(REPO_ROOT, 'overlays', 'bin', 'krmkit');
/** Absent without ../shared: tests that use it ask needsShared('charts') first. */
export const METRICS_SERVER = join(sharedPath('charts'), 'metrics-server');

export type Overlay = 'dev' | 'prod';

export interface ChartCase {
  name: string;
  release: string;
  chart: string;
  valuesFile?: string;
}

/**
 * Helm keeps plugins, repositories and caches under these; pointing them into a temporary
 * folder keeps the tests away from the user's own Helm setup.
 */
export interface HelmHome {
  env: Record<string, string>;
}

export function newHelmHome(): HelmHome {
  const root = mkdtempSync(join(tmpdir(), 'krmkit-helm-'));
  const data = join(root, 'data');
  return {
    env: {
      HELM_DATA_HOME: data,
      HELM_CONFIG_HOME: join(root, 'config'),
      HELM_CACHE_HOME: join(root, 'cache'),
      // Helm 4's `plugin install` writes under HELM_DATA_HOME/plugins; the loader reads HELM_PLUGINS.
      HELM_PLUGINS: join(data, 'plugins'),
    },
  };
}

/** `helm plugin install ./postrender` (Helm 4); returns the run so tests can check it. */
export function installHelm4Plugin(home: HelmHome): Promise<ProcessRun> {
  return run(toolPath('helm4'), ['plugin', 'install', join(REPO_ROOT, 'postrender')], { env: home.env, cwd: REPO_ROOT });
}

function templateArgs(chartCase: ChartCase, extra: readonly string[]): string[] {
  return ['template', chartCase.release, chartCase.chart, ...(chartCase.valuesFile ? ['-f', chartCase.valuesFile] : []), ...extra];
}

export function helmTemplate(helm: 'helm3' | 'helm4', home: HelmHome, chartCase: ChartCase, extra: readonly string[] = []): Promise<ProcessRun> {
  return run(toolPath(helm), templateArgs(chartCase, extra), { env: home.env, cwd: tmpdir() });
}

/** Helm 3: the post-renderer is an executable; run from another folder to prove lookup works anywhere. */
export function helm3PostRender(home: HelmHome, chartCase: ChartCase, postRendererArgs: readonly string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  const args = postRendererArgs.flatMap((arg) => [`--post-renderer-args=${arg}`]);
  return run(toolPath('helm3'), templateArgs(chartCase, ['--post-renderer', POSTRENDER, ...args]), { env: { ...home.env, ...env }, cwd: tmpdir() });
}

/** Helm 4: the post-renderer is the installed `krmkit` plugin. */
export function helm4PostRender(home: HelmHome, chartCase: ChartCase, postRendererArgs: readonly string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  const args = postRendererArgs.flatMap((arg) => [`--post-renderer-args=${arg}`]);
  return run(toolPath('helm4'), templateArgs(chartCase, ['--post-renderer', 'krmkit', ...args]), { env: { ...home.env, ...env }, cwd: tmpdir() });
}

/** The filter: `helm template … | krmkit run overlays/<env>`. */
export function filter(overlay: string, input: string, args: readonly string[] = []): Promise<ProcessRun> {
  return run(process.execPath, [KRMKIT_BIN, 'run', overlay, ...args], { input, cwd: REPO_ROOT });
}

export function overlayDir(overlay: Overlay): string {
  return join(REPO_ROOT, 'overlays', overlay);
}

/** The repository's own kustomization, as the docs tell users to build it (base/rendered.yaml). */
export function kustomizeOverlay(overlay: Overlay): Promise<ProcessRun> {
  return run(toolPath('kustomize'), ['build', '--enable-alpha-plugins', '--enable-exec', join(overlayDir(overlay), 'kustomize')], { cwd: tmpdir() });
}

/**
 * Any manifests through an overlay's kustomize transformer: a kustomization in a temporary
 * folder holding the manifests and the overlay's krmkit.yaml, its exec path made absolute.
 */
export function kustomizeManifests(overlay: Overlay, manifests: string): Promise<ProcessRun> {
  const dir = mkdtempSync(join(tmpdir(), 'krmkit-kustomize-'));
  writeFileSync(join(dir, 'manifests.yaml'), manifests);
  const transformer = readFileSync(join(overlayDir(overlay), 'kustomize', 'krmkit.yaml'), 'utf8').replace('path: ../../bin/krmkit', `path: ${FUNCTION_WRAPPER}`);
  writeFileSync(join(dir, 'krmkit.yaml'), transformer);
  writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - manifests.yaml\ntransformers:\n  - krmkit.yaml\n');
  return run(toolPath('kustomize'), ['build', '--enable-alpha-plugins', '--enable-exec', dir], { cwd: tmpdir() });
}

/** PATH with overlays/bin first: the Kptfiles name the function `krmkit`. */
export function pathWithKrmkit(): Record<string, string> {
  return { PATH: `${join(REPO_ROOT, 'overlays', 'bin')}:${process.env.PATH ?? ''}` };
}

/** A copy of overlays/<env>/kpt with the manifests added: `kpt fn render --allow-exec`, output on stdout. */
export function kptRender(overlay: Overlay, manifests: string): Promise<ProcessRun> {
  const dir = kptPackage(manifests, join(overlayDir(overlay), 'kpt'));
  return run(toolPath('kpt'), ['fn', 'render', '--allow-exec', dir, '-o', 'unwrap'], { cwd: tmpdir(), env: pathWithKrmkit() });
}

/** `kpt fn eval --exec` on a folder of manifests, with `--fn-config FILE` or `-- key=value`. */
export function kptEval(manifests: string, config: { fnConfig: string } | { keyValues: readonly string[] }): Promise<ProcessRun> {
  const dir = kptPackage(manifests);
  const configArgs = 'fnConfig' in config ? ['--fn-config', config.fnConfig] : ['--', ...config.keyValues];
  return run(toolPath('kpt'), ['fn', 'eval', dir, '--exec', FUNCTION_WRAPPER, '-o', 'unwrap', ...configArgs], { cwd: tmpdir() });
}

function kptPackage(manifests: string, from?: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'krmkit-kpt-')), 'package');
  if (from) cpSync(from, dir, { recursive: true });
  else mkdirSync(dir);
  writeFileSync(join(dir, 'manifests.yaml'), manifests);
  return dir;
}


import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';
import type { ProcessRun } from '../integration/process.js';

/**
 * Argo CD's contract for a Config Management Plugin, as argocd-cmp-server runs it: each
 * command of gitops/argocd/plugin.yaml (read from the file, never copied) is executed as
 * `command[0] command[1:]… args…` in the Application's source folder inside the repository
 * checkout, with the sidecar's environment plus Argo CD's build environment, the
 * Application's plugin env as ARGOCD_ENV_<NAME> and its parameters as PARAM_<NAME>
 * (arrays: PARAM_<NAME>_<index>). stdout is the manifests; a non-zero exit fails the app.
 */
export const PLUGIN_FILE = join(REPO_ROOT, 'gitops', 'argocd', 'plugin.yaml');

export interface PluginCommand {
  command: string[];
  args: string[];
}

export interface PluginSpec {
  name: string;
  discoverFileName: string;
  init?: PluginCommand;
  generate: PluginCommand;
}

export function readPlugin(): PluginSpec {
  const file = parse(readFileSync(PLUGIN_FILE, 'utf8')) as {
    metadata: { name: string };
    spec: { discover: { fileName: string }; init?: PluginCommand; generate: PluginCommand };
  };
  return { name: file.metadata.name, discoverFileName: file.spec.discover.fileName, ...(file.spec.init ? { init: file.spec.init } : {}), generate: file.spec.generate };
}

/** The argv Argo CD executes for a command (no shell of its own: the command names one). */
export function argv(command: PluginCommand): string[] {
  return [...command.command, ...(command.args ?? [])];
}

export interface Application {
  name: string;
  namespace: string;
  kubeVersion: string;
  apiVersions: string[];
  /** spec.source.plugin.env */
  env?: Record<string, string>;
  /** spec.source.plugin.parameters: strings and arrays */
  parameters?: Record<string, string | string[]>;
}

/** The environment Argo CD's repo server sends for an Application (getPluginEnvs). */
export function argoEnvironment(app: Application, appPath: string): Record<string, string> {
  const env: Record<string, string> = {
    ARGOCD_APP_NAME: app.name,
    ARGOCD_APP_NAMESPACE: app.namespace,
    ARGOCD_APP_REVISION: '0000000000000000000000000000000000000000',
    ARGOCD_APP_SOURCE_REPO_URL: 'https://example.com/shop.git',
    ARGOCD_APP_SOURCE_PATH: appPath,
    ARGOCD_APP_SOURCE_TARGET_REVISION: 'HEAD',
    KUBE_VERSION: app.kubeVersion,
    KUBE_API_VERSIONS: app.apiVersions.join(','),
  };
  for (const [name, value] of Object.entries(app.env ?? {})) env[`ARGOCD_ENV_${name}`] = value;
  const parameters: unknown[] = [];
  for (const [name, value] of Object.entries(app.parameters ?? {})) {
    const key = `PARAM_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
    if (Array.isArray(value)) {
      value.forEach((item, index) => (env[`${key}_${index}`] = item));
      parameters.push({ name, array: value });
    } else {
      env[key] = value;
      parameters.push({ name, string: value });
    }
  }
  env.ARGOCD_APP_PARAMETERS = JSON.stringify(parameters);
  return env;
}

/** A repository checkout holding base/chart at apps/shop, marked for the plugin, and an unmarked chart. */
export function checkout(marker: string): { root: string; appPath: string; unmarkedPath: string } {
  const root = mkdtempSync(join(tmpdir(), 'krmkit-argocd-repo-'));
  const appPath = 'apps/shop';
  cpSync(join(REPO_ROOT, 'base', 'chart'), join(root, appPath), { recursive: true });
  writeFileSync(join(root, appPath, marker), '# Argo CD renders this chart with the krmkit plugin (gitops/argocd).\n');
  writeFileSync(join(root, appPath, 'values-prod.yaml'), 'frontend:\n  replicas: 3\nbackend:\n  logLevel: warning\n');
  const unmarkedPath = 'apps/other';
  cpSync(join(REPO_ROOT, 'base', 'chart'), join(root, unmarkedPath), { recursive: true });
  return { root, appPath, unmarkedPath };
}

/** Runs an argv with exactly the given environment (what the sidecar has, plus Argo CD's). */
export function runWithEnvironment(command: readonly string[], cwd: string, env: Record<string, string>): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] as string, command.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}

/** A folder to put on PATH holding `helm` and `krmkit`, as the sidecar image has them. */
export function sidecarPath(helm: string, krmkit: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'krmkit-argocd-bin-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'helm'), `#!/bin/sh\nexec ${helm} "$@"\n`, { mode: 0o755 });
  writeFileSync(join(dir, 'krmkit'), `#!/bin/sh\nexec ${krmkit} "$@"\n`, { mode: 0o755 });
  return dir;
}

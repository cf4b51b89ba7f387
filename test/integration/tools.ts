import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

/**
 * The real tools the integration tests drive, at the versions scripts/tools.env pins and
 * scripts/install-tools.sh installs into .tools/bin. An environment variable overrides each
 * (KRMKIT_HELM3=/usr/local/bin/helm …). A missing tool fails the test that needs it, with
 * the command that fixes it: a suite that skips silently would pass in CI without testing.
 */
export type ToolName =
  | 'helm3'
  | 'helm4'
  | 'kustomize'
  | 'kpt'
  | 'cyclonus'
  | 'kube-score'
  | 'kube-apiserver'
  | 'kubectl'
  | 'etcd'
  | 'helmfile'
  | 'flux-check'
  | 'argocd-cmp-server'
  | 'cmp-client'
  | 'kube-scheduler'
  | 'kube-controller-manager'
  | 'kwok';

const ENV_OVERRIDES: Record<ToolName, string> = {
  helm3: 'KRMKIT_HELM3',
  helm4: 'KRMKIT_HELM4',
  kustomize: 'KRMKIT_KUSTOMIZE',
  kpt: 'KRMKIT_KPT',
  cyclonus: 'KRMKIT_CYCLONUS',
  'kube-score': 'KRMKIT_KUBE_SCORE',
  helmfile: 'KRMKIT_HELMFILE',
  'flux-check': 'KRMKIT_FLUX_CHECK',
  'argocd-cmp-server': 'KRMKIT_ARGOCD_CMP_SERVER',
  'cmp-client': 'KRMKIT_CMP_CLIENT',
  'kube-apiserver': 'KRMKIT_KUBE_APISERVER',
  kubectl: 'KRMKIT_KUBECTL',
  etcd: 'KRMKIT_ETCD',
  'kube-scheduler': 'KRMKIT_KUBE_SCHEDULER',
  'kube-controller-manager': 'KRMKIT_KUBE_CONTROLLER_MANAGER',
  kwok: 'KRMKIT_KWOK',
};

/** The scripts/tools.env line that pins each tool (kube-apiserver and kubectl share one release). */
const VERSION_KEYS: Record<ToolName, string> = {
  helm3: 'HELM3_VERSION',
  helm4: 'HELM4_VERSION',
  kustomize: 'KUSTOMIZE_VERSION',
  kpt: 'KPT_VERSION',
  cyclonus: 'CYCLONUS_VERSION',
  'kube-apiserver': 'KUBERNETES_VERSION',
  kubectl: 'KUBERNETES_VERSION',
  etcd: 'ETCD_SERIES',
  'kube-score': 'KUBE_SCORE_VERSION',
  helmfile: 'HELMFILE_VERSION',
  'flux-check': 'FLUX_HELM_CONTROLLER_API_VERSION',
  'argocd-cmp-server': 'ARGOCD_VERSION',
  'cmp-client': 'ARGOCD_VERSION',
  'kube-scheduler': 'KUBERNETES_VERSION',
  'kube-controller-manager': 'KUBERNETES_VERSION',
  kwok: 'KWOK_VERSION',
};

export const TOOLS_BIN = join(REPO_ROOT, '.tools', 'bin');

export function toolPath(name: ToolName): string {
  const override = process.env[ENV_OVERRIDES[name]];
  const path = override || join(TOOLS_BIN, name);
  if (!existsSync(path)) {
    const pinned = pinnedVersions()[VERSION_KEYS[name]] ?? 'the pinned version';
    throw new Error(
      `${name} (${pinned}) not found at ${path}: run scripts/install-tools.sh` +
        (override ? ` or fix ${ENV_OVERRIDES[name]}` : ` (or point ${ENV_OVERRIDES[name]} at a ${name} binary)`) +
        (process.env.CI ? ' — integration tests never skip in CI' : ''),
    );
  }
  return path;
}

/** scripts/tools.env as a map: HELM3_VERSION=v3.22.0 … */
export function pinnedVersions(): Record<string, string> {
  const entries = readFileSync(join(REPO_ROOT, 'scripts', 'tools.env'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Z0-9_]+)=(\S+)/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1] as string, match[2] as string]);
  return Object.fromEntries(entries);
}

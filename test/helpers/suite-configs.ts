import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { REPO_ROOT } from './cli.js';
import type { Path } from '../../krm/base/path.js';

/**
 * The configurations the reliability suite runs: each function in its typical forms, and
 * the dev and prod overlays as users run them. `changes` says which fields a config is
 * documented to change (its README); everything else an input object had must come out
 * unchanged (`nothing lost`).
 */
export interface SuiteConfig {
  name: string;
  config: Record<string, unknown>;
  /** A field the config may change or remove (documented in the function's README). */
  changes: (path: Path) => boolean;
  /** The output must pass the Pod Security Standard `restricted` (security-context restricted, enforce). */
  restricted: boolean;
  /** Variable names the config injects: entries of other names must all survive. */
  injects?: ReadonlySet<string>;
}

const V1 = 'krmkit.dev/v1alpha1';
const key = (path: Path, index: number): string | number | undefined => path[index];
const last = (path: Path): string | number | undefined => path[path.length - 1];

/** security-context: securityContext (pod and containers), host namespaces; volumes and mounts only grow. */
const securityContextChanges = (path: Path): boolean =>
  path.includes('securityContext') || ['hostNetwork', 'hostPID', 'hostIPC'].includes(String(last(path))) || isAppArmorAnnotation(path);
const isAppArmorAnnotation = (path: Path): boolean =>
  key(path, path.length - 2) === 'annotations' && String(last(path)).startsWith('container.apparmor.security.beta.kubernetes.io/');

/**
 * inject-env: the env and envFrom lists (it overrides its own names in place and removes
 * duplicates of them); `keepsEnv` then checks that every entry of another name survives.
 */
const injectEnvChanges = (path: Path): boolean => path.includes('env') || path.includes('envFrom');

/** reloader: its own annotations (workload and pod template). */
const RELOADER_ANNOTATION = /^(reloader\.stakater\.com\/|configmap\.reloader\.stakater\.com\/|secret\.reloader\.stakater\.com\/|checksum\.krmkit\.dev\/)/;
const reloaderChanges = (path: Path): boolean => key(path, path.length - 2) === 'annotations' && RELOADER_ANNOTATION.test(String(last(path)));

/** resources: containers' requests and limits (filled where absent, never changed where set). */
const resourcesChanges = (path: Path): boolean => key(path, path.length - 2) === 'requests' || key(path, path.length - 2) === 'limits' || last(path) === 'resources' || last(path) === 'requests' || last(path) === 'limits';

/** autoscaled-replicas: `spec.replicas` of workloads an HPA targets, and nothing else. */
const autoscaledReplicasChanges = (path: Path): boolean => path.length === 2 && key(path, 0) === 'spec' && key(path, 1) === 'replicas';

/** pod-security-labels: the Pod Security labels of Namespaces. */
const podSecurityLabelChanges = (path: Path): boolean => key(path, 0) === 'metadata' && key(path, 1) === 'labels' && String(key(path, 2)).startsWith('pod-security.kubernetes.io/');

const nothing = (): boolean => false;

function overlay(name: 'dev' | 'prod'): Record<string, unknown> {
  return parse(readFileSync(`${REPO_ROOT}overlays/${name}/pipeline.yaml`, 'utf8')) as Record<string, unknown>;
}

const any = (...rules: ((path: Path) => boolean)[]) => (path: Path): boolean => rules.some((rule) => rule(path));

export const SUITE_CONFIGS: SuiteConfig[] = [
  {
    name: 'security-context restricted enforce',
    config: { apiVersion: V1, kind: 'SecurityContext', profile: 'restricted', mode: 'enforce', readOnlyRootFilesystem: true, writableTmp: true },
    changes: securityContextChanges,
    restricted: true,
  },
  { name: 'security-context baseline fill', config: { apiVersion: V1, kind: 'SecurityContext', profile: 'baseline', mode: 'fill' }, changes: securityContextChanges, restricted: false },
  { name: 'security-context restricted audit', config: { apiVersion: V1, kind: 'SecurityContext', mode: 'audit' }, changes: nothing, restricted: false },
  {
    name: 'inject-env override',
    config: {
      apiVersion: V1,
      kind: 'InjectEnv',
      env: [{ name: 'PROD', value: 'true' }, { name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } }],
      envFrom: [{ configMapRef: { name: 'shared' } }],
      initContainers: true,
    },
    changes: injectEnvChanges,
    restricted: false,
    injects: new Set(['PROD', 'DATABASE_PASSWORD']),
  },
  {
    name: 'inject-env keep',
    config: { apiVersion: V1, kind: 'InjectEnv', env: { LOG_LEVEL: 'debug' }, onConflict: 'keep' },
    changes: injectEnvChanges,
    restricted: false,
    injects: new Set(['LOG_LEVEL']),
  },
  { name: 'resources default', config: { apiVersion: V1, kind: 'Resources' }, changes: resourcesChanges, restricted: false },
  {
    name: 'resources with overrides',
    config: { apiVersion: V1, kind: 'Resources', requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi', cpu: '1', 'ephemeral-storage': '1Gi' }, containerOverrides: [{ name: 'sidecar', requests: { memory: '32Mi' } }] },
    changes: resourcesChanges,
    restricted: false,
  },
  { name: 'anti-affinity default', config: { apiVersion: V1, kind: 'AntiAffinity' }, changes: nothing, restricted: false },
  {
    name: 'anti-affinity required + spread',
    config: {
      apiVersion: V1,
      kind: 'AntiAffinity',
      required: [{ topologyKey: 'kubernetes.io/hostname' }],
      topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }],
      minReplicas: 1,
    },
    changes: nothing,
    restricted: false,
  },
  {
    name: 'network-policy',
    config: {
      apiVersion: V1,
      kind: 'NetworkPolicies',
      defaultDeny: ['Ingress', 'Egress'],
      allowDNS: true,
      allowSameNamespace: true,
      flows: [{ from: { podSelector: { 'app.kubernetes.io/component': 'frontend' } }, to: { podSelector: { 'app.kubernetes.io/component': 'backend' } }, ports: ['http', 8080] }],
    },
    changes: nothing,
    restricted: false,
  },
  { name: 'reloader auto', config: { apiVersion: V1, kind: 'Reloader', mode: 'auto' }, changes: reloaderChanges, restricted: false },
  { name: 'reloader explicit', config: { apiVersion: V1, kind: 'Reloader', mode: 'explicit' }, changes: reloaderChanges, restricted: false },
  { name: 'reloader checksum', config: { apiVersion: V1, kind: 'Reloader', mode: 'checksum' }, changes: reloaderChanges, restricted: false },
  { name: 'pod-disruption-budget default', config: { apiVersion: V1, kind: 'PodDisruptionBudgets' }, changes: nothing, restricted: false },
  {
    name: 'pod-disruption-budget minAvailable 50% AlwaysAllow',
    config: { apiVersion: V1, kind: 'PodDisruptionBudgets', minAvailable: '50%', unhealthyPodEvictionPolicy: 'AlwaysAllow', minReplicas: 1 },
    changes: nothing,
    restricted: false,
  },
  { name: 'autoscaled-replicas', config: { apiVersion: V1, kind: 'AutoscaledReplicas' }, changes: autoscaledReplicasChanges, restricted: false },
  { name: 'pod-security-labels restricted', config: { apiVersion: V1, kind: 'PodSecurityLabels', profile: 'restricted' }, changes: podSecurityLabelChanges, restricted: false },
  {
    name: 'overlay dev',
    config: overlay('dev'),
    changes: any(securityContextChanges, injectEnvChanges, resourcesChanges, reloaderChanges, autoscaledReplicasChanges, podSecurityLabelChanges),
    restricted: false,
    injects: new Set(['PROD']),
  },
  {
    name: 'overlay prod',
    config: overlay('prod'),
    changes: any(securityContextChanges, injectEnvChanges, resourcesChanges, reloaderChanges, autoscaledReplicasChanges, podSecurityLabelChanges),
    restricted: true,
    injects: new Set(['PROD']),
  },
];

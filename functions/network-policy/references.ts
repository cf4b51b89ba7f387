import type { Path } from '../../krm/base/path.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap, optionalMapList, optionalStringList } from '../../krm/model/shape.js';
import type { NamespaceKey } from './namespaces.js';
import type { Workload } from './workloads.js';

/**
 * Host names a workload mentions where programs take their peers' addresses: env values,
 * args, command, and the data of the ConfigMaps its pods read (envFrom, env valueFrom,
 * volumes). Kubernetes DNS resolves `svc`, `svc.ns`, `svc.ns.svc` and
 * `svc.ns.svc.cluster.local`, so those are the shapes looked for.
 */
export interface HostMention {
  /** The host as written, lower-cased (`demo-backend`, `api.shop.svc.cluster.local`). */
  host: string;
  scheme?: string;
  port?: number;
  /** Where it was found, for messages: `env BACKEND_URL`, `ConfigMap demo-frontend key default.conf`. */
  where: string;
}

/** What a mention can mean for the cluster: a Service (name, optional namespace) or an outside host. */
export type MentionTarget = { kind: 'service'; name: string; namespace?: string; explicit: boolean } | { kind: 'external'; host: string } | { kind: 'none' };

const MENTION = /(?<![\w.@/-])(?:([a-z][a-z0-9+.-]*):\/\/)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::(\d{1,5}))?(?![\w-])/gi;
/** A dotted quad or a name of digits only: no Service is called that. */
const NUMERIC = /^[\d.]+$/;
const LOCAL_HOSTS = new Set(['localhost', 'localhost.localdomain']);

export function mentionsIn(text: string, where: string): HostMention[] {
  const mentions: HostMention[] = [];
  for (const match of text.matchAll(MENTION)) {
    const host = (match[2] as string).toLowerCase();
    if (NUMERIC.test(host) || LOCAL_HOSTS.has(host)) continue;
    const mention: HostMention = { host, where };
    if (match[1]) mention.scheme = match[1].toLowerCase();
    if (match[3]) mention.port = Number(match[3]);
    mentions.push(mention);
  }
  return mentions;
}

/**
 * How a mention reads: `svc.ns.svc[.cluster.local]` always names a Service; `svc` and
 * `svc.ns` name one when the stream has it, else they are only a reference worth a warning
 * when a scheme or port says the program connects to it (`demo-backend:8000`); other dotted
 * names with a scheme are outside the cluster.
 */
export function readMention(mention: HostMention, hasService: (name: string, namespace?: string) => boolean): MentionTarget {
  const parts = mention.host.split('.');
  const connects = mention.scheme !== undefined || mention.port !== undefined;
  if (parts.length === 5 && parts[2] === 'svc' && parts[3] === 'cluster' && parts[4] === 'local') return { kind: 'service', name: parts[0] as string, namespace: parts[1] as string, explicit: true };
  if (parts.length === 3 && parts[2] === 'svc') return { kind: 'service', name: parts[0] as string, namespace: parts[1] as string, explicit: true };
  if (parts.length === 1) {
    const name = parts[0] as string;
    if (hasService(name)) return { kind: 'service', name, explicit: false };
    // A word with a port or scheme, and a letter in it, is a host the program dials.
    return connects && /[a-z]/.test(name) ? { kind: 'service', name, explicit: false } : { kind: 'none' };
  }
  if (parts.length === 2 && hasService(parts[0] as string, parts[1])) return { kind: 'service', name: parts[0] as string, namespace: parts[1] as string, explicit: false };
  if (mention.scheme !== undefined && !mention.scheme.startsWith('file')) return { kind: 'external', host: mention.host };
  return { kind: 'none' };
}

/** Every mention in a workload's containers and the ConfigMaps its pods read. */
export function workloadMentions(workload: Workload, configMaps: ConfigMapIndex): HostMention[] {
  const { resource } = workload;
  const mentions: HostMention[] = [];
  const usedConfigMaps = new Map<string, string[] | 'all'>();
  const useConfigMap = (name: unknown, key?: unknown): void => {
    if (typeof name !== 'string') return;
    const current = usedConfigMaps.get(name);
    if (current === 'all') return;
    if (typeof key === 'string') usedConfigMaps.set(name, [...(current ?? []), key]);
    else usedConfigMaps.set(name, 'all');
  };
  for (const { container, path, name } of workload.containers) {
    const strings = (field: 'args' | 'command'): void => {
      (optionalStringList(resource, [...path, field], container[field]) ?? []).forEach((text) => mentions.push(...mentionsIn(text, `container ${name} ${field}`)));
    };
    strings('command');
    strings('args');
    (optionalMapList(resource, [...path, 'env'], container.env) ?? []).forEach((entry, index) => {
      if (typeof entry.value === 'string') mentions.push(...mentionsIn(entry.value, `container ${name} env ${String(entry.name)}`));
      const from = optionalMap(resource, [...path, 'env', index, 'valueFrom'], entry.valueFrom);
      const ref = optionalMap(resource, [...path, 'env', index, 'valueFrom', 'configMapKeyRef'], from?.configMapKeyRef);
      if (ref) useConfigMap(ref.name, ref.key);
    });
    (optionalMapList(resource, [...path, 'envFrom'], container.envFrom) ?? []).forEach((entry, index) => {
      useConfigMap(optionalMap(resource, [...path, 'envFrom', index, 'configMapRef'], entry.configMapRef)?.name);
    });
  }
  const volumesPath: Path = [...specPathOf(workload), 'volumes'];
  (optionalMapList(resource, volumesPath, workload.podSpec.volumes) ?? []).forEach((volume, index) => {
    useConfigMap(optionalMap(resource, [...volumesPath, index, 'configMap'], volume.configMap)?.name);
    const projected = optionalMap(resource, [...volumesPath, index, 'projected'], volume.projected);
    (optionalMapList(resource, [...volumesPath, index, 'projected', 'sources'], projected?.sources) ?? []).forEach((source) => {
      if (typeof source.configMap === 'object' && source.configMap !== null) useConfigMap((source.configMap as Record<string, unknown>).name);
    });
  });
  for (const [name, keys] of usedConfigMaps) {
    const data = configMaps.data(workload.namespace, name);
    if (!data) continue;
    for (const [key, text] of Object.entries(data)) {
      if (keys === 'all' || keys.includes(key)) mentions.push(...mentionsIn(text, `ConfigMap ${name} key ${key}`));
    }
  }
  return mentions;
}

function specPathOf(workload: Workload): Path {
  const path = workload.containers[0]?.path;
  // Container paths end in [..., 'spec', 'containers', i]: the pod spec is two levels up.
  return path ? path.slice(0, -2) : [];
}

/** ConfigMaps of the stream by namespace and name: their string data. */
export class ConfigMapIndex {
  private readonly byName = new Map<string, Record<string, string>>();

  constructor(resources: readonly Resource[]) {
    for (const resource of resources) {
      if (resource.kind !== 'ConfigMap' || resource.apiVersion !== 'v1') continue;
      const data = optionalMap(resource, ['data'], resource.object.data) ?? {};
      const strings: Record<string, string> = {};
      for (const [key, value] of Object.entries(data)) if (typeof value === 'string') strings[key] = value;
      this.byName.set(JSON.stringify([resource.namespace ?? '', resource.name]), strings);
    }
  }

  /** The ConfigMap a pod of that namespace reads: its own namespace, or one rendered without namespace (the same release namespace). */
  data(namespace: NamespaceKey, name: string): Record<string, string> | undefined {
    return this.byName.get(JSON.stringify([namespace, name])) ?? this.byName.get(JSON.stringify(['', name]));
  }
}

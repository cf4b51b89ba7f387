import { KrmConfigError } from '../../krm/errors.js';
import { describeValue } from '../../krm/input.js';
import type { OptionSpecs } from '../../krm/options.js';
import { isPlainMap, type Path } from '../../krm/path.js';
import { nearest } from '../../krm/suggest.js';
import { dnsLabel } from '../../krm/generated-object.js';
import { parsePorts, type PolicyPort } from './ports.js';

export const FUNCTION_NAME = 'network-policy';

export type Direction = 'Ingress' | 'Egress';

/** Labels to match, as a NetworkPolicy's `matchLabels`. */
export type Labels = Record<string, string>;

/** Pods elsewhere in the cluster (kube-dns, an ingress controller), by namespace and pod labels. */
export interface ClusterPeer {
  namespaceSelector?: Labels;
  podSelector?: Labels;
}

/**
 * One end of a declared flow. An unset namespace means "the namespace the policy lands in";
 * an unset podSelector means every pod of that namespace.
 */
export interface FlowEnd {
  namespace?: string;
  podSelector?: Labels;
}

export interface Flow {
  /** Used in policy names and the rule label; derived from the ends when not given. */
  name: string;
  from: FlowEnd;
  to: FlowEnd;
  /** Empty: every port. */
  ports: PolicyPort[];
}

export interface NetworkPolicyConfig {
  defaultDeny: Direction[];
  allowDNS: boolean;
  dns: ClusterPeer;
  allowSameNamespace: boolean;
  ingressControllers: ClusterPeer[];
  flows: Flow[];
}

/** Where kube-dns runs in a stock cluster (kubeadm, EKS, GKE, AKS, kind all label it so). */
export const DEFAULT_DNS: ClusterPeer = {
  namespaceSelector: { 'kubernetes.io/metadata.name': 'kube-system' },
  podSelector: { 'k8s-app': 'kube-dns' },
};

/** The ingress-nginx controller as its official manifests and chart install it. */
export const DEFAULT_INGRESS_CONTROLLERS: ClusterPeer[] = [
  {
    namespaceSelector: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
    podSelector: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
  },
];

export const networkPolicyOptions: OptionSpecs = {
  defaultDeny: {
    type: 'stringList',
    description: 'Directions to deny by default in every namespace of the stream: Ingress, Egress or both. The allow rules of a direction are generated only when it is denied.',
  },
  allowDNS: { type: 'boolean', default: 'false', description: 'Allow egress to kube-dns on UDP and TCP 53 (needs defaultDeny Egress).' },
  dns: {
    type: 'structured',
    shape: '{namespaceSelector, podSelector} (label maps)',
    description: 'Where DNS runs (default: namespace kubernetes.io/metadata.name=kube-system, pods k8s-app=kube-dns).',
  },
  allowSameNamespace: { type: 'boolean', default: 'false', description: 'Allow pods of a namespace to reach its workloads on the ports their Services expose.' },
  ingressControllers: {
    type: 'structured',
    shape: 'list of {namespaceSelector, podSelector} (label maps)',
    description: 'Ingress controller pods allowed to reach workloads behind an Ingress of the stream (default: ingress-nginx; [] turns it off).',
  },
  flows: {
    type: 'structured',
    shape: 'list of {name, from: {namespace, podSelector}, to: {namespace, podSelector}, ports}',
    description: 'Declared traffic between tiers: ingress on the receiving side, and egress on the sending side when Egress is denied.',
  },
};

const DIRECTIONS: readonly Direction[] = ['Ingress', 'Egress'];

export function parseNetworkPolicyConfig(options: Record<string, unknown>): NetworkPolicyConfig {
  const defaultDeny = parseDirections((options.defaultDeny as string[] | undefined) ?? []);
  const config: NetworkPolicyConfig = {
    defaultDeny,
    allowDNS: (options.allowDNS as boolean | undefined) ?? false,
    dns: options.dns === undefined || options.dns === null ? DEFAULT_DNS : parseClusterPeer(options.dns, ['dns']),
    allowSameNamespace: (options.allowSameNamespace as boolean | undefined) ?? false,
    ingressControllers: parseIngressControllers(options.ingressControllers),
    flows: parseFlows(options.flows),
  };
  // Any NetworkPolicy isolates the pods it selects in its direction, so an allow rule
  // without the matching deny would silently cut every other connection of those pods.
  if (config.allowDNS && !defaultDeny.includes('Egress')) {
    throw new KrmConfigError(FUNCTION_NAME, 'allowDNS only makes sense with defaultDeny including Egress (an egress policy isolates every pod it selects)', ['allowDNS']);
  }
  if (defaultDeny.length === 0) {
    if (config.allowSameNamespace) throw new KrmConfigError(FUNCTION_NAME, 'allowSameNamespace takes effect only with defaultDeny set (Ingress, Egress or both)', ['allowSameNamespace']);
    if (config.flows.length > 0) throw new KrmConfigError(FUNCTION_NAME, 'flows take effect only with defaultDeny set (Ingress, Egress or both)', ['flows']);
  }
  return config;
}

function parseDirections(values: readonly string[]): Direction[] {
  values.forEach((value, index) => {
    if (!(DIRECTIONS as readonly string[]).includes(value)) {
      const suggestion = nearest(value, DIRECTIONS);
      throw new KrmConfigError(
        FUNCTION_NAME,
        `${JSON.stringify(value)} is not a direction (Ingress or Egress)${suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : ''}`,
        ['defaultDeny', index],
      );
    }
  });
  return DIRECTIONS.filter((direction) => values.includes(direction));
}

function parseIngressControllers(raw: unknown): ClusterPeer[] {
  if (raw === undefined || raw === null) return DEFAULT_INGRESS_CONTROLLERS;
  if (!Array.isArray(raw)) throw new KrmConfigError(FUNCTION_NAME, `expected a list of {namespaceSelector, podSelector}, got ${describeValue(raw)}`, ['ingressControllers']);
  return raw.map((entry: unknown, index) => parseClusterPeer(entry, ['ingressControllers', index]));
}

function parseClusterPeer(raw: unknown, path: Path): ClusterPeer {
  const map = expectMap(raw, path, '{namespaceSelector, podSelector}');
  checkKeys(map, ['namespaceSelector', 'podSelector'], path);
  const peer: ClusterPeer = {};
  if (map.namespaceSelector !== undefined && map.namespaceSelector !== null) peer.namespaceSelector = parseLabels(map.namespaceSelector, [...path, 'namespaceSelector']);
  if (map.podSelector !== undefined && map.podSelector !== null) peer.podSelector = parseLabels(map.podSelector, [...path, 'podSelector']);
  if (!peer.namespaceSelector && !peer.podSelector) throw new KrmConfigError(FUNCTION_NAME, 'set namespaceSelector, podSelector or both', path);
  return peer;
}

function parseFlows(raw: unknown): Flow[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new KrmConfigError(FUNCTION_NAME, `expected a list of {from, to, ports}, got ${describeValue(raw)}`, ['flows']);
  const flows = raw.map((entry: unknown, index) => parseFlow(entry, ['flows', index]));
  const seen = new Map<string, number>();
  flows.forEach((flow, index) => {
    const earlier = seen.get(flow.name);
    if (earlier !== undefined) {
      throw new KrmConfigError(FUNCTION_NAME, `flow name ${JSON.stringify(flow.name)} is also used by flows[${earlier}]; give one of them a distinct name`, ['flows', index, 'name']);
    }
    seen.set(flow.name, index);
  });
  return flows;
}

function parseFlow(raw: unknown, path: Path): Flow {
  const map = expectMap(raw, path, '{from, to, ports}');
  checkKeys(map, ['name', 'from', 'to', 'ports'], path);
  if (map.from === undefined || map.to === undefined) throw new KrmConfigError(FUNCTION_NAME, 'a flow needs both from and to', path);
  const from = parseFlowEnd(map.from, [...path, 'from']);
  const to = parseFlowEnd(map.to, [...path, 'to']);
  let name: string;
  if (map.name === undefined || map.name === null) {
    name = dnsLabel(`${describeEnd(from)}-to-${describeEnd(to)}`);
  } else {
    if (typeof map.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(map.name) || map.name.length > 40) {
      throw new KrmConfigError(FUNCTION_NAME, `expected a name of lowercase letters, digits and '-' (at most 40), got ${describeValue(map.name)}`, [...path, 'name']);
    }
    name = map.name;
  }
  return { name, from, to, ports: parsePorts(map.ports, [...path, 'ports']) };
}

function parseFlowEnd(raw: unknown, path: Path): FlowEnd {
  const map = expectMap(raw, path, '{namespace, podSelector}');
  checkKeys(map, ['namespace', 'podSelector'], path);
  const end: FlowEnd = {};
  if (map.namespace !== undefined && map.namespace !== null) {
    if (typeof map.namespace !== 'string' || map.namespace === '') throw new KrmConfigError(FUNCTION_NAME, `expected a namespace name, got ${describeValue(map.namespace)}`, [...path, 'namespace']);
    end.namespace = map.namespace;
  }
  if (map.podSelector !== undefined && map.podSelector !== null) end.podSelector = parseLabels(map.podSelector, [...path, 'podSelector']);
  return end;
}

/** `frontend` for `{podSelector: {tier: frontend}}`, `monitoring` for `{namespace: monitoring}`. */
function describeEnd(end: FlowEnd): string {
  const parts = [...(end.namespace ? [end.namespace] : []), ...Object.values(end.podSelector ?? {})];
  return parts.length > 0 ? parts.join('-') : 'all';
}

function parseLabels(raw: unknown, path: Path): Labels {
  const map = expectMap(raw, path, 'a map of label keys to values');
  const labels: Labels = {};
  for (const [key, value] of Object.entries(map)) {
    if (typeof value === 'string') labels[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') labels[key] = String(value);
    else throw new KrmConfigError(FUNCTION_NAME, `expected a label value (a string), got ${describeValue(value)}`, [...path, key]);
  }
  return labels;
}

function expectMap(raw: unknown, path: Path, what: string): Record<string, unknown> {
  if (!isPlainMap(raw)) throw new KrmConfigError(FUNCTION_NAME, `expected ${what}, got ${describeValue(raw)}`, path);
  return raw;
}

function checkKeys(map: Record<string, unknown>, allowed: readonly string[], path: Path): void {
  for (const key of Object.keys(map)) {
    if (allowed.includes(key)) continue;
    const suggestion = nearest(key, allowed);
    throw new KrmConfigError(
      FUNCTION_NAME,
      `unknown field ${JSON.stringify(key)}${suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : ` (fields: ${allowed.join(', ')})`}`,
      [...path, key],
    );
  }
}

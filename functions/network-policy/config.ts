import { KrmConfigError } from '../../krm/base/errors.js';
import { describeValue } from '../../krm/base/messages.js';
import type { OptionSpecs } from '../../krm/function/options.js';
import { isPlainMap, type Path } from '../../krm/base/path.js';
import { nearest } from '../../krm/base/messages.js';
import { dnsLabel } from '../../krm/model/generated-object.js';
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
  /** Addresses outside the cluster (only on `to`): an egress-only flow to this CIDR. */
  cidr?: string;
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
  /** Namespace-wide default-deny for Namespaces the stream itself contains (never system ones). */
  namespaceDefaultDeny: boolean;
  systemNamespaces: string[];
  allowControlPlane: boolean;
  controlPlaneCIDRs: string[];
  allowAPIServer: boolean;
  apiServerCIDRs: string[];
  apiServerPorts: PolicyPort[];
  allowKubelets: boolean;
  allowExternalIngress: boolean;
  externalIngressCIDRs: string[];
  allowIngressControllerEgress: boolean;
  allowReferences: boolean;
  respectExistingPolicies: boolean;
}

/** Namespaces the cluster itself runs in: a namespace-wide policy there isolates every system pod. */
export const DEFAULT_SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

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
    shape: 'list of {name, from: {namespace, podSelector}, to: {namespace, podSelector} or {cidr}, ports}',
    description: 'Declared traffic: ingress on the receiving workloads of the stream, and egress on the sending ones when Egress is denied; `to: {cidr}` allows egress outside the cluster.',
  },
  namespaceDefaultDeny: {
    type: 'boolean',
    default: 'false',
    description: 'Also deny by default every pod of a Namespace the stream itself contains (one `<namespace>-default-deny` policy), never in a system namespace. Off: only the stream\'s workloads are isolated.',
  },
  systemNamespaces: { type: 'stringList', description: 'Namespaces that never get a namespace-wide policy (default: kube-system, kube-public, kube-node-lease).' },
  allowControlPlane: {
    type: 'boolean',
    default: 'true',
    description: 'Allow the API server to reach the Services named by webhook configurations, APIServices and CRD conversion webhooks of the stream.',
  },
  controlPlaneCIDRs: { type: 'stringList', description: 'Where the API server calls from (default: anywhere, since it is not a pod).' },
  allowAPIServer: {
    type: 'boolean',
    default: 'true',
    description: 'Allow egress to the API server for workloads whose ServiceAccount a (Cluster)RoleBinding of the stream binds and that mount its token.',
  },
  apiServerCIDRs: { type: 'stringList', description: 'API server addresses (default: any address).' },
  apiServerPorts: { type: 'structured', shape: 'list of ports', description: 'API server ports as policies see them after DNAT (default: [443, 6443]).' },
  allowKubelets: { type: 'boolean', default: 'true', description: 'Allow egress to kubelets (TCP 10250) for workloads whose RBAC grants nodes/metrics, nodes/stats or nodes/proxy.' },
  allowExternalIngress: {
    type: 'boolean',
    default: 'true',
    description: 'Allow ingress from anywhere on the target ports of LoadBalancer and NodePort Services and Services with externalIPs.',
  },
  externalIngressCIDRs: { type: 'stringList', description: 'Sources allowed through LoadBalancer/NodePort/externalIPs Services (default: anywhere).' },
  allowIngressControllerEgress: {
    type: 'boolean',
    default: 'true',
    description: 'Allow an ingress controller of the stream (named by an IngressClass of the stream, or matching ingressControllers) egress to pods in every namespace.',
  },
  allowReferences: {
    type: 'boolean',
    default: 'true',
    description: 'Allow traffic to Services a workload names in env values, args, command or the data of ConfigMaps it uses (svc, svc.ns, svc.ns.svc[.cluster.local], with scheme and port): egress on the caller, ingress on the callee.',
  },
  respectExistingPolicies: {
    type: 'boolean',
    default: 'true',
    description: 'When egress is denied, give the stream\'s workloads the egress matching every ingress an existing NetworkPolicy of the stream grants them.',
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
    namespaceDefaultDeny: (options.namespaceDefaultDeny as boolean | undefined) ?? false,
    systemNamespaces: (options.systemNamespaces as string[] | undefined) ?? DEFAULT_SYSTEM_NAMESPACES,
    allowControlPlane: (options.allowControlPlane as boolean | undefined) ?? true,
    controlPlaneCIDRs: parseCIDRs(options.controlPlaneCIDRs, 'controlPlaneCIDRs'),
    allowAPIServer: (options.allowAPIServer as boolean | undefined) ?? true,
    apiServerCIDRs: parseCIDRs(options.apiServerCIDRs, 'apiServerCIDRs'),
    apiServerPorts: options.apiServerPorts === undefined || options.apiServerPorts === null ? DEFAULT_API_SERVER_PORTS : parsePorts(options.apiServerPorts, ['apiServerPorts']),
    allowKubelets: (options.allowKubelets as boolean | undefined) ?? true,
    allowExternalIngress: (options.allowExternalIngress as boolean | undefined) ?? true,
    externalIngressCIDRs: parseCIDRs(options.externalIngressCIDRs, 'externalIngressCIDRs'),
    allowIngressControllerEgress: (options.allowIngressControllerEgress as boolean | undefined) ?? true,
    allowReferences: (options.allowReferences as boolean | undefined) ?? true,
    respectExistingPolicies: (options.respectExistingPolicies as boolean | undefined) ?? true,
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

/** The API server as policies see it: after kube-proxy's DNAT, the endpoint port (443 or 6443). */
export const DEFAULT_API_SERVER_PORTS: PolicyPort[] = [
  { protocol: 'TCP', port: 443 },
  { protocol: 'TCP', port: 6443 },
];

const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

function parseCIDRs(raw: unknown, field: string): string[] {
  return ((raw as string[] | undefined) ?? []).map((cidr, index) => parseCIDR(cidr, [field, index]));
}

function parseCIDR(raw: unknown, path: Path): string {
  if (typeof raw !== 'string' || !CIDR.test(raw)) throw new KrmConfigError(FUNCTION_NAME, `expected a CIDR such as 10.0.0.0/8, got ${describeValue(raw)}`, path);
  return raw;
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
  const isTo = path[path.length - 1] === 'to';
  checkKeys(map, isTo ? ['namespace', 'podSelector', 'cidr'] : ['namespace', 'podSelector'], path);
  const end: FlowEnd = {};
  if (isTo && map.cidr !== undefined && map.cidr !== null) {
    if (map.namespace !== undefined || map.podSelector !== undefined) throw new KrmConfigError(FUNCTION_NAME, 'a flow goes either to pods (namespace, podSelector) or to a cidr, not both', path);
    end.cidr = parseCIDR(map.cidr, [...path, 'cidr']);
    return end;
  }
  if (map.namespace !== undefined && map.namespace !== null) {
    if (typeof map.namespace !== 'string' || map.namespace === '') throw new KrmConfigError(FUNCTION_NAME, `expected a namespace name, got ${describeValue(map.namespace)}`, [...path, 'namespace']);
    end.namespace = map.namespace;
  }
  if (map.podSelector !== undefined && map.podSelector !== null) end.podSelector = parseLabels(map.podSelector, [...path, 'podSelector']);
  return end;
}

/** `frontend` for `{podSelector: {tier: frontend}}`, `monitoring` for `{namespace: monitoring}`. */
function describeEnd(end: FlowEnd): string {
  if (end.cidr) return end.cidr;
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

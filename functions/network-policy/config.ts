import { KrmConfigError } from '../../krm/base/errors.js';
import { describeValue, didYouMean, firstUnknownKey, unknownName } from '../../krm/base/messages.js';
import * as v from 'valibot';
import type { CommonOptionDocs } from '../../krm/function/function.js';
import type { OptionsOf } from '../../krm/function/options.js';
import { isPlainMap, type Path } from '../../krm/base/path.js';
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

export const networkPolicyOptions = v.strictObject({
  defaultDeny: v.optional(v.pipe(v.array(v.string()), v.description('Directions to deny by default in every namespace of the stream: Ingress, Egress or both. The allow rules of a direction are generated only when it is denied.'), v.metadata({ shape: 'list of `Ingress`, `Egress`', readme: 'Directions each workload\'s policy denies. Nothing is generated without it.' })), () => []),
  allowDNS: v.optional(v.pipe(v.boolean(), v.description('Allow egress to kube-dns on UDP and TCP 53 (needs defaultDeny Egress).'), v.metadata({ readme: 'Egress to DNS on UDP and TCP 53. Needs `defaultDeny` to include `Egress` (a config error otherwise).' })), false),
  dns: v.optional(v.pipe(v.unknown(), v.description('Where DNS runs (default: namespace kubernetes.io/metadata.name=kube-system, pods k8s-app=kube-dns).'), v.metadata({ shape: '`{namespaceSelector, podSelector}` (label maps)', defaultText: '`{namespaceSelector: {kubernetes.io/metadata.name: kube-system}, podSelector: {k8s-app: kube-dns}}`', readme: 'Where DNS runs. The default matches kubeadm, EKS, GKE, AKS and kind.' }))),
  allowSameNamespace: v.optional(v.pipe(v.boolean(), v.description('Allow pods of a namespace to reach its workloads on the ports their Services expose.'), v.metadata({ readme: 'The `same-namespace` rule.' })), false),
  ingressControllers: v.optional(v.pipe(v.unknown(), v.description('Ingress controller pods allowed to reach workloads behind an Ingress of the stream (default: ingress-nginx; [] turns it off).'), v.metadata({ shape: 'list of `{namespaceSelector, podSelector}` (label maps)', defaultText: 'ingress-nginx: `{namespaceSelector: {kubernetes.io/metadata.name: ingress-nginx}, podSelector: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}}`', readme: 'Who may reach workloads behind an Ingress of the stream; a workload of the stream matching one is an ingress controller. `[]` turns it off.' }))),
  flows: v.optional(v.pipe(v.unknown(), v.description('Declared traffic: ingress on the receiving workloads of the stream, and egress on the sending ones when Egress is denied; `to: {cidr}` allows egress outside the cluster.'), v.metadata({ shape: 'list of `{name, from, to, ports}`', defaultText: '`[]`', readme: 'Declared traffic. `from` is `{namespace, podSelector}`; `to` is `{namespace, podSelector}` or `{cidr}`; `ports` a list of `8080`, `"53/UDP"`, a container port name, or `{port, protocol}` (protocol defaults to TCP; no ports: every port). `name` (lowercase, digits, `-`) defaults to the ends\' label values, e.g. `frontend-to-backend`. A flow lands on the workloads of the stream its ends select.' }))),
  namespaceDefaultDeny: v.optional(v.pipe(v.boolean(), v.description('Also deny by default every pod of a Namespace the stream itself contains (one `<namespace>-default-deny` policy), never in a system namespace. Off: only the stream\'s workloads are isolated.'), v.metadata({ readme: 'Also one `<namespace>-default-deny` (`podSelector: {}`, with DNS egress) for each Namespace the stream contains, except `systemNamespaces`.' })), false),
  systemNamespaces: v.optional(v.pipe(v.array(v.string()), v.description('Namespaces that never get a namespace-wide policy (default: kube-system, kube-public, kube-node-lease).'), v.metadata({ defaultText: '`kube-system, kube-public, kube-node-lease`', readme: 'Never a namespace-wide policy there.' })), () => [...DEFAULT_SYSTEM_NAMESPACES]),
  allowControlPlane: v.optional(v.pipe(v.boolean(), v.description('Allow the API server to reach the Services named by webhook configurations, APIServices and CRD conversion webhooks of the stream.'), v.metadata({ readme: 'The `control-plane` rule.' })), true),
  controlPlaneCIDRs: v.optional(v.pipe(v.array(v.string()), v.description('Where the API server calls from (default: anywhere, since it is not a pod).'), v.metadata({ shape: 'list of CIDRs', defaultText: 'any source', readme: 'Where the API server calls from.' })), () => []),
  allowAPIServer: v.optional(v.pipe(v.boolean(), v.description('Allow egress to the API server for workloads whose ServiceAccount a (Cluster)RoleBinding of the stream binds and that mount its token.'), v.metadata({ readme: 'The `api-server` rule.' })), true),
  apiServerCIDRs: v.optional(v.pipe(v.array(v.string()), v.description('API server addresses (default: any address).'), v.metadata({ shape: 'list of CIDRs', defaultText: 'any address', readme: 'API server endpoints.' })), () => []),
  apiServerPorts: v.optional(v.pipe(v.unknown(), v.description('API server ports as policies see them after DNAT (default: [443, 6443]).'), v.metadata({ shape: 'list of ports', defaultText: '`[443, 6443]`', readme: 'API server ports after DNAT.' }))),
  allowKubelets: v.optional(v.pipe(v.boolean(), v.description('Allow egress to kubelets (TCP 10250) for workloads whose RBAC grants nodes/metrics, nodes/stats or nodes/proxy.'), v.metadata({ readme: 'The `kubelet` rule (TCP 10250).' })), true),
  allowExternalIngress: v.optional(v.pipe(v.boolean(), v.description('Allow ingress from anywhere on the target ports of LoadBalancer and NodePort Services and Services with externalIPs.'), v.metadata({ readme: 'The `external` rule.' })), true),
  externalIngressCIDRs: v.optional(v.pipe(v.array(v.string()), v.description('Sources allowed through LoadBalancer/NodePort/externalIPs Services (default: anywhere).'), v.metadata({ shape: 'list of CIDRs', defaultText: 'anywhere', readme: 'Sources allowed through LoadBalancer/NodePort/externalIPs Services.' })), () => []),
  allowIngressControllerEgress: v.optional(v.pipe(v.boolean(), v.description('Allow an ingress controller of the stream (named by an IngressClass of the stream, or matching ingressControllers) egress to pods in every namespace.'), v.metadata({ readme: 'The `ingress-controller` rule.' })), true),
  allowReferences: v.optional(v.pipe(v.boolean(), v.description('Allow traffic to Services a workload names in env values, args, command or the data of ConfigMaps it uses (svc, svc.ns, svc.ns.svc[.cluster.local], with scheme and port): egress on the caller, ingress on the callee.'), v.metadata({ readme: 'The `reference` rule and its warnings.' })), true),
  respectExistingPolicies: v.optional(v.pipe(v.boolean(), v.description('When egress is denied, give the stream\'s workloads the egress matching every ingress an existing NetworkPolicy of the stream grants them.'), v.metadata({ readme: 'The `existing-policy` rule.' })), true),
});

export const networkPolicyCommonOptionDocs: CommonOptionDocs = {
  select: 'Which workloads get policies or warnings. Everything else is always read.',
  podTemplateKinds: 'Extra kinds embedding a pod template.',
};

const DIRECTIONS: readonly Direction[] = ['Ingress', 'Egress'];

export function parseNetworkPolicyConfig(options: OptionsOf<typeof networkPolicyOptions>): NetworkPolicyConfig {
  const defaultDeny = parseDirections(options.defaultDeny);
  const config: NetworkPolicyConfig = {
    defaultDeny,
    allowDNS: options.allowDNS,
    dns: options.dns === undefined || options.dns === null ? DEFAULT_DNS : parseClusterPeer(options.dns, ['dns']),
    allowSameNamespace: options.allowSameNamespace,
    ingressControllers: parseIngressControllers(options.ingressControllers),
    flows: parseFlows(options.flows),
    namespaceDefaultDeny: options.namespaceDefaultDeny,
    systemNamespaces: options.systemNamespaces,
    allowControlPlane: options.allowControlPlane,
    controlPlaneCIDRs: parseCIDRs(options.controlPlaneCIDRs, 'controlPlaneCIDRs'),
    allowAPIServer: options.allowAPIServer,
    apiServerCIDRs: parseCIDRs(options.apiServerCIDRs, 'apiServerCIDRs'),
    apiServerPorts: options.apiServerPorts === undefined || options.apiServerPorts === null ? DEFAULT_API_SERVER_PORTS : parsePorts(options.apiServerPorts, ['apiServerPorts']),
    allowKubelets: options.allowKubelets,
    allowExternalIngress: options.allowExternalIngress,
    externalIngressCIDRs: parseCIDRs(options.externalIngressCIDRs, 'externalIngressCIDRs'),
    allowIngressControllerEgress: options.allowIngressControllerEgress,
    allowReferences: options.allowReferences,
    respectExistingPolicies: options.respectExistingPolicies,
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

function parseCIDRs(cidrs: readonly string[], field: string): string[] {
  return cidrs.map((cidr, index) => parseCIDR(cidr, [field, index]));
}

function parseCIDR(raw: unknown, path: Path): string {
  if (typeof raw !== 'string' || !CIDR.test(raw)) throw new KrmConfigError(FUNCTION_NAME, `expected a CIDR such as 10.0.0.0/8, got ${describeValue(raw)}`, path);
  return raw;
}

function parseDirections(values: readonly string[]): Direction[] {
  values.forEach((value, index) => {
    if (!(DIRECTIONS as readonly string[]).includes(value)) {
      throw new KrmConfigError(FUNCTION_NAME, `${JSON.stringify(value)} is not a direction (Ingress or Egress)${didYouMean(value, DIRECTIONS)}`, ['defaultDeny', index]);
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
  const unknown = firstUnknownKey(map, allowed);
  if (unknown !== undefined) throw new KrmConfigError(FUNCTION_NAME, unknownName('field', unknown, allowed, 'fields:'), [...path, unknown]);
}

import { generatedName } from '../../krm/model/generated-object.js';
import type { Resource } from '../../krm/model/resource.js';
import type { ClusterPeer, Direction, Flow, FlowEnd, NetworkPolicyConfig } from './config.js';
import type { IngressBackend } from './ingress-backends.js';
import { mayShareNamespace, namespaceKeyOf } from './namespaces.js';
import { addPorts, portKey, type PolicyPort } from './ports.js';
import { clusterPeer, flowPeer, NAMESPACE_NAME_LABEL, type Peer, type PlannedPolicy, type Rule } from './policy.js';
import { hasLabels, matchesSelector, type LabelSelector } from '../../krm/kube/label-selector.js';
import type { ServiceTarget } from './services.js';
import type { Workload } from './workloads.js';

/** A workload with what reaches it: the ports its Services expose, and those Ingresses route to. */
export interface ServedWorkload {
  workload: Workload;
  services: ServiceTarget[];
  servicePorts: PolicyPort[];
  ingressPorts: PolicyPort[];
}

/** One allow the evidence asks for, on one workload's policy. */
export interface Grant {
  workload: Workload;
  direction: Direction;
  peers: Peer[];
  ports: PolicyPort[];
  reason: string;
}

/** Ingress backends by Service name. */
export function indexBackends(backends: readonly IngressBackend[]): Map<string, IngressBackend[]> {
  const index = new Map<string, IngressBackend[]>();
  for (const backend of backends) {
    const list = index.get(backend.service) ?? [];
    list.push(backend);
    index.set(backend.service, list);
  }
  return index;
}

export function serve(workload: Workload, services: ServiceTarget[], backends: ReadonlyMap<string, readonly IngressBackend[]>): ServedWorkload {
  const servicePorts: PolicyPort[] = [];
  for (const service of services) addPorts(servicePorts, service.ports.map((port) => port.target));
  const ingressPorts: PolicyPort[] = [];
  for (const service of services) {
    const serviceNamespace = namespaceKeyOf(service.service);
    for (const backend of backends.get(service.service.name) ?? []) {
      if (!mayShareNamespace(backend.namespace, serviceNamespace)) continue;
      const chosen = service.ports.filter((port) => backend.port === port.port || backend.port === port.name);
      // A backend without a port, or with one the Service lacks, is read as "the Service".
      addPorts(ingressPorts, (chosen.length > 0 ? chosen : service.ports).map((port) => port.target));
    }
  }
  return { workload, services, servicePorts, ingressPorts };
}

const DNS_PORTS: readonly PolicyPort[] = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
];

/**
 * How a policy in `from`'s namespace names `to`'s pods: by pod labels alone in the same
 * namespace (or when both are left to the release namespace), with the namespace's name
 * label when `to` names another, and in any namespace when only `from` names one (`to` is
 * then in the release namespace, whatever it is).
 */
export function peerFor(from: Workload, to: Workload): Peer {
  if (to.namespace === from.namespace) return { podSelector: to.podSelector };
  if (to.namespace !== '') return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: to.namespace } }, podSelector: to.podSelector };
  return { namespaceSelector: {}, podSelector: to.podSelector };
}

/** `Deployment demo-frontend`, as reasons and warnings name workloads. */
export function describeWorkload(workload: Workload): string {
  return `${workload.resource.kind} ${workload.namespace === '' ? '' : `${workload.namespace}/`}${workload.name}`;
}

/** The grants every config asks for whatever the evidence: DNS, same namespace, Ingress backends, declared flows. */
export function configuredGrants(config: NetworkPolicyConfig, served: readonly ServedWorkload[], ingressControllers: readonly Workload[]): Grant[] {
  const grants: Grant[] = [];
  const namespacePorts = config.allowSameNamespace ? servicePortsByNamespace(served) : new Map<string, PolicyPort[]>();
  for (const entry of served) {
    const { workload, servicePorts, ingressPorts } = entry;
    if (config.allowDNS) {
      grants.push({ workload, direction: 'Egress', peers: [clusterPeer(config.dns)], ports: [...DNS_PORTS], reason: 'dns (allowDNS): every pod resolves names' });
    }
    if (config.allowSameNamespace && servicePorts.length > 0) {
      grants.push({ workload, direction: 'Ingress', peers: [{ podSelector: {} }], ports: servicePorts, reason: 'same-namespace (allowSameNamespace): the ports its Services expose' });
    }
    const sameNamespacePorts = namespacePorts.get(workload.namespace);
    if (sameNamespacePorts !== undefined) {
      grants.push({ workload, direction: 'Egress', peers: [{ podSelector: {} }], ports: sameNamespacePorts, reason: 'same-namespace (allowSameNamespace): the ports the Services of its namespace expose' });
    }
    if (ingressPorts.length > 0) {
      const peers = [...config.ingressControllers.map(clusterPeer), ...ingressControllers.map((controller) => peerFor(workload, controller))];
      if (peers.length > 0) grants.push({ workload, direction: 'Ingress', peers, ports: ingressPorts, reason: 'ingress-backend (ingressControllers): an Ingress of the stream routes to its Service' });
    }
    for (const flow of config.flows) {
      if (endSelects(flow.to, workload)) grants.push({ workload, direction: 'Ingress', peers: [flowPeer(flow.from)], ports: flow.ports, reason: `flow ${flow.name} (flows)` });
      if (endSelects(flow.from, workload)) grants.push({ workload, direction: 'Egress', peers: [flowPeer(flow.to)], ports: flow.ports, reason: `flow ${flow.name} (flows)` });
    }
  }
  return grants;
}

/**
 * The egress side of same-namespace, per namespace: every port a Service of the stream
 * exposes there, in first-seen order. One rule to every pod of the namespace on these ports,
 * rather than one rule per other workload, keeps the output linear in the workloads of a
 * namespace (per-workload peers grew with its square: 25,000 apps in one namespace did not
 * fit in memory). Under default-deny Ingress the receivers' own same-namespace rule still
 * admits only their Service ports, so between the stream's workloads nothing more gets
 * through; what is looser is egress to pods the stream does not isolate, on those ports.
 */
function servicePortsByNamespace(served: readonly ServedWorkload[]): Map<string, PolicyPort[]> {
  const ports = new Map<string, PolicyPort[]>();
  for (const { workload, servicePorts } of served) {
    if (servicePorts.length === 0) continue;
    const list = ports.get(workload.namespace) ?? [];
    addPorts(list, servicePorts);
    ports.set(workload.namespace, list);
  }
  return ports;
}

/** A flow end selects a workload: its labels match, and its namespace is the one named (or may be, when left to the release). */
export function endSelects(end: FlowEnd, workload: Workload): boolean {
  if (end.cidr !== undefined) return false;
  if (end.namespace !== undefined && workload.namespace !== '' && end.namespace !== workload.namespace) return false;
  return hasLabels(workload.podLabels, end.podSelector ?? {});
}

/** A workload a configured controller peer picks (the ingress-nginx default, or the user's). */
export function matchesClusterPeer(peer: ClusterPeer, workload: Workload): boolean {
  const namespace = peer.namespaceSelector?.[NAMESPACE_NAME_LABEL];
  if (namespace !== undefined && workload.namespace !== '' && namespace !== workload.namespace) return false;
  return peer.podSelector !== undefined && hasLabels(workload.podLabels, peer.podSelector);
}

/**
 * One policy per workload, named `<workload>-<kind>` and placed in the workload's namespace
 * (none when it has none), carrying every rule the grants ask for: what `kubectl get netpol`
 * shows is one line per workload, and two releases in one namespace never meet on a name.
 * Identical rules (same peers and ports) are merged, their reasons joined.
 */
export function planWorkloadPolicies(config: NetworkPolicyConfig, served: readonly ServedWorkload[], grants: readonly Grant[]): PlannedPolicy[] {
  const denyIngress = config.defaultDeny.includes('Ingress');
  const denyEgress = config.defaultDeny.includes('Egress');
  const byWorkload = new Map<Workload, Grant[]>();
  for (const grant of grants) {
    const list = byWorkload.get(grant.workload) ?? [];
    list.push(grant);
    byWorkload.set(grant.workload, list);
  }
  const policies: PlannedPolicy[] = [];
  const seen = new Set<string>();
  for (const { workload } of served) {
    const name = generatedName(workload.name, workload.resource.kind);
    const key = JSON.stringify([workload.namespace, name]);
    if (seen.has(key)) continue;
    seen.add(key);
    const mine = byWorkload.get(workload) ?? [];
    const policy: PlannedPolicy = {
      namespace: workload.namespace,
      name,
      served: workload.resource,
      rule: 'workload',
      podSelector: workload.podSelector,
      policyTypes: [...config.defaultDeny],
    };
    if (denyIngress) policy.ingress = mergeRules(mine.filter((grant) => grant.direction === 'Ingress'));
    if (denyEgress) policy.egress = mergeRules(mine.filter((grant) => grant.direction === 'Egress'));
    policies.push(policy);
  }
  return policies;
}

function mergeRules(grants: readonly Grant[]): Rule[] {
  const rules: Rule[] = [];
  const byShape = new Map<string, Rule>();
  for (const grant of grants) {
    const ports: PolicyPort[] = [];
    addPorts(ports, grant.ports);
    const shape = JSON.stringify([grant.peers, ports.map(portKey)]);
    const existing = byShape.get(shape);
    if (existing) {
      if (!existing.reason.split('; ').includes(grant.reason)) existing.reason = `${existing.reason}; ${grant.reason}`;
      continue;
    }
    const rule: Rule = { peers: grant.peers, ports, reason: grant.reason };
    byShape.set(shape, rule);
    rules.push(rule);
  }
  return rules;
}

/**
 * Namespace-wide default-deny, only for Namespaces the stream itself contains (its owner
 * emits it, once) and never for system namespaces: `<namespace>-default-deny`, with DNS
 * egress for every pod there when Egress is denied.
 */
export function planNamespacePolicies(config: NetworkPolicyConfig, namespaces: readonly Resource[]): PlannedPolicy[] {
  if (!config.namespaceDefaultDeny || config.defaultDeny.length === 0) return [];
  const policies: PlannedPolicy[] = [];
  for (const namespace of namespaces) {
    if (config.systemNamespaces.includes(namespace.name)) continue;
    const policy: PlannedPolicy = {
      namespace: namespace.name,
      name: generatedName(namespace.name, 'default-deny'),
      served: { metadata: { namespace: namespace.name } },
      rule: 'namespace-default-deny',
      podSelector: {},
      policyTypes: [...config.defaultDeny],
    };
    if (config.defaultDeny.includes('Egress') && config.allowDNS) {
      policy.egress = [{ peers: [clusterPeer(config.dns)], ports: [...DNS_PORTS], reason: 'dns (allowDNS): every pod of the namespace resolves names' }];
    }
    policies.push(policy);
  }
  return policies;
}

/** A selector in the `flows` form (labels only), for the options a warning proposes. */
export function labelsForFlow(selector: LabelSelector): Record<string, string> {
  return { ...(selector.matchLabels ?? {}) };
}

/** Whether a declared flow already lets a workload out to addresses outside the cluster. */
export function hasExternalFlow(flows: readonly Flow[], workload: Workload): boolean {
  return flows.some((flow) => flow.to.cidr !== undefined && endSelects(flow.from, workload));
}

/** Whether a workload's pods match a selector (for existing policies' peers). */
export function selects(selector: LabelSelector, workload: Workload): boolean {
  return matchesSelector(workload.podLabels, selector);
}

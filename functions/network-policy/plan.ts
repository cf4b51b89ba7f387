import type { Flow, FlowEnd, NetworkPolicyConfig } from './config.js';
import type { IngressBackend } from './ingress-backends.js';
import { dnsLabel, limitName as policyName } from '../../krm/generated-object.js';
import type { NamespaceKey } from './namespaces.js';
import { addPorts, type PolicyPort } from './ports.js';
import { clusterPeer, flowPeer, type PlannedPolicy } from './policy.js';
import { hasLabels, selectorFromLabels } from './selectors.js';
import type { ServiceTarget } from './services.js';
import type { Workload } from './workloads.js';

/** A workload with what reaches it: the ports its Services expose, and those Ingresses route to. */
export interface ServedWorkload {
  workload: Workload;
  services: ServiceTarget[];
  servicePorts: PolicyPort[];
  ingressPorts: PolicyPort[];
}

/** Ingress backends by namespace and Service name. */
export function indexBackends(backends: readonly IngressBackend[]): Map<string, IngressBackend[]> {
  const index = new Map<string, IngressBackend[]>();
  for (const backend of backends) {
    const key = JSON.stringify([backend.namespace, backend.service]);
    const list = index.get(key) ?? [];
    list.push(backend);
    index.set(key, list);
  }
  return index;
}

export function serve(workload: Workload, services: ServiceTarget[], backends: ReadonlyMap<string, readonly IngressBackend[]>): ServedWorkload {
  const servicePorts: PolicyPort[] = [];
  for (const service of services) addPorts(servicePorts, service.ports.map((port) => port.target));
  const ingressPorts: PolicyPort[] = [];
  for (const service of services) {
    for (const backend of backends.get(JSON.stringify([workload.namespace, service.service.name])) ?? []) {
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
 * Every policy the config asks for, in a fixed order: per namespace (in order of first
 * appearance), default-deny, allow-dns, same-namespace egress, then per workload (stream
 * order) same-namespace and ingress-controller ingress, then flows in config order.
 */
export function planPolicies(config: NetworkPolicyConfig, namespaces: readonly NamespaceKey[], served: readonly ServedWorkload[]): PlannedPolicy[] {
  const denyIngress = config.defaultDeny.includes('Ingress');
  const denyEgress = config.defaultDeny.includes('Egress');
  const policies: PlannedPolicy[] = [];
  const byNamespace = new Map<NamespaceKey, ServedWorkload[]>();
  for (const entry of served) {
    const list = byNamespace.get(entry.workload.namespace) ?? [];
    list.push(entry);
    byNamespace.set(entry.workload.namespace, list);
  }
  for (const namespace of namespaces) {
    const used = new Set<string>();
    const add = (policy: Omit<PlannedPolicy, 'namespace'>, workload?: Workload): void => {
      let name = policyName(policy.name);
      // Two workloads of one name (a Deployment and a StatefulSet `web`) each get their own.
      if (used.has(name) && workload) name = policyName(`${policy.name}-${dnsLabel(workload.resource.kind)}`);
      if (used.has(name)) return;
      used.add(name);
      policies.push({ namespace, ...policy, name });
    };
    const here = byNamespace.get(namespace) ?? [];
    const exposed = here.filter((entry) => entry.servicePorts.length > 0);

    if (config.defaultDeny.length > 0) add({ name: 'default-deny', rule: 'default-deny', podSelector: {}, policyTypes: [...config.defaultDeny] });
    if (config.allowDNS && denyEgress) {
      add({ name: 'allow-dns', rule: 'allow-dns', podSelector: {}, policyTypes: ['Egress'], egress: [{ peers: [clusterPeer(config.dns)], ports: [...DNS_PORTS] }] });
    }
    if (config.allowSameNamespace && denyEgress && exposed.length > 0) {
      add({
        name: 'allow-same-namespace-egress',
        rule: 'egress-same-namespace',
        podSelector: {},
        policyTypes: ['Egress'],
        egress: exposed.map(({ workload, servicePorts }) => ({ peers: [{ podSelector: workload.podSelector }], ports: servicePorts })),
      });
    }
    if (denyIngress) {
      for (const { workload, servicePorts, ingressPorts } of exposed) {
        if (config.allowSameNamespace) {
          add(
            { name: `allow-same-namespace-to-${workload.name}`, rule: 'ingress-same-namespace', podSelector: workload.podSelector, policyTypes: ['Ingress'], ingress: [{ peers: [{ podSelector: {} }], ports: servicePorts }] },
            workload,
          );
        }
        if (config.ingressControllers.length > 0 && ingressPorts.length > 0) {
          add(
            {
              name: `allow-ingress-controller-to-${workload.name}`,
              rule: 'ingress-controller',
              podSelector: workload.podSelector,
              policyTypes: ['Ingress'],
              ingress: [{ peers: config.ingressControllers.map(clusterPeer), ports: ingressPorts }],
            },
            workload,
          );
        }
      }
    }
    for (const flow of config.flows) {
      if (denyIngress && endIsHere(flow.to, namespace, here)) add(flowIngress(flow));
      if (denyEgress && endIsHere(flow.from, namespace, here)) add(flowEgress(flow));
    }
  }
  return policies;
}

/** A flow end lands in a namespace that holds workloads it selects (and is the one it names, if any). */
function endIsHere(end: FlowEnd, namespace: NamespaceKey, here: readonly ServedWorkload[]): boolean {
  if (end.namespace !== undefined && end.namespace !== namespace) return false;
  return here.some(({ workload }) => hasLabels(workload.podLabels, end.podSelector ?? {}));
}

function flowIngress(flow: Flow): Omit<PlannedPolicy, 'namespace'> {
  return {
    name: `flow-${flow.name}-ingress`,
    rule: `flow-${flow.name}`,
    podSelector: selectorFromLabels(flow.to.podSelector),
    policyTypes: ['Ingress'],
    ingress: [{ peers: [flowPeer(flow.from)], ports: flow.ports }],
  };
}

function flowEgress(flow: Flow): Omit<PlannedPolicy, 'namespace'> {
  return {
    name: `flow-${flow.name}-egress`,
    rule: `flow-${flow.name}`,
    podSelector: selectorFromLabels(flow.from.podSelector),
    policyTypes: ['Egress'],
    egress: [{ peers: [flowPeer(flow.to)], ports: flow.ports }],
  };
}

import { describeValue } from '../../krm/base/messages.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap, optionalMapList } from '../../krm/model/shape.js';
import type { Labels } from './config.js';
import { mayShareNamespace, namespaceKeyOf, type NamespaceKey } from './namespaces.js';
import { addPorts, type PolicyPort } from './ports.js';
import { hasLabels } from '../../krm/kube/label-selector.js';
import { readLabels } from '../../krm/kube/labels.js';
import { protocolOf, type Workload } from './workloads.js';

/** One port of a Service, and the port it reaches on a workload's pods. */
export interface ServicePortTarget {
  /** The Service port's name and number, as Ingress backends refer to them. */
  name?: string;
  port: number;
  target: PolicyPort;
}

/** A Service whose selector picks a workload's pods, with its ports resolved for that workload. */
export interface ServiceTarget {
  service: Resource;
  ports: ServicePortTarget[];
}

interface IndexedService {
  service: Resource;
  namespace: NamespaceKey;
  /** Position in the stream: Services are listed in stream order. */
  order: number;
  selector: Labels;
  ports: Record<string, unknown>[];
}

export function isService(resource: Resource): boolean {
  return resource.kind === 'Service' && resource.apiVersion === 'v1';
}

/**
 * The Services of a stream, read once and filed under each `key=value` of their selector, so
 * that finding a workload's Services looks at a handful of candidates, not every Service.
 * Services without a selector (manual endpoints) and ExternalName ones target nothing.
 */
export class ServiceIndex {
  private readonly byLabel = new Map<string, IndexedService[]>();

  constructor(resources: readonly Resource[]) {
    resources.forEach((service, order) => {
      if (!isService(service)) return;
      const spec = optionalMap(service, ['spec'], service.object.spec) ?? {};
      const selector = readLabels(service, ['spec', 'selector'], spec.selector);
      const ports = optionalMapList(service, ['spec', 'ports'], spec.ports) ?? [];
      const first = Object.entries(selector)[0];
      if (spec.type === 'ExternalName' || !first) return;
      const key = labelKey(first[0], first[1]);
      const list = this.byLabel.get(key) ?? [];
      list.push({ service, namespace: namespaceKeyOf(service), order, selector, ports });
      this.byLabel.set(key, list);
    });
  }

  /** The Services that may share the workload's namespace and whose selector matches its pod labels, in stream order. */
  targeting(workload: Workload): ServiceTarget[] {
    const candidates = new Set<IndexedService>();
    for (const [key, value] of Object.entries(workload.podLabels)) {
      for (const entry of this.byLabel.get(labelKey(key, value)) ?? []) candidates.add(entry);
    }
    return [...candidates]
      .filter((entry) => mayShareNamespace(entry.namespace, workload.namespace) && hasLabels(workload.podLabels, entry.selector))
      .sort((a, b) => a.order - b.order)
      .map(({ service, ports }) => ({ service, ports: ports.map((port, index) => resolvePort(service, index, port, workload)) }));
  }
}

function labelKey(key: string, value: string): string {
  return JSON.stringify([key, value]);
}

/**
 * What a Service port reaches: a numeric targetPort as is, a named one through the
 * workload's container ports (left as a name, which Kubernetes resolves on the pod, when no
 * container declares it), no targetPort the port itself.
 */
function resolvePort(service: Resource, index: number, port: Record<string, unknown>, workload: Workload): ServicePortTarget {
  const at = ['spec', 'ports', index];
  if (typeof port.port !== 'number' || !Number.isInteger(port.port)) throw service.errorAt([...at, 'port'], `expected a port number, got ${describeValue(port.port)}`);
  const protocol = protocolOf(service, [...at, 'protocol'], port.protocol);
  const targetPort = port.targetPort;
  let target: PolicyPort;
  if (targetPort === undefined || targetPort === null) {
    target = { protocol, port: port.port };
  } else if (typeof targetPort === 'number' && Number.isInteger(targetPort)) {
    target = { protocol, port: targetPort };
  } else if (typeof targetPort === 'string' && /^\d+$/.test(targetPort)) {
    target = { protocol, port: Number(targetPort) };
  } else if (typeof targetPort === 'string') {
    const named = workload.containerPorts.find((containerPort) => containerPort.name === targetPort);
    target = named ? { protocol: named.protocol, port: named.containerPort } : { protocol, port: targetPort };
  } else {
    throw service.errorAt([...at, 'targetPort'], `expected a port number or name, got ${describeValue(targetPort)}`);
  }
  const resolved: ServicePortTarget = { port: port.port, target };
  if (typeof port.name === 'string') resolved.name = port.name;
  return resolved;
}

/** A Service and one workload it selects, with its ports resolved for that workload's pods. */
export interface ServiceBackend {
  service: Resource;
  workload: Workload;
  ports: ServicePortTarget[];
}

/**
 * Services by name, with the workloads they select: how references (webhook configurations,
 * APIServices, host names in env and config) are resolved to pods. A Service rendered
 * without a namespace sits in the release namespace, which may be any namespace asked for,
 * and a caller without one may be in any namespace a Service names.
 */
export class ServiceLookup {
  private readonly byName = new Map<string, ServiceBackend[]>();

  constructor(entries: readonly { workload: Workload; services: readonly ServiceTarget[] }[]) {
    for (const { workload, services } of entries) {
      for (const { service, ports } of services) {
        const list = this.byName.get(service.name) ?? [];
        list.push({ service, workload, ports });
        this.byName.set(service.name, list);
      }
    }
  }

  /** Whether the stream has a Service of that name (in that namespace, when given) that selects a workload. */
  has(name: string, namespace?: NamespaceKey): boolean {
    return this.find(name, namespace).length > 0;
  }

  find(name: string, namespace?: NamespaceKey): ServiceBackend[] {
    const candidates = this.byName.get(name) ?? [];
    if (namespace === undefined || namespace === '') return candidates;
    return candidates.filter(({ service }) => service.namespace === undefined || service.namespace === namespace);
  }
}

/** The target ports a Service port (number or name) reaches; every port when it names none the Service has. */
export function targetsOf(ports: readonly ServicePortTarget[], wanted: number | string | undefined): PolicyPort[] {
  const chosen = wanted === undefined ? [] : ports.filter((port) => port.port === wanted || port.name === wanted);
  const targets: PolicyPort[] = [];
  addPorts(targets, (chosen.length > 0 ? chosen : ports).map((port) => port.target));
  return targets;
}

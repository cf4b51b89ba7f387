import { describeValue } from '../../krm/input.js';
import type { Resource } from '../../krm/resource.js';
import { optionalMap, optionalMapList } from '../../krm/shape.js';
import { namespaceKeyOf } from './namespaces.js';
import type { PolicyPort } from './ports.js';
import { hasLabels, readLabels } from './selectors.js';
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

export function isService(resource: Resource): boolean {
  return resource.kind === 'Service' && resource.apiVersion === 'v1';
}

/**
 * The Services of the workload's namespace whose selector matches its pod labels.
 * Services without a selector (manual endpoints, ExternalName) target nothing.
 */
export function servicesTargeting(workload: Workload, resources: readonly Resource[]): ServiceTarget[] {
  const targets: ServiceTarget[] = [];
  for (const service of resources) {
    if (!isService(service) || namespaceKeyOf(service) !== workload.namespace) continue;
    const spec = optionalMap(service, ['spec'], service.object.spec) ?? {};
    if (spec.type === 'ExternalName') continue;
    const selector = readLabels(service, ['spec', 'selector'], spec.selector);
    if (Object.keys(selector).length === 0 || !hasLabels(workload.podLabels, selector)) continue;
    const ports = (optionalMapList(service, ['spec', 'ports'], spec.ports) ?? []).map((port, index) => resolvePort(service, index, port, workload));
    targets.push({ service, ports });
  }
  return targets;
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
  } else if (typeof targetPort === 'number') {
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

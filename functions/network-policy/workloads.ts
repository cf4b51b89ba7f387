import type { FunctionContext } from '../../krm/function/function.js';
import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import { selectorFromLabels, type LabelSelector } from '../../krm/kube/label-selector.js';
import { readLabels } from '../../krm/kube/labels.js';
import type { ContainerRef } from '../../krm/kube/pod-template.js';
import { workloadSelectorOf } from '../../krm/kube/workload-selector.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMapList } from '../../krm/model/shape.js';
import type { Labels, NetworkPolicyConfig } from './config.js';
import { namespaceKeyOf, type NamespaceKey } from './namespaces.js';
import type { Protocol } from './ports.js';

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: Protocol;
}

/** A workload in scope: something with a pod template whose pods policies select. */
export interface Workload {
  resource: Resource;
  namespace: NamespaceKey;
  name: string;
  /** The pod template's labels: what Services, flows and existing policies match. */
  podLabels: Labels;
  /**
   * How generated policies select its pods: the workload's own selector when it has one
   * (immutable on Deployments and StatefulSets, so pods of the previous revision stay
   * selected during a rollout even when template labels carry a version), else the
   * template's labels.
   */
  podSelector: LabelSelector;
  containerPorts: ContainerPort[];
  /** The pod spec, read through the engine's checked template locator. */
  podSpec: Record<string, unknown>;
  /** Every container (init and regular): where references to Services are looked for. */
  containers: ContainerRef[];
}

export function workloadsOf(context: FunctionContext<NetworkPolicyConfig>): Workload[] {
  const workloads: Workload[] = [];
  for (const resource of context.resources) {
    if (!context.inScope(resource)) continue;
    const template = context.podTemplateOf(resource);
    if (!template) continue;
    const metadata = resource.get(template.metadataPath) as Record<string, unknown> | undefined;
    const podLabels = readLabels(resource, [...template.metadataPath, 'labels'], metadata?.labels);
    const containerPorts: ContainerPort[] = [];
    const containers = context.containersOf(template);
    for (const container of containers) {
      const portsPath = [...container.path, 'ports'];
      (optionalMapList(resource, portsPath, container.container.ports) ?? []).forEach((port, index) => {
        // A containerPort of the wrong type would silently leave a named targetPort unresolved.
        if (port.containerPort === undefined || port.containerPort === null) return;
        if (typeof port.containerPort !== 'number' || !Number.isInteger(port.containerPort)) {
          throw resource.errorAt([...portsPath, index, 'containerPort'], `expected a port number, got ${describeValue(port.containerPort)}`);
        }
        const read: ContainerPort = { containerPort: port.containerPort, protocol: protocolOf(resource, [...portsPath, index, 'protocol'], port.protocol) };
        if (typeof port.name === 'string') read.name = port.name;
        containerPorts.push(read);
      });
    }
    workloads.push({
      resource,
      namespace: namespaceKeyOf(resource),
      name: resource.name,
      podLabels,
      podSelector: workloadSelectorOf(resource, template.path)?.selector ?? selectorFromLabels(podLabels),
      containerPorts,
      podSpec: template.spec,
      containers,
    });
  }
  return workloads;
}


export function protocolOf(resource: Resource, path: Path, value: unknown): Protocol {
  if (value === undefined || value === null) return 'TCP';
  if (value === 'TCP' || value === 'UDP' || value === 'SCTP') return value;
  throw resource.errorAt(path, `expected TCP, UDP or SCTP, got ${JSON.stringify(value)}`);
}

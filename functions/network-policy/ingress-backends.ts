import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap, optionalMapList } from '../../krm/model/shape.js';
import { namespaceKeyOf, type NamespaceKey } from './namespaces.js';

/** A Service an Ingress routes to, and which of its ports (a number or name; undefined: all). */
export interface IngressBackend {
  namespace: NamespaceKey;
  service: string;
  port?: number | string;
}

const INGRESS_API_VERSIONS = new Set(['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1']);

/** Every Service backend of every Ingress in the stream (default backend and rule paths). */
export function ingressBackendsOf(resources: readonly Resource[]): IngressBackend[] {
  const backends: IngressBackend[] = [];
  for (const ingress of resources) {
    if (ingress.kind !== 'Ingress' || !INGRESS_API_VERSIONS.has(ingress.apiVersion)) continue;
    const namespace = namespaceKeyOf(ingress);
    const add = (path: Path, value: unknown): void => {
      const backend = readBackend(ingress, path, value);
      if (backend) backends.push({ namespace, ...backend });
    };
    const spec = optionalMap(ingress, ['spec'], ingress.object.spec) ?? {};
    add(['spec', 'defaultBackend'], spec.defaultBackend);
    add(['spec', 'backend'], spec.backend); // v1beta1
    (optionalMapList(ingress, ['spec', 'rules'], spec.rules) ?? []).forEach((rule, ruleIndex) => {
      const httpPath: Path = ['spec', 'rules', ruleIndex, 'http'];
      const http = optionalMap(ingress, httpPath, rule.http);
      (optionalMapList(ingress, [...httpPath, 'paths'], http?.paths) ?? []).forEach((entry, pathIndex) => {
        add([...httpPath, 'paths', pathIndex, 'backend'], entry.backend);
      });
    });
  }
  return backends;
}

function readBackend(ingress: Resource, path: Path, value: unknown): Omit<IngressBackend, 'namespace'> | undefined {
  const backend = optionalMap(ingress, path, value);
  if (!backend) return undefined;
  // networking.k8s.io/v1: service: {name, port: {number | name}}
  const service = optionalMap(ingress, [...path, 'service'], backend.service);
  if (service) {
    if (typeof service.name !== 'string') throw ingress.errorAt([...path, 'service', 'name'], `expected a Service name, got ${describeValue(service.name)}`);
    const port = optionalMap(ingress, [...path, 'service', 'port'], service.port);
    const read: Omit<IngressBackend, 'namespace'> = { service: service.name };
    if (typeof port?.number === 'number') read.port = port.number;
    else if (typeof port?.name === 'string') read.port = port.name;
    return read;
  }
  // v1beta1: serviceName, servicePort (number or name)
  if (backend.serviceName !== undefined) {
    if (typeof backend.serviceName !== 'string') throw ingress.errorAt([...path, 'serviceName'], `expected a Service name, got ${describeValue(backend.serviceName)}`);
    const read: Omit<IngressBackend, 'namespace'> = { service: backend.serviceName };
    if (typeof backend.servicePort === 'number' || typeof backend.servicePort === 'string') read.port = backend.servicePort;
    return read;
  }
  return undefined; // a `resource` backend: no pods to allow
}

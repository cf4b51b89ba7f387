import type { Path } from '../../krm/base/path.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap, optionalMapList } from '../../krm/model/shape.js';

/** A Service the API server calls: a webhook, an aggregated API, a CRD conversion webhook. */
export interface ControlPlaneCall {
  name: string;
  namespace?: string;
  /** The Service port it calls (443 unless the reference says otherwise). */
  port: number;
  /** The object that names it, for the reason a rule gives. */
  caller: Resource;
}

const WEBHOOK_KINDS = new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);

/** Every Service the API server is told to call by the stream's admission, aggregation and conversion config. */
export function controlPlaneCallsOf(resources: readonly Resource[]): ControlPlaneCall[] {
  const calls: ControlPlaneCall[] = [];
  const read = (resource: Resource, path: Path, value: unknown): void => {
    const service = optionalMap(resource, path, value);
    if (!service || typeof service.name !== 'string') return;
    const call: ControlPlaneCall = { name: service.name, port: typeof service.port === 'number' ? service.port : 443, caller: resource };
    if (typeof service.namespace === 'string' && service.namespace !== '') call.namespace = service.namespace;
    calls.push(call);
  };
  for (const resource of resources) {
    if (WEBHOOK_KINDS.has(resource.kind) && resource.group === 'admissionregistration.k8s.io') {
      (optionalMapList(resource, ['webhooks'], resource.object.webhooks) ?? []).forEach((webhook, index) => {
        const clientConfig = optionalMap(resource, ['webhooks', index, 'clientConfig'], webhook.clientConfig);
        read(resource, ['webhooks', index, 'clientConfig', 'service'], clientConfig?.service);
      });
    } else if (resource.kind === 'APIService' && resource.group === 'apiregistration.k8s.io') {
      const spec = optionalMap(resource, ['spec'], resource.object.spec);
      read(resource, ['spec', 'service'], spec?.service);
    } else if (resource.kind === 'CustomResourceDefinition' && resource.group === 'apiextensions.k8s.io') {
      const spec = optionalMap(resource, ['spec'], resource.object.spec);
      const conversion = optionalMap(resource, ['spec', 'conversion'], spec?.conversion);
      const webhook = optionalMap(resource, ['spec', 'conversion', 'webhook'], conversion?.webhook);
      const clientConfig = optionalMap(resource, ['spec', 'conversion', 'webhook', 'clientConfig'], webhook?.clientConfig);
      read(resource, ['spec', 'conversion', 'webhook', 'clientConfig', 'service'], clientConfig?.service);
      // apiextensions.k8s.io/v1beta1
      const legacy = optionalMap(resource, ['spec', 'conversion', 'webhookClientConfig'], conversion?.webhookClientConfig);
      read(resource, ['spec', 'conversion', 'webhookClientConfig', 'service'], legacy?.service);
    }
  }
  return calls;
}

/** Services the outside reaches directly: LoadBalancer, NodePort, or with externalIPs. */
export function isExternallyExposed(service: Resource): boolean {
  const spec = optionalMap(service, ['spec'], service.object.spec) ?? {};
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
}

import { defineFunction, type FunctionContext } from '../../krm/function.js';
import { networkPolicyOptions, parseNetworkPolicyConfig, type NetworkPolicyConfig } from './config.js';
import { isGenerated, PolicyIndex } from './existing-policies.js';
import { ingressBackendsOf } from './ingress-backends.js';
import { namespacesOf } from './namespaces.js';
import { indexBackends, planPolicies, serve } from './plan.js';
import { renderPolicy } from './policy.js';
import { ServiceIndex } from './services.js';
import { workloadsOf } from './workloads.js';

function run(context: FunctionContext<NetworkPolicyConfig>): void {
  const { config, resources } = context;
  const namespaces = namespacesOf(resources, (resource) => context.inScope(resource));
  const services = new ServiceIndex(resources);
  const backends = indexBackends(ingressBackendsOf(resources));
  const served = workloadsOf(context).map((workload) => serve(workload, services.targeting(workload), backends));

  const existing = new PolicyIndex(resources);
  for (const policy of planPolicies(config, namespaces, served)) {
    const found = existing.named(policy.namespace, policy.name);
    if (!found) {
      context.add(renderPolicy(policy));
    } else if (!isGenerated(found)) {
      context.report({
        severity: 'info',
        message: `a NetworkPolicy named ${policy.name} is already in the stream; the ${policy.rule} policy was not generated`,
        resource: found,
      });
    }
  }

  if (!config.defaultDeny.includes('Ingress')) return;
  // Read again: the stream now holds the policies just generated.
  const policies = new PolicyIndex(context.resources);
  for (const { workload, services: targeting } of served) {
    if (targeting.length === 0 || policies.allowsIngressTo(workload)) continue;
    const names = targeting.map(({ service }) => service.name).join(', ');
    context.report({
      severity: 'warning',
      message: `receives no ingress under default-deny Ingress, although Service ${names} targets it: enable allowSameNamespace, route an Ingress to it, or declare a flow to it`,
      resource: workload.resource,
    });
  }
}

export const networkPolicy = defineFunction<NetworkPolicyConfig>({
  name: 'network-policy',
  kind: 'NetworkPolicies',
  summary: 'Generate NetworkPolicies: default deny per namespace, DNS egress, ingress on Service ports from the same namespace, the ingress controller and declared tier flows.',
  example: [
    'apiVersion: krmkit.dev/v1alpha1',
    'kind: NetworkPolicies',
    'defaultDeny: [Ingress, Egress]',
    'allowDNS: true',
    'flows:',
    '- from: {podSelector: {tier: frontend}}',
    '  to: {podSelector: {tier: backend}}',
    '  ports: [8080]',
  ].join('\n'),
  options: networkPolicyOptions,
  parseConfig: parseNetworkPolicyConfig,
  run,
});

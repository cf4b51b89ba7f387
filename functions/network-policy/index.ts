import { defineFunction, type FunctionContext } from '../../krm/function/function.js';
import { networkPolicyCommonOptionDocs, networkPolicyOptions, parseNetworkPolicyConfig, type NetworkPolicyConfig } from './config.js';
import { deriveEvidence, ingressControllersOf } from './evidence.js';
import { isGenerated, PolicyIndex } from './existing-policies.js';
import { ingressBackendsOf } from './ingress-backends.js';
import { configuredGrants, indexBackends, planNamespacePolicies, planWorkloadPolicies, serve } from './plan.js';
import { renderPolicy } from './policy.js';
import { ServiceIndex } from './services.js';
import { workloadsOf } from './workloads.js';

function run(context: FunctionContext<NetworkPolicyConfig>): void {
  const { config, resources } = context;
  if (config.defaultDeny.length === 0) return;
  const services = new ServiceIndex(resources);
  const backends = indexBackends(ingressBackendsOf(resources));
  const workloads = workloadsOf(context);
  const served = workloads.map((workload) => serve(workload, services.targeting(workload), backends));
  const controllers = ingressControllersOf(config, resources, workloads);
  const evidence = deriveEvidence(config, resources, served, controllers);
  const grants = [...configuredGrants(config, served, controllers), ...evidence.grants];

  const ownedNamespaces = resources.filter((resource) => resource.kind === 'Namespace' && resource.apiVersion === 'v1' && context.inScope(resource));
  const existing = new PolicyIndex(resources);
  for (const policy of [...planNamespacePolicies(config, ownedNamespaces), ...planWorkloadPolicies(config, served, grants)]) {
    const found = existing.named(policy.namespace, policy.name);
    if (!found) {
      context.add(renderPolicy(policy));
    } else if (!isGenerated(found)) {
      context.report({ severity: 'info', message: `a NetworkPolicy named ${policy.name} is already in the stream; the ${policy.rule} policy was not generated`, resource: found });
    }
  }

  for (const { workload, message } of evidence.unresolved) context.report({ severity: 'warning', message, resource: workload.resource });

  if (!config.defaultDeny.includes('Ingress')) return;
  // Read again: the stream now holds the policies just generated.
  const policies = new PolicyIndex(context.resources);
  for (const { workload, services: targeting } of served) {
    if (targeting.length === 0 || policies.allowsIngressTo(workload)) continue;
    const names = targeting.map(({ service }) => service.name).join(', ');
    context.report({
      severity: 'warning',
      message: `receives no ingress under default-deny Ingress, although Service ${names} targets it, and nothing in the stream names it: declare flows: [{from: {podSelector: {…}}, to: {podSelector: ${JSON.stringify(workload.podSelector.matchLabels ?? {})}}, ports: […]}], route an Ingress to it, or enable allowSameNamespace`,
      resource: workload.resource,
    });
  }
}

export const networkPolicy = defineFunction({
  name: 'network-policy',
  kind: 'NetworkPolicies',
  summary:
    'Generate one NetworkPolicy per workload of the stream (<workload>-<kind>): default deny, with the traffic the stream implies allowed — DNS, Services named in env/args/config, webhooks and APIServices from the control plane, the API server and kubelets from RBAC, LoadBalancer/NodePort ingress, Ingress backends and declared flows.',
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
  commonOptionDocs: networkPolicyCommonOptionDocs,
  parseConfig: parseNetworkPolicyConfig,
  run,
});

import type { Resource } from '../../krm/resource.js';
import { optionalList, optionalMap, optionalStringList } from '../../krm/shape.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from './names.js';
import { namespaceKeyOf, type NamespaceKey } from './namespaces.js';
import { matchesSelector, readLabelSelector } from './selectors.js';
import type { Workload } from './workloads.js';

export function isNetworkPolicy(resource: Resource): boolean {
  return resource.kind === 'NetworkPolicy' && resource.group === 'networking.k8s.io';
}

/** The NetworkPolicy of that namespace and name already in the stream, if any. */
export function existingPolicy(resources: readonly Resource[], namespace: NamespaceKey, name: string): Resource | undefined {
  return resources.find((resource) => isNetworkPolicy(resource) && namespaceKeyOf(resource) === namespace && resource.name === name);
}

export function isGenerated(policy: Resource): boolean {
  return policy.labels[MANAGED_BY_LABEL] === MANAGED_BY;
}

/**
 * Whether some NetworkPolicy of the stream (the chart's own or a generated one) selects the
 * workload's pods and lets at least some ingress through.
 */
export function allowsIngressTo(resources: readonly Resource[], workload: Workload): boolean {
  return resources.some((policy) => {
    if (!isNetworkPolicy(policy) || namespaceKeyOf(policy) !== workload.namespace) return false;
    const spec = optionalMap(policy, ['spec'], policy.object.spec) ?? {};
    const selector = readLabelSelector(policy, ['spec', 'podSelector'], spec.podSelector) ?? {};
    if (!matchesSelector(workload.podLabels, selector)) return false;
    const types = optionalStringList(policy, ['spec', 'policyTypes'], spec.policyTypes);
    if (types && !types.includes('Ingress')) return false;
    return (optionalList(policy, ['spec', 'ingress'], spec.ingress) ?? []).length > 0;
  });
}

import type { Resource } from '../../krm/resource.js';
import { optionalList, optionalMap, optionalStringList } from '../../krm/shape.js';
import { isGeneratedObject } from '../../krm/generated-object.js';
import { namespaceKeyOf, type NamespaceKey } from './namespaces.js';
import { matchesSelector, readLabelSelector, type LabelSelector } from './selectors.js';
import type { Workload } from './workloads.js';

export function isNetworkPolicy(resource: Resource): boolean {
  return resource.kind === 'NetworkPolicy' && resource.group === 'networking.k8s.io';
}

export function isGenerated(policy: Resource): boolean {
  return isGeneratedObject(policy);
}

/** Policies that let some ingress through, and the pods they apply to. */
interface IngressPolicy {
  selector: LabelSelector;
}

/**
 * The NetworkPolicies of a stream, read once: by name (to never duplicate one) and, for
 * those that let some ingress through, by a `key=value` of their podSelector (to tell quickly
 * whether any reaches a workload). Policies selecting by expressions only, or every pod, are
 * checked against each workload.
 */
export class PolicyIndex {
  private readonly byName = new Map<string, Resource>();
  private readonly ingressByLabel = new Map<string, IngressPolicy[]>();
  private readonly ingressOthers = new Map<NamespaceKey, IngressPolicy[]>();

  constructor(resources: readonly Resource[]) {
    for (const policy of resources) {
      if (!isNetworkPolicy(policy)) continue;
      const namespace = namespaceKeyOf(policy);
      const nameKey = JSON.stringify([namespace, policy.name]);
      if (!this.byName.has(nameKey)) this.byName.set(nameKey, policy);

      const spec = optionalMap(policy, ['spec'], policy.object.spec) ?? {};
      const selector = readLabelSelector(policy, ['spec', 'podSelector'], spec.podSelector) ?? {};
      const types = optionalStringList(policy, ['spec', 'policyTypes'], spec.policyTypes);
      const rules = optionalList(policy, ['spec', 'ingress'], spec.ingress) ?? [];
      if ((types && !types.includes('Ingress')) || rules.length === 0) continue;
      const first = Object.entries(selector.matchLabels ?? {})[0];
      const [map, key] = first ? [this.ingressByLabel, JSON.stringify([namespace, first[0], first[1]])] : [this.ingressOthers, namespace];
      const list = map.get(key) ?? [];
      list.push({ selector });
      map.set(key, list);
    }
  }

  /** The NetworkPolicy of that namespace and name already in the stream, if any. */
  named(namespace: NamespaceKey, name: string): Resource | undefined {
    return this.byName.get(JSON.stringify([namespace, name]));
  }

  /** Whether some policy (the chart's own or a generated one) selects the workload's pods and lets some ingress through. */
  allowsIngressTo(workload: Workload): boolean {
    const candidates = [...(this.ingressOthers.get(workload.namespace) ?? [])];
    for (const [key, value] of Object.entries(workload.podLabels)) {
      candidates.push(...(this.ingressByLabel.get(JSON.stringify([workload.namespace, key, value])) ?? []));
    }
    return candidates.some((policy) => matchesSelector(workload.podLabels, policy.selector));
  }
}

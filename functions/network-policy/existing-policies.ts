import type { Resource } from '../../krm/model/resource.js';
import { optionalList, optionalMap, optionalStringList } from '../../krm/model/shape.js';
import { isGeneratedObject } from '../../krm/model/generated-object.js';
import { mayShareNamespace, namespaceKeyOf, type NamespaceKey } from './namespaces.js';
import { matchesSelector, type LabelSelector } from '../../krm/kube/label-selector.js';
import { readLabelSelector } from '../../krm/kube/read-label-selector.js';
import type { Workload } from './workloads.js';

export function isNetworkPolicy(resource: Resource): boolean {
  return resource.kind === 'NetworkPolicy' && resource.group === 'networking.k8s.io';
}

export function isGenerated(policy: Resource): boolean {
  return isGeneratedObject(policy);
}

/** Policies that let some ingress through, and the pods they apply to. */
interface IngressPolicy {
  namespace: NamespaceKey;
  selector: LabelSelector;
}

/**
 * The NetworkPolicies of a stream, read once: by name (to never duplicate one) and, for
 * those that let some ingress through, by a `key=value` of their podSelector (to tell quickly
 * whether any reaches a workload). Policies selecting by expressions only, or every pod, are
 * checked against each workload.
 */
export class PolicyIndex {
  private readonly byName = new Map<string, Resource[]>();
  private readonly ingressByLabel = new Map<string, IngressPolicy[]>();
  private readonly ingressOthers: IngressPolicy[] = [];

  constructor(resources: readonly Resource[]) {
    for (const policy of resources) {
      if (!isNetworkPolicy(policy)) continue;
      const namespace = namespaceKeyOf(policy);
      this.byName.set(policy.name, [...(this.byName.get(policy.name) ?? []), policy]);

      const spec = optionalMap(policy, ['spec'], policy.object.spec) ?? {};
      const selector = readLabelSelector(policy, ['spec', 'podSelector'], spec.podSelector) ?? {};
      const types = optionalStringList(policy, ['spec', 'policyTypes'], spec.policyTypes);
      const rules = optionalList(policy, ['spec', 'ingress'], spec.ingress) ?? [];
      if ((types && !types.includes('Ingress')) || rules.length === 0) continue;
      const first = Object.entries(selector.matchLabels ?? {})[0];
      if (!first) {
        this.ingressOthers.push({ namespace, selector });
        continue;
      }
      const key = JSON.stringify(first);
      this.ingressByLabel.set(key, [...(this.ingressByLabel.get(key) ?? []), { namespace, selector }]);
    }
  }

  /** A NetworkPolicy of that name already in the stream that may land in the same namespace, if any. */
  named(namespace: NamespaceKey, name: string): Resource | undefined {
    return (this.byName.get(name) ?? []).find((policy) => mayShareNamespace(namespaceKeyOf(policy), namespace));
  }

  /** Whether some policy (the chart's own or a generated one) selects the workload's pods and lets some ingress through. */
  allowsIngressTo(workload: Workload): boolean {
    const candidates = [...this.ingressOthers];
    for (const entry of Object.entries(workload.podLabels)) candidates.push(...(this.ingressByLabel.get(JSON.stringify(entry)) ?? []));
    return candidates.some((policy) => mayShareNamespace(policy.namespace, workload.namespace) && matchesSelector(workload.podLabels, policy.selector));
  }
}

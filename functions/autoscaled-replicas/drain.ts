import type { PodTemplate } from '../../krm/kube/pod-template.js';
import { optionalList, optionalMap } from '../../krm/model/shape.js';
import { fewestPodsThroughADrain, type Budget } from '../pod-disruption-budget/budgets.js';

/** What asks for a minimum replica count during a node drain, and that count. */
export interface DrainNeed {
  pods: number;
  reason: string;
}

/**
 * The fewest replicas a workload needs so that a node drain evicts one pod and another stays
 * available. Required pod anti-affinity puts every pod on its own node, so a drain always takes
 * one whole replica: two are needed. A budget needs enough pods that it allows an eviction and
 * leaves one (maxUnavailable 1: 2; minAvailable 2: 3). Undefined when nothing asks.
 */
export function drainNeed(template: PodTemplate, budgets: readonly Budget[]): DrainNeed | undefined {
  const needs: DrainNeed[] = [];
  if (hasRequiredAntiAffinity(template)) needs.push({ pods: 2, reason: 'required pod anti-affinity' });
  for (const budget of budgets) {
    if (!budget.disruption) continue;
    const [field, value] = Object.entries(budget.disruption)[0] as [string, unknown];
    needs.push({ pods: fewestPodsThroughADrain(budget.disruption), reason: `PodDisruptionBudget ${budget.resource.name} (${field}: ${String(value)})` });
  }
  return needs.reduce<DrainNeed | undefined>((most, need) => (most === undefined || need.pods > most.pods ? need : most), undefined);
}

function hasRequiredAntiAffinity(template: PodTemplate): boolean {
  const { resource, spec, specPath } = template;
  const affinity = optionalMap(resource, [...specPath, 'affinity'], spec.affinity);
  const anti = optionalMap(resource, [...specPath, 'affinity', 'podAntiAffinity'], affinity?.podAntiAffinity);
  const required = optionalList(resource, [...specPath, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'], anti?.requiredDuringSchedulingIgnoredDuringExecution);
  return (required ?? []).length > 0;
}

import { generatedMetadata, generatedName } from '../../krm/model/generated-object.js';
import type { KubeObject } from '../../krm/model/resource.js';
import { renderSelector, type LabelSelector } from '../../krm/kube/label-selector.js';
import type { PodDisruptionBudgetConfig } from './config.js';
import type { Workload } from './workloads.js';

/** What a generated budget is called: after the workload it protects (`demo-backend-pdb`). */
export function budgetName(workload: Workload): string {
  return generatedName(workload.resource.name, 'pdb');
}

/**
 * The budget for one workload, selecting exactly its `spec.selector` — the pods its controller
 * owns, nothing more (the disruption controller counts a workload's pods through it). Keys in
 * the order of the Kubernetes docs: the count, selector, unhealthyPodEvictionPolicy.
 */
export function renderBudget(workload: Workload, selector: LabelSelector, config: PodDisruptionBudgetConfig): KubeObject {
  const spec: Record<string, unknown> = { ...config.disruption, selector: renderSelector(selector) };
  if (config.unhealthyPodEvictionPolicy) spec.unhealthyPodEvictionPolicy = config.unhealthyPodEvictionPolicy;
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { ...generatedMetadata(workload.resource, budgetName(workload)) }, spec };
}

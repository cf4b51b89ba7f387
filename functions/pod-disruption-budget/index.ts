import { defineFunction, type FunctionContext } from '../../krm/function/function.js';
import { isGeneratedObject } from '../../krm/model/generated-object.js';
import { ReplicaCounter } from '../anti-affinity/replicas.js';
import { isSpreadable } from '../anti-affinity/workload.js';
import { budgetName, renderBudget } from './budget.js';
import { allowedEvictions, BudgetIndex, type Budget } from './budgets.js';
import { FUNCTION_NAME, parsePodDisruptionBudgetConfig, podDisruptionBudgetCommonOptionDocs, podDisruptionBudgetOptions, type PodDisruptionBudgetConfig } from './config.js';
import { workloadsOf } from './workloads.js';

function run(context: FunctionContext<PodDisruptionBudgetConfig>): void {
  const { config } = context;
  const replicas = new ReplicaCounter(context.lookup);
  const budgets = new BudgetIndex(context.lookup);
  const names = new Set(context.lookup.ofKind('policy', 'PodDisruptionBudget').map((budget) => nameKey(budget.namespace ?? '', budget.name)));
  const workloads = workloadsOf(context);

  for (const workload of workloads) {
    const { resource } = workload;
    // DaemonSets, Jobs, CronJobs and PodTemplates: no replicas a drain must keep some of.
    if (!isSpreadable(resource)) continue;
    // No spec.replicas and no HPA here: the count is set outside the stream (kubectl scale, an
    // autoscaler installed apart). A maxUnavailable budget is safe at any count, so it is given one.
    const unknownCount = resource.get(['spec', 'replicas']) === undefined && !replicas.autoscalerOf(resource);
    const pods = replicas.minimumPods(resource);
    if (pods < config.minReplicas && !unknownCount) continue;

    const covering = budgets.selecting(workload.namespace, workload.podLabels);
    if (covering.length > 0) {
      if (!covering.some((budget) => isGeneratedObject(budget.resource))) {
        context.report({ severity: 'info', message: `already covered by PodDisruptionBudget ${list(covering)}; no budget generated`, resource });
      }
      continue;
    }
    if (!workload.selector) {
      context.report({
        severity: 'warning',
        message: 'no spec.selector to select its pods by; no PodDisruptionBudget generated (add a spec.selector, or exclude the workload from pod-disruption-budget)',
        resource,
        field: workload.selectorPath,
      });
      continue;
    }
    if (unknownCount && 'minAvailable' in config.disruption) {
      context.report({
        severity: 'warning',
        message: `spec.replicas is not set, so how many pods run is decided outside the stream and minAvailable ${String(config.disruption.minAvailable)} could block every node drain; no PodDisruptionBudget generated (set spec.replicas, use maxUnavailable, or exclude the workload from pod-disruption-budget)`,
        resource,
        field: ['spec', 'replicas'],
      });
      continue;
    }
    if (allowedEvictions(config.disruption, pods) === 0) {
      context.report({
        severity: 'warning',
        message: `with ${pods} pod(s), minAvailable ${String((config.disruption as { minAvailable: unknown }).minAvailable)} would let no node drain evict any of them; no PodDisruptionBudget generated (raise the replica count or the HPA's minReplicas, or set maxUnavailable instead)`,
        resource,
      });
      continue;
    }
    const name = budgetName(workload);
    if (names.has(nameKey(workload.namespace, name))) {
      context.report({
        severity: 'warning',
        message: `a PodDisruptionBudget named ${name} is already in the stream but does not select this workload's pods; none generated (rename one, or exclude the workload from pod-disruption-budget)`,
        resource,
      });
      continue;
    }
    budgets.add(context.add(renderBudget(workload, workload.selector, config)));
    names.add(nameKey(workload.namespace, name));
  }

  // Two budgets over one pod make the eviction API refuse to evict it at all: a drain stalls.
  for (const workload of workloads) {
    const selecting = budgets.selecting(workload.namespace, workload.podLabels);
    if (selecting.length < 2) continue;
    context.report({
      severity: 'warning',
      message: `its pods are selected by ${selecting.length} PodDisruptionBudgets (${list(selecting)}): the eviction API refuses to evict a pod that more than one budget covers, so node drains stall; keep one budget per workload`,
      resource: workload.resource,
    });
  }
}

function list(budgets: readonly Budget[]): string {
  return budgets
    .map((budget) => budget.resource.name)
    .sort()
    .join(', ');
}

function nameKey(namespace: string, name: string): string {
  return JSON.stringify([namespace, name]);
}

export const podDisruptionBudget = defineFunction({
  name: FUNCTION_NAME,
  kind: 'PodDisruptionBudgets',
  summary: "Generate a policy/v1 PodDisruptionBudget per replicated workload, selecting exactly its spec.selector, so node drains keep replicas running.",
  example: ['apiVersion: krmkit.dev/v1alpha1', 'kind: PodDisruptionBudgets', 'maxUnavailable: 1', 'unhealthyPodEvictionPolicy: AlwaysAllow'].join('\n'),
  options: podDisruptionBudgetOptions,
  commonOptionDocs: podDisruptionBudgetCommonOptionDocs,
  parseConfig: parsePodDisruptionBudgetConfig,
  run,
});

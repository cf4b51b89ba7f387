import { defineFunction, type FunctionContext } from '../../krm/function/function.js';
import { ReplicaCounter } from '../anti-affinity/replicas.js';
import { BudgetIndex } from '../pod-disruption-budget/budgets.js';
import { workloadsOf } from '../pod-disruption-budget/workloads.js';
import { autoscaledReplicasCommonOptionDocs, autoscaledReplicasOptions, FUNCTION_NAME, parseAutoscaledReplicasConfig, type AutoscaledReplicasConfig } from './config.js';
import { drainNeed } from './drain.js';

const REPLICAS = ['spec', 'replicas'];

function run(context: FunctionContext<AutoscaledReplicasConfig>): void {
  const replicas = new ReplicaCounter(context.lookup);
  const budgets = new BudgetIndex(context.lookup);
  for (const workload of workloadsOf(context)) {
    const { resource } = workload;
    const autoscaler = replicas.autoscalerOf(resource);
    if (!autoscaler) continue;
    const hpa = autoscaler.resource;

    const fixed = resource.get(REPLICAS);
    if (fixed !== undefined) {
      // Every apply of a fixed count resets the replicas the HPA chose (helm upgrade scales a busy service down).
      resource.delete(REPLICAS);
      context.report({
        severity: 'info',
        message: `removed spec.replicas (${JSON.stringify(fixed)}): HorizontalPodAutoscaler ${hpa.name} owns the replica count`,
        resource,
        field: REPLICAS,
        currentValue: fixed,
      });
    }

    const template = context.podTemplateOf(resource);
    const need = template ? drainNeed(template, budgets.selecting(workload.namespace, workload.podLabels)) : undefined;
    if (need && autoscaler.minReplicas < need.pods) {
      context.report({
        severity: 'warning',
        message: `HorizontalPodAutoscaler ${hpa.name} may scale ${resource.kind} ${resource.name} down to ${autoscaler.minReplicas} replica(s), but its ${need.reason} needs ${need.pods} for a replica to stay available during a node drain: set the HPA's spec.minReplicas to ${need.pods}`,
        resource: hpa,
        field: ['spec', 'minReplicas'],
        currentValue: autoscaler.minReplicas,
        proposedValue: need.pods,
      });
    }
  }
}

export const autoscaledReplicas = defineFunction({
  name: FUNCTION_NAME,
  kind: 'AutoscaledReplicas',
  summary: 'Remove spec.replicas from workloads a HorizontalPodAutoscaler in the stream targets, so upgrades stop resetting the count it chose; warn when its minReplicas leaves no replica through a drain.',
  example: ['apiVersion: krmkit.dev/v1alpha1', 'kind: AutoscaledReplicas'].join('\n'),
  options: autoscaledReplicasOptions,
  commonOptionDocs: autoscaledReplicasCommonOptionDocs,
  parseConfig: parseAutoscaledReplicasConfig,
  run,
});

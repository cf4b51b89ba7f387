import type { FunctionContext } from '../../krm/function/function.js';
import type { PodTemplate } from '../../krm/kube/pod-template.js';
import type { Resource } from '../../krm/model/resource.js';
import { HOSTNAME_TOPOLOGY_KEY, type AntiAffinityConfig } from './config.js';
import type { ReplicaCounter } from './replicas.js';
import { allowOneUnavailable, resolvedMaxUnavailable, rollingUpdateOf } from './rollout.js';

type Context = FunctionContext<AntiAffinityConfig>;

/** Whether the config asks for one pod per node. */
export function requiresOnePodPerNode(config: AntiAffinityConfig): boolean {
  return config.required.some((term) => term.topologyKey === HOSTNAME_TOPOLOGY_KEY);
}

/**
 * Required hostname anti-affinity runs at most one pod of a workload per node, which the
 * scheduler enforces without exception: pods beyond the node count stay Pending. krmkit knows
 * the replica count, the HPA's maxReplicas and the rollout strategy, so it says what will not
 * fit (or, with `setMaxUnavailable`, makes the rollout fit) before anything reaches a cluster.
 */
export function checkOnePodPerNode(context: Context, template: PodTemplate, replicas: ReplicaCounter): void {
  const workload = template.resource;
  checkCapacity(context, template, replicas);
  if (workload.group === 'apps' && workload.kind === 'Deployment') checkRollout(context, workload, replicas);
}

function checkCapacity(context: Context, template: PodTemplate, replicas: ReplicaCounter): void {
  const workload = template.resource;
  const { maxNodes } = context.config;
  const most = replicas.maximumPods(workload);
  const autoscaler = replicas.autoscalerOf(workload);
  // Unknown node count: a fixed replica count shows its Pending pods at install, an HPA's ceiling only under load, when it hurts.
  const unknownAndScaling = maxNodes === undefined && autoscaler !== undefined && most > replicas.minimumPods(workload);
  const overKnownNodes = maxNodes !== undefined && most > maxNodes;
  if (!unknownAndScaling && !overKnownNodes) return;
  const scaledBy = autoscaler ? `HorizontalPodAutoscaler ${autoscaler.resource.name} (maxReplicas ${most})` : `spec.replicas ${most}`;
  const outcome =
    maxNodes === undefined
      ? `on a cluster with fewer than ${most} nodes the extra pods stay Pending. Set maxNodes (the most nodes the cluster has) to check it`
      : `with maxNodes ${maxNodes}, ${most - maxNodes} pod(s) stay Pending. Lower ${autoscaler ? 'maxReplicas' : 'spec.replicas'} to ${maxNodes}`;
  context.report({
    severity: 'warning',
    message: `${scaledBy} can ask for ${most} pods of this workload, but required anti-affinity on ${HOSTNAME_TOPOLOGY_KEY} runs at most one per node: ${outcome}, or spread with a DoNotSchedule topologySpread on ${HOSTNAME_TOPOLOGY_KEY} instead of required`,
    resource: workload,
    field: [...template.specPath, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'],
  });
}

/**
 * A rollout whose `maxUnavailable` resolves to 0 starts a surge pod before it stops an old one;
 * with one pod per node that pod needs a node the workload does not use yet. The counts where
 * that happens are those from the HPA's minReplicas (or spec.replicas) up; with maxNodes known,
 * a cluster larger than every such count is fine.
 */
function checkRollout(context: Context, deployment: Resource, replicas: ReplicaCounter): void {
  const rolling = rollingUpdateOf(deployment);
  if (!rolling) return;
  const least = replicas.minimumPods(deployment);
  const most = Math.max(least, replicas.maximumPods(deployment));
  let blockedAt: number | undefined;
  for (let count = least; count <= most; count++) {
    if (resolvedMaxUnavailable(rolling, count) === 0) blockedAt = count;
  }
  if (blockedAt === undefined) return;
  const { maxNodes, setMaxUnavailable } = context.config;
  if (maxNodes !== undefined && maxNodes > blockedAt) return;
  const field = ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'];
  const why = `maxUnavailable ${rolling.maxUnavailable} resolves to 0 at ${blockedAt} replica${blockedAt === 1 ? '' : 's'} (maxSurge ${rolling.maxSurge}), so a rollout starts a new pod before it stops an old one, and required anti-affinity on ${HOSTNAME_TOPOLOGY_KEY} gives that pod no node unless the cluster has more than ${blockedAt} node${blockedAt === 1 ? '' : 's'}`;
  if (setMaxUnavailable) {
    allowOneUnavailable(deployment);
    context.report({ severity: 'info', message: `${why}: set maxUnavailable to 1 (setMaxUnavailable)`, resource: deployment, field, proposedValue: 1 });
    return;
  }
  context.report({
    severity: 'warning',
    message: `${why}: the rollout waits forever. Set setMaxUnavailable: true (maxUnavailable 1), set maxNodes if the cluster has more than ${blockedAt} node${blockedAt === 1 ? '' : 's'}, or use a DoNotSchedule topologySpread on ${HOSTNAME_TOPOLOGY_KEY} instead of required`,
    resource: deployment,
    field,
  });
}

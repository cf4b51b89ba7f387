import type { Resource } from '../../krm/model/resource.js';

/**
 * Kinds whose pods are not replicas of one another that a scheduler places side by side:
 * a DaemonSet already runs one pod per node, Jobs and CronJobs run to completion, a bare Pod
 * (or PodTemplate) is one pod. Everything else with a pod template — Deployment, StatefulSet,
 * ReplicaSet, ReplicationController, Argo Rollout, `podTemplateKinds` — is spread.
 */
const NOT_SPREAD: readonly { group: string; kind: string }[] = [
  { group: 'apps', kind: 'DaemonSet' },
  { group: 'batch', kind: 'Job' },
  { group: 'batch', kind: 'CronJob' },
  { group: '', kind: 'Pod' },
  { group: '', kind: 'PodTemplate' },
];

export function isSpreadable(resource: Resource): boolean {
  return !NOT_SPREAD.some((entry) => entry.group === resource.group && entry.kind === resource.kind);
}

/**
 * The pod label that tells one revision of a workload from the next, which topology spread
 * names in `matchLabelKeys` so a rollout is spread on its own instead of around the pods it
 * replaces. The Deployment controller sets `pod-template-hash`; Argo Rollouts sets
 * `rollouts-pod-template-hash` (its ReplicaSets never get `pod-template-hash`). StatefulSet
 * pods carry `controller-revision-hash`, but a StatefulSet replaces pods one by one in place,
 * so counting old and new pods together is right there.
 */
export function revisionLabelKey(resource: Resource): string | undefined {
  if (resource.group === 'apps' && resource.kind === 'Deployment') return 'pod-template-hash';
  if (resource.group === 'argoproj.io' && resource.kind === 'Rollout') return 'rollouts-pod-template-hash';
  return undefined;
}

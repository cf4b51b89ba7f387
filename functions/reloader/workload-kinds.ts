import type { PodTemplateKind } from '../../krm/kube/pod-template.js';
import type { Resource } from '../../krm/model/resource.js';
import type { ReloadMode } from './config.js';

/** The kinds Stakater Reloader restarts (it reads the annotations on their own metadata). */
const RELOADER_KINDS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/CronJob', 'batch/Job', 'argoproj.io/Rollout']);

/**
 * Kinds whose controller rolls the pods when the pod template changes, so a checksum there
 * restarts them. A Job is not one: its template is immutable, and a changed checksum would
 * make the upgrade fail. Bare Pods, ReplicaSets and ReplicationControllers do not roll either.
 * Kinds declared in `podTemplateKinds` are trusted to roll (that is why one declares them).
 */
const ROLLING_KINDS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/CronJob', 'argoproj.io/Rollout']);

export type Eligibility = 'eligible' | 'immutable-template' | 'not-a-workload';

export function eligibility(resource: Resource, mode: ReloadMode, extraKinds: readonly PodTemplateKind[]): Eligibility {
  const id = `${resource.group}/${resource.kind}`;
  if (mode !== 'checksum') return RELOADER_KINDS.has(id) ? 'eligible' : 'not-a-workload';
  if (ROLLING_KINDS.has(id)) return 'eligible';
  if (extraKinds.some((entry) => entry.group === resource.group && entry.kind === resource.kind)) return 'eligible';
  return id === 'batch/Job' ? 'immutable-template' : 'not-a-workload';
}

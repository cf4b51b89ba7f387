import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import type { ResourceLookup } from '../../krm/model/resource-index.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap } from '../../krm/model/shape.js';

/**
 * How many pods a workload can run, at least and at most: at least decides whether spreading
 * it means anything, at most whether required anti-affinity leaves room for all of them. A
 * HorizontalPodAutoscaler that targets the workload owns its replica count, so its
 * `minReplicas` and `maxReplicas` count; otherwise `spec.replicas`, which Kubernetes defaults to 1.
 */
export class ReplicaCounter {
  /** By target: the first HPA in the stream that targets a workload decides, as it always has. */
  private readonly byTarget = new Map<string, Autoscaler>();

  constructor(lookup: ResourceLookup) {
    for (const hpa of lookup.ofKind('autoscaling', 'HorizontalPodAutoscaler')) {
      const autoscaler = readAutoscaler(hpa);
      const key = targetKey(autoscaler.namespace, autoscaler.targetKind, autoscaler.targetName);
      if (!this.byTarget.has(key)) this.byTarget.set(key, autoscaler);
    }
  }

  minimumPods(workload: Resource): number {
    return this.autoscalerOf(workload)?.minReplicas ?? replicasOf(workload);
  }

  maximumPods(workload: Resource): number {
    const autoscaler = this.autoscalerOf(workload);
    if (autoscaler) return autoscaler.maxReplicas ?? autoscaler.minReplicas;
    return replicasOf(workload);
  }

  /** The HorizontalPodAutoscaler in the stream that targets the workload (kind, name, namespace), if any. */
  autoscalerOf(workload: Resource): Autoscaler | undefined {
    return this.byTarget.get(targetKey(workload.namespace, workload.kind, workload.name));
  }
}

export interface Autoscaler {
  resource: Resource;
  namespace: string | undefined;
  targetKind: string;
  targetName: string;
  minReplicas: number;
  /** Undefined when the HPA omits it (the API server would reject it): then only minReplicas is known. */
  maxReplicas: number | undefined;
}

function replicasOf(workload: Resource): number {
  return count(workload, ['spec', 'replicas'], workload.get(['spec', 'replicas'])) ?? 1;
}

function targetKey(namespace: string | undefined, kind: string, name: string): string {
  return JSON.stringify([namespace ?? null, kind, name]);
}

function readAutoscaler(hpa: Resource): Autoscaler {
  const spec = optionalMap(hpa, ['spec'], hpa.object.spec) ?? {};
  const refPath = ['spec', 'scaleTargetRef'];
  const ref = optionalMap(hpa, refPath, spec.scaleTargetRef) ?? {};
  return {
    resource: hpa,
    namespace: hpa.namespace,
    targetKind: requiredString(hpa, [...refPath, 'kind'], ref.kind),
    targetName: requiredString(hpa, [...refPath, 'name'], ref.name),
    // autoscaling/v1 and v2 both default minReplicas to 1.
    minReplicas: count(hpa, ['spec', 'minReplicas'], spec.minReplicas) ?? 1,
    maxReplicas: count(hpa, ['spec', 'maxReplicas'], spec.maxReplicas),
  };
}

function requiredString(resource: Resource, path: Path, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw resource.errorAt(path, `expected a non-empty string, got ${describeValue(value)}`);
  return value;
}

/** A replica count: a whole number ≥ 0. `"3"` is malformed, not three: the API server rejects it too. */
function count(resource: Resource, path: Path, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw resource.errorAt(path, `expected a whole number ≥ 0, got ${describeValue(value)}`);
  }
  return value;
}

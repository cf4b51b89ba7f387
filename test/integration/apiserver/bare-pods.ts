import type { KubeObject } from '../../helpers/objects.js';

/**
 * Every pod template in a stream as the bare Pod a controller would create from it, so that
 * PodSecurity *enforce* judges it (for Deployments and the like the server only warns). A
 * StatefulSet's pods also get the volumes its volumeClaimTemplates add (PVC volumes, which
 * restricted allows: the point is that the pod is judged as it will really run).
 *
 * Written here on purpose instead of reusing krmkit's own pod-template code: the judge must
 * not share the code it judges.
 */
export interface BarePod {
  /** `Deployment/cert-manager/cert-manager-webhook` */
  workload: string;
  pod: KubeObject & { metadata: { name: string; namespace?: string } };
}

type Map = Record<string, unknown>;

const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

function isMap(value: unknown): value is Map {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(object: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, key) => (isMap(value) ? value[key] : undefined), object);
}

export function workloadId(object: KubeObject): string {
  const metadata = isMap(object.metadata) ? object.metadata : {};
  return [object.kind, metadata.namespace, metadata.name].filter((part) => typeof part === 'string' && part !== '').join('/');
}

export function barePods(objects: readonly KubeObject[]): BarePod[] {
  const pods: BarePod[] = [];
  for (const object of objects) {
    const kind = String(object.kind);
    const metadata = isMap(object.metadata) ? object.metadata : {};
    const template = kind === 'Pod' ? object : at(object, TEMPLATE_PATHS[kind] ?? []);
    if (!isMap(template) || (kind !== 'Pod' && !TEMPLATE_PATHS[kind])) continue;
    const spec = structuredClone(isMap(template.spec) ? template.spec : {});
    const templateMetadata = isMap(template.metadata) ? template.metadata : {};
    if (kind === 'StatefulSet') addClaimVolumes(spec, String(metadata.name), at(object, ['spec', 'volumeClaimTemplates']));
    const podMetadata: { name: string; namespace?: string; labels?: unknown; annotations?: unknown } = {
      name: `${kind}-${String(metadata.name)}`.toLowerCase().slice(0, 253),
    };
    if (typeof metadata.namespace === 'string') podMetadata.namespace = metadata.namespace;
    if (templateMetadata.labels !== undefined) podMetadata.labels = templateMetadata.labels;
    if (templateMetadata.annotations !== undefined) podMetadata.annotations = templateMetadata.annotations;
    pods.push({ workload: workloadId(object), pod: { apiVersion: 'v1', kind: 'Pod', metadata: podMetadata, spec } });
  }
  return pods;
}

/** What the StatefulSet controller adds: a PVC volume `<claim>-<set>-<ordinal>` per template not already a volume. */
function addClaimVolumes(spec: Map, setName: string, claimTemplates: unknown): void {
  if (!Array.isArray(claimTemplates)) return;
  const volumes = Array.isArray(spec.volumes) ? (spec.volumes as Map[]) : [];
  for (const claim of claimTemplates) {
    const name = at(claim, ['metadata', 'name']);
    if (typeof name !== 'string' || volumes.some((volume) => volume.name === name)) continue;
    volumes.push({ name, persistentVolumeClaim: { claimName: `${name}-${setName}-0` } });
  }
  spec.volumes = volumes;
}

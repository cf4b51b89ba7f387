import { describeValue } from '../base/messages.js';
import { getAt, isPlainMap, type Path } from '../base/path.js';
import type { Resource } from '../model/resource.js';

/** A kind that embeds a pod template, and where: `path` leads to the object holding `metadata` and `spec`. */
export interface PodTemplateKind {
  group: string;
  kind: string;
  path: Path;
}

export const BUILT_IN_POD_TEMPLATE_KINDS: readonly PodTemplateKind[] = [
  { group: '', kind: 'Pod', path: [] },
  { group: '', kind: 'PodTemplate', path: ['template'] },
  { group: '', kind: 'ReplicationController', path: ['spec', 'template'] },
  { group: 'apps', kind: 'Deployment', path: ['spec', 'template'] },
  { group: 'apps', kind: 'StatefulSet', path: ['spec', 'template'] },
  { group: 'apps', kind: 'DaemonSet', path: ['spec', 'template'] },
  { group: 'apps', kind: 'ReplicaSet', path: ['spec', 'template'] },
  { group: 'batch', kind: 'Job', path: ['spec', 'template'] },
  { group: 'batch', kind: 'CronJob', path: ['spec', 'jobTemplate', 'spec', 'template'] },
  { group: 'argoproj.io', kind: 'Rollout', path: ['spec', 'template'] },
];

/** The pod template inside a workload: where it is, and its (validated) spec. */
export interface PodTemplate {
  resource: Resource;
  /** Path to the object with `metadata` and `spec` (`[]` for a Pod). */
  path: Path;
  metadataPath: Path;
  specPath: Path;
  spec: Record<string, unknown>;
}

/**
 * Finds the pod template of any workload kind, built in or declared in config
 * (`podTemplateKinds`). Undefined for kinds without one, or a workload whose template is
 * absent (an Argo Rollout with `workloadRef`); an error when it is there but malformed.
 */
export function podTemplateOf(resource: Resource, extraKinds: readonly PodTemplateKind[] = []): PodTemplate | undefined {
  const entry = findKind(resource, extraKinds);
  if (!entry) return undefined;
  const template = getAt(resource.object, entry.path);
  if (template === undefined || template === null) return undefined;
  if (!isPlainMap(template)) throw resource.errorAt(entry.path, `expected a pod template (a mapping), got ${describeValue(template)}`);
  const specPath = [...entry.path, 'spec'];
  const spec = template.spec;
  if (spec === undefined || spec === null) return undefined;
  if (!isPlainMap(spec)) throw resource.errorAt(specPath, `expected a pod spec (a mapping), got ${describeValue(spec)}`);
  const metadata = template.metadata;
  if (metadata !== undefined && metadata !== null && !isPlainMap(metadata)) {
    throw resource.errorAt([...entry.path, 'metadata'], `expected a mapping, got ${describeValue(metadata)}`);
  }
  return { resource, path: entry.path, metadataPath: [...entry.path, 'metadata'], specPath, spec };
}

/** Where a kind keeps its pod template, without reading it; undefined for kinds without one. */
export function podTemplatePathOf(resource: Resource, extraKinds: readonly PodTemplateKind[] = []): Path | undefined {
  return findKind(resource, extraKinds)?.path;
}

function findKind(resource: Resource, extraKinds: readonly PodTemplateKind[]): PodTemplateKind | undefined {
  const group = resource.group;
  const kind = resource.kind;
  return (
    extraKinds.find((entry) => entry.kind === kind && entry.group === group) ??
    BUILT_IN_POD_TEMPLATE_KINDS.find((entry) => entry.kind === kind && entry.group === group)
  );
}

export type ContainerListName = 'containers' | 'initContainers' | 'ephemeralContainers';

export const ALL_CONTAINER_LISTS: readonly ContainerListName[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** One container of a pod template, with the path to edit it by. */
export interface ContainerRef {
  list: ContainerListName;
  index: number;
  name: string;
  path: Path;
  container: Record<string, unknown>;
}

/** The containers of the given lists, validated: each list a list, each entry a mapping. */
export function containersOf(template: PodTemplate, lists: readonly ContainerListName[] = ['containers', 'initContainers']): ContainerRef[] {
  const refs: ContainerRef[] = [];
  for (const list of lists) {
    const value = template.spec[list];
    if (value === undefined || value === null) continue;
    const listPath = [...template.specPath, list];
    if (!Array.isArray(value)) throw template.resource.errorAt(listPath, `expected a list of containers, got ${describeValue(value)}`);
    value.forEach((container: unknown, index) => {
      const path = [...listPath, index];
      if (!isPlainMap(container)) throw template.resource.errorAt(path, `expected a container (a mapping), got ${describeValue(container)}`);
      const name = container.name;
      if (name !== undefined && typeof name !== 'string') throw template.resource.errorAt([...path, 'name'], `expected a string, got ${describeValue(name)}`);
      refs.push({ list, index, name: name ?? '', path, container });
    });
  }
  return refs;
}

/** Windows pods must not get Linux-only fields such as seccomp or runAsUser. */
export function isWindowsPod(template: PodTemplate): boolean {
  const os = template.spec.os;
  return isPlainMap(os) && os.name === 'windows';
}

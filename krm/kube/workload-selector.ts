import { isPlainMap, type Path } from '../base/path.js';
import type { Resource } from '../model/resource.js';
import { isEmptySelector, selectorFromLabels, type LabelSelector } from './label-selector.js';
import { readLabels } from './labels.js';
import { readLabelSelector } from './read-label-selector.js';

/** Where a resource's own selector of its pods is, and the form Kubernetes gives it there. */
export interface SelectorLocation {
  path: Path;
  /** `labelSelector`: matchLabels and matchExpressions; `labelMap`: a bare label map. */
  form: 'labelSelector' | 'labelMap';
}

interface KindRef {
  group: string;
  kind: string;
}

/** The older APIs whose selector is a bare label map. */
const LABEL_MAP_KINDS: readonly KindRef[] = [
  { group: '', kind: 'ReplicationController' },
  { group: '', kind: 'Service' },
];

/** Built-in workloads (and Argo Rollout) whose selector, beside their pod template, is a LabelSelector. */
const LABEL_SELECTOR_KINDS: readonly KindRef[] = [
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'apps', kind: 'DaemonSet' },
  { group: 'apps', kind: 'ReplicaSet' },
  { group: 'batch', kind: 'Job' },
  { group: 'batch', kind: 'CronJob' },
  { group: 'argoproj.io', kind: 'Rollout' },
];

/**
 * Where a workload's selector is: `spec.selector` of a ReplicationController or Service (a
 * label map), else the `selector` beside its pod template (`spec.selector` for
 * `spec.template`, `spec.jobTemplate.spec.selector` for a CronJob). Undefined for a bare Pod
 * or a resource without a pod template. A kind declared in `podTemplateKinds` is not known
 * here, so its selector is read in the form it is written in.
 */
export function workloadSelectorLocation(resource: Resource, templatePath: Path | undefined): SelectorLocation | undefined {
  if (isOneOf(resource, LABEL_MAP_KINDS)) return { path: ['spec', 'selector'], form: 'labelMap' };
  if (templatePath === undefined || templatePath.length === 0) return undefined;
  const path = [...templatePath.slice(0, -1), 'selector'];
  if (isOneOf(resource, LABEL_SELECTOR_KINDS)) return { path, form: 'labelSelector' };
  const value = resource.get(path);
  const written = isPlainMap(value) && ('matchLabels' in value || 'matchExpressions' in value);
  return { path, form: written ? 'labelSelector' : 'labelMap' };
}

export interface WorkloadSelector {
  path: Path;
  /** The pods the workload's controller owns; undefined when the selector is absent or empty. */
  selector: LabelSelector | undefined;
}

/**
 * A workload's own selector, checked (a located input error when malformed, a non-string
 * label value included): its stable identity, immutable on Deployments and StatefulSets.
 */
export function workloadSelectorOf(resource: Resource, templatePath: Path | undefined): WorkloadSelector | undefined {
  const location = workloadSelectorLocation(resource, templatePath);
  if (!location) return undefined;
  const value = resource.get(location.path);
  const selector = location.form === 'labelSelector' ? readLabelSelector(resource, location.path, value) : selectorFromLabels(readLabels(resource, location.path, value));
  return { path: location.path, selector: selector && !isEmptySelector(selector) ? selector : undefined };
}

function isOneOf(resource: Resource, kinds: readonly KindRef[]): boolean {
  return kinds.some((entry) => entry.group === resource.group && entry.kind === resource.kind);
}

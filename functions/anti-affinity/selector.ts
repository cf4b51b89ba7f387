import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap, optionalMapList, optionalStringList } from '../../krm/model/shape.js';

/** A Kubernetes LabelSelector as the function writes it into affinity terms. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * Label keys whose values change from one release or revision to the next. A selector using
 * them would make new pods avoid only pods of their own release, and ignore the old ones they
 * replace; so they are left out even when a workload's selector carries them.
 */
export const PER_RELEASE_LABEL_KEYS: ReadonlySet<string> = new Set([
  'pod-template-hash',
  'rollouts-pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'helm.sh/chart',
  'chart',
  'app.kubernetes.io/version',
  'version',
]);

export interface WorkloadSelector {
  /** Undefined when nothing stable is left to select the workload's pods by. */
  selector: LabelSelector | undefined;
  /** Keys of the workload's selector that were left out because they change per release. */
  dropped: string[];
}

/**
 * The pods of a workload, selected by its `spec.selector` — its stable identity, immutable
 * for Deployments and StatefulSets — never by template labels, which carry chart and app
 * versions. Both `matchLabels` and `matchExpressions` are kept (together they are what the
 * workload itself selects by). ReplicationController's selector is a plain label map.
 */
export function workloadSelector(workload: Resource): WorkloadSelector {
  const path: Path = ['spec', 'selector'];
  const raw = workload.get(path);
  if (workload.group === '' && workload.kind === 'ReplicationController') {
    return stable(labelMap(workload, path, raw), undefined);
  }
  const selector = optionalMap(workload, path, raw);
  if (!selector) return { selector: undefined, dropped: [] };
  const labels = labelMap(workload, [...path, 'matchLabels'], selector.matchLabels);
  const expressions = expressionList(workload, [...path, 'matchExpressions'], selector.matchExpressions);
  return stable(labels, expressions);
}

function stable(labels: Record<string, string> | undefined, expressions: LabelSelector['matchExpressions']): WorkloadSelector {
  const dropped: string[] = [];
  const keep = (key: string): boolean => {
    if (!PER_RELEASE_LABEL_KEYS.has(key)) return true;
    if (!dropped.includes(key)) dropped.push(key);
    return false;
  };
  const selector: LabelSelector = {};
  const keptLabels = Object.entries(labels ?? {}).filter(([key]) => keep(key));
  if (keptLabels.length > 0) selector.matchLabels = Object.fromEntries(keptLabels);
  const keptExpressions = (expressions ?? []).filter((expression) => keep(expression.key));
  if (keptExpressions.length > 0) selector.matchExpressions = keptExpressions;
  return { selector: Object.keys(selector).length > 0 ? selector : undefined, dropped };
}

function labelMap(workload: Resource, path: Path, value: unknown): Record<string, string> | undefined {
  const map = optionalMap(workload, path, value);
  if (!map) return undefined;
  for (const [key, entry] of Object.entries(map)) {
    if (typeof entry !== 'string') throw workload.errorAt([...path, key], `expected a string label value, got ${describeValue(entry)}`);
  }
  return map as Record<string, string>;
}

function expressionList(workload: Resource, path: Path, value: unknown): LabelSelector['matchExpressions'] {
  const list = optionalMapList(workload, path, value);
  if (!list) return undefined;
  return list.map((expression, index) => {
    const at = [...path, index];
    for (const field of ['key', 'operator'] as const) {
      if (typeof expression[field] !== 'string') throw workload.errorAt([...at, field], `expected a string, got ${describeValue(expression[field])}`);
    }
    const values = optionalStringList(workload, [...at, 'values'], expression.values);
    const copy: { key: string; operator: string; values?: string[] } = { key: expression.key as string, operator: expression.operator as string };
    if (values) copy.values = [...values];
    return copy;
  });
}

import type { Path } from '../../krm/base/path.js';
import type { LabelSelector } from '../../krm/kube/label-selector.js';
import { workloadSelectorOf } from '../../krm/kube/workload-selector.js';
import type { Resource } from '../../krm/model/resource.js';

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

export interface StableSelector {
  /** Undefined when nothing stable is left to select the workload's pods by. */
  selector: LabelSelector | undefined;
  /** Keys of the workload's selector that were left out because they change per release. */
  dropped: string[];
  /** Where the workload's selector is (or would be), for findings. */
  path: Path;
}

/**
 * The pods of a workload, selected by its own selector (krm/kube/workload-selector.ts) — its
 * stable identity, immutable for Deployments and StatefulSets — never by template labels,
 * which carry chart and app versions. Both `matchLabels` and `matchExpressions` are kept
 * (together they are what the workload itself selects by), less per-release keys.
 */
export function stableSelector(workload: Resource, templatePath: Path): StableSelector {
  const own = workloadSelectorOf(workload, templatePath);
  const path = own?.path ?? ['spec', 'selector'];
  const dropped: string[] = [];
  const keep = (key: string): boolean => {
    if (!PER_RELEASE_LABEL_KEYS.has(key)) return true;
    if (!dropped.includes(key)) dropped.push(key);
    return false;
  };
  const selector: LabelSelector = {};
  const keptLabels = Object.entries(own?.selector?.matchLabels ?? {}).filter(([key]) => keep(key));
  if (keptLabels.length > 0) selector.matchLabels = Object.fromEntries(keptLabels);
  const keptExpressions = (own?.selector?.matchExpressions ?? []).filter((expression) => keep(expression.key));
  if (keptExpressions.length > 0) selector.matchExpressions = keptExpressions;
  return { selector: Object.keys(selector).length > 0 ? selector : undefined, dropped, path };
}

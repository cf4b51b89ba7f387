import type { FunctionContext } from '../../krm/function/function.js';
import type { Path } from '../../krm/base/path.js';
import type { Resource } from '../../krm/model/resource.js';
import type { LabelSelector } from '../../krm/kube/label-selector.js';
import { readLabels } from '../../krm/kube/labels.js';
import { workloadSelectorOf } from '../../krm/kube/workload-selector.js';

/** A workload in scope, with what budgets are matched against. */
export interface Workload {
  resource: Resource;
  /** '' when the workload has no metadata.namespace. */
  namespace: string;
  /** The pod template's labels: what a budget's selector must match. */
  podLabels: Record<string, string>;
  /** The workload's own `selector` beside its pod template, as written; undefined when absent or empty. */
  selector: LabelSelector | undefined;
  selectorPath: Path;
}

/** Every resource in scope that has a pod template (other than a bare Pod), read once. */
export function workloadsOf(context: FunctionContext<unknown>): Workload[] {
  const workloads: Workload[] = [];
  for (const resource of context.resources) {
    if (!context.inScope(resource)) continue;
    const template = context.podTemplateOf(resource);
    if (!template || template.path.length === 0) continue;
    const metadata = resource.get(template.metadataPath) as Record<string, unknown> | undefined;
    const own = workloadSelectorOf(resource, template.path);
    workloads.push({
      resource,
      namespace: resource.namespace ?? '',
      podLabels: readLabels(resource, [...template.metadataPath, 'labels'], metadata?.labels),
      selector: own?.selector,
      selectorPath: own?.path ?? [...template.path.slice(0, -1), 'selector'],
    });
  }
  return workloads;
}

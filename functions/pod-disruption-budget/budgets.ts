import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import type { ResourceLookup } from '../../krm/model/resource-index.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap } from '../../krm/model/shape.js';
import { matchesSelector, type LabelSelector } from '../../krm/kube/label-selector.js';
import { readLabelSelector } from '../../krm/kube/read-label-selector.js';
import type { Disruption, PodCount } from './config.js';

/** A PodDisruptionBudget in the stream (the chart's own or one krmkit generated). */
export interface Budget {
  resource: Resource;
  /** '' when the budget has no metadata.namespace (it lands in the release namespace). */
  namespace: string;
  /** Undefined when the budget selects no pod (a null selector, or an empty one in policy/v1beta1). */
  selector: LabelSelector | undefined;
  disruption: Disruption | undefined;
}

/**
 * The budgets of a stream, read once and indexed by one `key=value` of their matchLabels, so
 * finding the budgets that select a workload's pods does not scan every budget per workload.
 * Budgets that select by expressions only (or every pod) are checked against each workload.
 */
export class BudgetIndex {
  private readonly byLabel = new Map<string, Budget[]>();
  private readonly others = new Map<string, Budget[]>();

  constructor(lookup: ResourceLookup) {
    for (const resource of lookup.ofKind('policy', 'PodDisruptionBudget')) this.add(resource);
  }

  add(resource: Resource): void {
    const budget = readBudget(resource);
    if (!budget.selector) return;
    const first = Object.entries(budget.selector.matchLabels ?? {})[0];
    const [map, key] = first ? [this.byLabel, labelKey(budget.namespace, first[0], first[1])] : [this.others, budget.namespace];
    const list = map.get(key) ?? [];
    list.push(budget);
    map.set(key, list);
  }

  /** The budgets of that namespace whose selector matches these pod labels. */
  selecting(namespace: string, podLabels: Record<string, string>): Budget[] {
    const candidates = new Set(this.others.get(namespace) ?? []);
    for (const [key, value] of Object.entries(podLabels)) {
      for (const budget of this.byLabel.get(labelKey(namespace, key, value)) ?? []) candidates.add(budget);
    }
    return [...candidates].filter((budget) => budget.selector !== undefined && matchesSelector(podLabels, budget.selector));
  }
}

function labelKey(namespace: string, key: string, value: string): string {
  return JSON.stringify([namespace, key, value]);
}

function readBudget(resource: Resource): Budget {
  const spec = optionalMap(resource, ['spec'], resource.object.spec) ?? {};
  const selector = readLabelSelector(resource, ['spec', 'selector'], spec.selector);
  const empty = selector !== undefined && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  // policy/v1: an empty selector selects every pod of the namespace; policy/v1beta1: none.
  const selects = selector !== undefined && !(empty && resource.version === 'v1beta1');
  const minAvailable = budgetCount(resource, ['spec', 'minAvailable'], spec.minAvailable);
  const maxUnavailable = budgetCount(resource, ['spec', 'maxUnavailable'], spec.maxUnavailable);
  const disruption: Disruption | undefined =
    maxUnavailable !== undefined ? { maxUnavailable } : minAvailable !== undefined ? { minAvailable } : undefined;
  return { resource, namespace: resource.namespace ?? '', selector: selects ? selector : undefined, disruption };
}

/** An IntOrString of a budget: a whole number ≥ 0 or a percentage; anything else the API server rejects. */
function budgetCount(resource: Resource, path: Path, value: unknown): PodCount | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+%$/.test(value)) return value as `${number}%`;
  throw resource.errorAt(path, `expected a whole number ≥ 0 or a percentage such as "25%", got ${describeValue(value)}`);
}

/** A count or percentage of `pods`, rounded up as the disruption controller does. */
function scaled(count: PodCount, pods: number): number {
  if (typeof count === 'number') return count;
  return Math.ceil((Number(count.slice(0, -1)) * pods) / 100);
}

/** How many pods a drain may evict from a workload running `pods` under this budget. */
export function allowedEvictions(disruption: Disruption, pods: number): number {
  if ('maxUnavailable' in disruption) return Math.min(pods, scaled(disruption.maxUnavailable, pods));
  return Math.max(0, pods - scaled(disruption.minAvailable, pods));
}

/**
 * The fewest pods with which a node drain can go on (the budget allows an eviction) and still
 * leave a pod available — Infinity when no count does (maxUnavailable: 100%).
 */
export function fewestPodsThroughADrain(disruption: Disruption): number {
  for (let pods = 1; pods <= 1000; pods++) {
    const evictions = allowedEvictions(disruption, pods);
    if (evictions >= 1 && pods - evictions >= 1) return pods;
  }
  return Infinity;
}

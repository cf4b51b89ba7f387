import { KrmConfigError } from '../../krm/base/errors.js';
import { describeValue } from '../../krm/base/messages.js';
import * as v from 'valibot';
import type { CommonOptionDocs } from '../../krm/function/function.js';
import type { OptionsOf } from '../../krm/function/options.js';

export const FUNCTION_NAME = 'pod-disruption-budget';

/** A PodDisruptionBudget count: a number of pods, or a percentage of the workload's pods (`25%`). */
export type PodCount = number | `${number}%`;

/** How many pods a budget lets a drain take at once, in exactly one of the two API forms. */
export type Disruption = { maxUnavailable: PodCount } | { minAvailable: PodCount };

export const UNHEALTHY_POD_EVICTION_POLICIES = ['IfHealthyBudget', 'AlwaysAllow'] as const;
export type UnhealthyPodEvictionPolicy = (typeof UNHEALTHY_POD_EVICTION_POLICIES)[number];

export interface PodDisruptionBudgetConfig {
  /** Workloads that run fewer pods than this get no budget: a budget over one pod protects nothing. */
  minReplicas: number;
  disruption: Disruption;
  /** Left out of generated budgets when unset (the API server then applies IfHealthyBudget). */
  unhealthyPodEvictionPolicy?: UnhealthyPodEvictionPolicy;
}

export const DEFAULT_MIN_REPLICAS = 2;
export const DEFAULT_MAX_UNAVAILABLE = 1;

const POD_COUNT_SHAPE = 'a whole number or a percentage such as "25%"';

export const podDisruptionBudgetOptions = v.strictObject({
  minReplicas: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description('Only workloads that run at least this many pods get a budget (an HPA targeting the workload counts with its minReplicas).'),
      v.metadata({ readme: 'Only workloads that run at least this many pods get a budget (counted as above).' }),
    ),
    DEFAULT_MIN_REPLICAS,
  ),
  maxUnavailable: v.optional(
    v.pipe(
      v.unknown(),
      v.description(`How many of the workload's pods a drain may evict at once (≥ 1, or 1%–100%). Default ${DEFAULT_MAX_UNAVAILABLE} when minAvailable is not set.`),
      v.metadata({ shape: 'whole number ≥ 1, or percentage `1%`–`100%`', defaultText: `\`${DEFAULT_MAX_UNAVAILABLE}\``, readme: "How many of the workload's pods a drain may evict at once. `0` is rejected: it blocks every drain." }),
    ),
  ),
  minAvailable: v.optional(
    v.pipe(
      v.unknown(),
      v.description('How many pods must stay available instead (≥ 1, or 1%–99%); exclusive with maxUnavailable.'),
      v.metadata({
        shape: 'whole number ≥ 1, or percentage `1%`–`99%`',
        readme: 'How many pods must stay available instead. Only one of the two may be set. Percentages round up, as the disruption controller rounds them.',
      }),
    ),
  ),
  unhealthyPodEvictionPolicy: v.optional(
    v.pipe(
      v.picklist(UNHEALTHY_POD_EVICTION_POLICIES),
      v.description('AlwaysAllow lets a drain evict pods that are not Ready, so a crash-looping pod never blocks it (Kubernetes ≥ 1.27).'),
      v.metadata({ defaultText: "unset (the API server's `IfHealthyBudget`)", readme: '`AlwaysAllow` lets a drain evict pods that are not Ready, so a crash-looping pod never blocks it (Kubernetes ≥ 1.27).' }),
    ),
  ),
});

export const podDisruptionBudgetCommonOptionDocs: CommonOptionDocs = {
  select: 'Which workloads to consider: `group`, `version`, `kind`, `name` (regex, anchored), `namespace`, `labelSelector`, `annotationSelector`.',
  podTemplateKinds: 'Extra kinds that embed a pod template; their selector is read beside the template (`spec.selector` for `spec.template`).',
};

export function parsePodDisruptionBudgetConfig(options: OptionsOf<typeof podDisruptionBudgetOptions>): PodDisruptionBudgetConfig {
  if (options.maxUnavailable !== undefined && options.minAvailable !== undefined) {
    throw new KrmConfigError(FUNCTION_NAME, 'set maxUnavailable or minAvailable, not both (a PodDisruptionBudget takes one)', ['minAvailable']);
  }
  const disruption: Disruption =
    options.minAvailable !== undefined
      ? { minAvailable: podCount(options.minAvailable, 'minAvailable', 99) }
      : { maxUnavailable: options.maxUnavailable === undefined ? DEFAULT_MAX_UNAVAILABLE : podCount(options.maxUnavailable, 'maxUnavailable', 100) };
  const config: PodDisruptionBudgetConfig = { minReplicas: options.minReplicas, disruption };
  if (options.unhealthyPodEvictionPolicy !== undefined) config.unhealthyPodEvictionPolicy = options.unhealthyPodEvictionPolicy;
  return config;
}

/**
 * A count of at least one pod (or 1%): `maxUnavailable: 0` or `minAvailable: 100%` would let
 * no drain ever finish, and `minAvailable: 0` protects nothing.
 */
function podCount(value: unknown, option: string, maxPercent: number): PodCount {
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (value < 1) throw new KrmConfigError(FUNCTION_NAME, `expected at least 1, got ${value}${option === 'maxUnavailable' ? ' (0 would block every node drain)' : ''}`, [option]);
    return value;
  }
  const percent = typeof value === 'string' ? /^(\d{1,3})%$/.exec(value.trim()) : null;
  if (percent) {
    const number = Number(percent[1]);
    if (number < 1 || number > maxPercent) {
      throw new KrmConfigError(FUNCTION_NAME, `expected a percentage from 1% to ${maxPercent}%, got ${JSON.stringify(value)}${number > maxPercent ? ' (it would block every node drain)' : ''}`, [option]);
    }
    return `${number}%`;
  }
  throw new KrmConfigError(FUNCTION_NAME, `expected ${POD_COUNT_SHAPE}, got ${describeValue(value)}`, [option]);
}

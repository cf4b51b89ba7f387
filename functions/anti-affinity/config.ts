import { KrmConfigError } from '../../krm/base/errors.js';
import { describeValue, didYouMean, firstUnknownKey, unknownName } from '../../krm/base/messages.js';
import * as v from 'valibot';
import type { CommonOptionDocs } from '../../krm/function/function.js';
import type { OptionsOf } from '../../krm/function/options.js';
import { isPlainMap, type Path } from '../../krm/base/path.js';

export const FUNCTION_NAME = 'anti-affinity';

export type WhenUnsatisfiable = 'DoNotSchedule' | 'ScheduleAnyway';
export const WHEN_UNSATISFIABLE: readonly WhenUnsatisfiable[] = ['DoNotSchedule', 'ScheduleAnyway'];
export type NodeTaintsPolicy = 'Honor' | 'Ignore';
export const NODE_TAINTS_POLICIES: readonly NodeTaintsPolicy[] = ['Honor', 'Ignore'];

/** A `preferredDuringSchedulingIgnoredDuringExecution` pod anti-affinity term to add. */
export interface PreferredTerm {
  topologyKey: string;
  weight: number;
}

/** A `requiredDuringSchedulingIgnoredDuringExecution` pod anti-affinity term to add. */
export interface RequiredTerm {
  topologyKey: string;
}

/** A pod spec `topologySpreadConstraints` entry to add. */
export interface SpreadConstraint {
  topologyKey: string;
  maxSkew: number;
  whenUnsatisfiable: WhenUnsatisfiable;
  /** Left out (Kubernetes' default, Ignore) unless asked for. */
  nodeTaintsPolicy?: NodeTaintsPolicy;
}

export interface AntiAffinityConfig {
  preferred: PreferredTerm[];
  required: RequiredTerm[];
  topologySpread: SpreadConstraint[];
  /** Workloads that can run fewer pods than this are left alone: spreading one pod means nothing. */
  minReplicas: number;
  /** The most nodes the workloads can run on, to check required hostname anti-affinity against; unknown by default. */
  maxNodes?: number;
  /** Set `maxUnavailable: 1` on Deployments whose rollouts required hostname anti-affinity would block, instead of only warning. */
  setMaxUnavailable: boolean;
}

export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';
export const DEFAULT_WEIGHT = 100;
export const DEFAULT_MAX_SKEW = 1;
/** Kubernetes has no default; ScheduleAnyway never leaves a pod Pending because of krmkit. */
export const DEFAULT_WHEN_UNSATISFIABLE: WhenUnsatisfiable = 'ScheduleAnyway';
export const DEFAULT_MIN_REPLICAS = 2;

export const antiAffinityOptions = v.strictObject({
  preferred: v.optional(
    v.pipe(
      v.unknown(),
      v.description(`Preferred pod anti-affinity terms to add (weight 1–100, default ${DEFAULT_WEIGHT}). With none of preferred/required/topologySpread set: [{topologyKey: ${HOSTNAME_TOPOLOGY_KEY}, weight: ${DEFAULT_WEIGHT}}].`),
      v.metadata({ shape: 'list of `{topologyKey, weight}`', defaultText: 'see below', readme: 'Preferred anti-affinity terms. `weight` is 1–100, default 100.' }),
    ),
  ),
  required: v.optional(
    v.pipe(
      v.unknown(),
      v.description('Required pod anti-affinity terms to add: no two pods of the workload share a value of topologyKey.'),
      v.metadata({ shape: 'list of `{topologyKey}`', defaultText: '`[]`', readme: 'Required anti-affinity terms: no two pods of the workload share a value of `topologyKey`. If there are fewer nodes (or zones) than replicas, the extra pods stay Pending.' }),
    ),
  ),
  topologySpread: v.optional(
    v.pipe(
      v.unknown(),
      v.description(`Topology spread constraints to add (maxSkew ≥ 1, default ${DEFAULT_MAX_SKEW}; whenUnsatisfiable DoNotSchedule or ScheduleAnyway, default ${DEFAULT_WHEN_UNSATISFIABLE}; nodeTaintsPolicy Honor or Ignore, left out by default).`),
      v.metadata({
        shape: 'list of `{topologyKey, maxSkew, whenUnsatisfiable, nodeTaintsPolicy}`',
        defaultText: '`[]`',
        readme: 'Topology spread constraints. `maxSkew` ≥ 1, default 1. `whenUnsatisfiable` is `DoNotSchedule` or `ScheduleAnyway`, default `ScheduleAnyway`. `nodeTaintsPolicy` is `Honor` or `Ignore`; left out by default (Kubernetes then uses `Ignore`). With `Honor`, tainted nodes — a cordoned node during a drain — are not counted as places to spread to.',
      }),
    ),
  ),
  minReplicas: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description('Leave workloads with fewer replicas than this alone (an HPA targeting the workload counts with its minReplicas).'),
      v.metadata({ readme: 'Leave workloads alone that run fewer pods than this (as counted above).' }),
    ),
    DEFAULT_MIN_REPLICAS,
  ),
  maxNodes: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description(
        'The most nodes the workloads can be scheduled on. Required anti-affinity on kubernetes.io/hostname runs at most one pod per node: with maxNodes, replica counts and HPA maxReplicas above it are warned about; unknown by default (then every workload that may need more than one node per pod is warned about).',
      ),
      v.metadata({ defaultText: 'unknown', readme: 'The most nodes the workloads can run on. Only used with a `required` term on `kubernetes.io/hostname`: replica counts and HPA `maxReplicas` above it get a warning, and rollouts are not warned about when the cluster has room for a surge pod.' }),
    ),
  ),
  setMaxUnavailable: v.optional(
    v.pipe(
      v.boolean(),
      v.description(
        'Set spec.strategy.rollingUpdate.maxUnavailable to 1 on Deployments with required hostname anti-affinity whose maxUnavailable resolves to 0 (their rollout needs a node with no pod of the workload); otherwise they are only warned about.',
      ),
      v.metadata({ readme: 'With a `required` term on `kubernetes.io/hostname`: set `spec.strategy.rollingUpdate.maxUnavailable: 1` on Deployments whose rollout could not move (see below), instead of only warning.' }),
    ),
    false,
  ),
});

export const antiAffinityCommonOptionDocs: CommonOptionDocs = {
  select: 'Which resources to change: `group`, `version`, `kind`, `name` (regex, anchored), `namespace`, `labelSelector`, `annotationSelector`.',
  podTemplateKinds: 'Extra kinds that embed a pod template (`path` dot-separated, e.g. `spec.template`). They are read like a Deployment: `spec.replicas`, `spec.selector`.',
};

export function parseAntiAffinityConfig(options: OptionsOf<typeof antiAffinityOptions>): AntiAffinityConfig {
  const nothingAsked = options.preferred === undefined && options.required === undefined && options.topologySpread === undefined;
  return {
    preferred: nothingAsked
      ? [{ topologyKey: HOSTNAME_TOPOLOGY_KEY, weight: DEFAULT_WEIGHT }]
      : termList(options.preferred, 'preferred', ['topologyKey', 'weight'], (entry, at) => ({
          topologyKey: topologyKey(entry, at),
          weight: wholeNumber(entry.weight, [...at, 'weight'], DEFAULT_WEIGHT, 1, 100),
        })),
    required: termList(options.required, 'required', ['topologyKey'], (entry, at) => ({ topologyKey: topologyKey(entry, at) })),
    topologySpread: termList(options.topologySpread, 'topologySpread', ['topologyKey', 'maxSkew', 'whenUnsatisfiable', 'nodeTaintsPolicy'], (entry, at) => {
      const constraint: SpreadConstraint = {
        topologyKey: topologyKey(entry, at),
        maxSkew: wholeNumber(entry.maxSkew, [...at, 'maxSkew'], DEFAULT_MAX_SKEW, 1),
        whenUnsatisfiable: oneOf(entry.whenUnsatisfiable, [...at, 'whenUnsatisfiable'], WHEN_UNSATISFIABLE) ?? DEFAULT_WHEN_UNSATISFIABLE,
      };
      const taints = oneOf(entry.nodeTaintsPolicy, [...at, 'nodeTaintsPolicy'], NODE_TAINTS_POLICIES);
      if (taints) constraint.nodeTaintsPolicy = taints;
      return constraint;
    }),
    minReplicas: options.minReplicas,
    maxNodes: options.maxNodes,
    setMaxUnavailable: options.setMaxUnavailable,
  };
}

function fail(problem: string, at: Path): never {
  throw new KrmConfigError(FUNCTION_NAME, problem, at);
}

/** A list option: each entry a mapping with only known fields, no topology key twice. */
function termList<T extends { topologyKey: string }>(
  raw: unknown,
  option: string,
  fields: readonly string[],
  parse: (entry: Record<string, unknown>, at: Path) => T,
): T[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) fail(`expected a list of {${fields.join(', ')}}, got ${describeValue(raw)}`, [option]);
  const seen = new Set<string>();
  return raw.map((entry: unknown, index) => {
    const at: Path = [option, index];
    if (!isPlainMap(entry)) fail(`expected a mapping {${fields.join(', ')}}, got ${describeValue(entry)}`, at);
    const unknown = firstUnknownKey(entry, fields);
    if (unknown !== undefined) fail(unknownName('field', unknown, fields, 'valid fields:'), [...at, unknown]);
    const term = parse(entry, at);
    // Kubernetes would accept two terms on one key, but the second could only repeat or contradict the first.
    if (seen.has(term.topologyKey)) fail(`topologyKey ${JSON.stringify(term.topologyKey)} is listed twice in ${option}`, [...at, 'topologyKey']);
    seen.add(term.topologyKey);
    return term;
  });
}

function topologyKey(entry: Record<string, unknown>, at: Path): string {
  const value = entry.topologyKey;
  if (typeof value !== 'string' || value.trim() === '') fail(`expected a non-empty string (a node label such as ${HOSTNAME_TOPOLOGY_KEY}), got ${describeValue(value)}`, [...at, 'topologyKey']);
  return value;
}

function wholeNumber(value: unknown, at: Path, fallback: number, minimum: number, maximum = Infinity): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(`expected a whole number, got ${describeValue(value)}`, at);
  if (value < minimum || value > maximum) fail(`expected a number ${maximum === Infinity ? `≥ ${minimum}` : `from ${minimum} to ${maximum}`}, got ${value}`, at);
  return value;
}

/** One of a field's allowed words, or undefined when the field is absent. */
function oneOf<T extends string>(value: unknown, at: Path, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return fail(`expected ${allowed.join(' or ')}, got ${describeValue(value)}${typeof value === 'string' ? didYouMean(value, allowed) : ''}`, at);
}

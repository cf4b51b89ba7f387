import { KrmConfigError } from '../../krm/errors.js';
import { describeValue } from '../../krm/input.js';
import type { OptionSpecs } from '../../krm/options.js';
import { isPlainMap, type Path } from '../../krm/path.js';
import { nearest } from '../../krm/suggest.js';

export const FUNCTION_NAME = 'anti-affinity';

export type WhenUnsatisfiable = 'DoNotSchedule' | 'ScheduleAnyway';
export const WHEN_UNSATISFIABLE: readonly WhenUnsatisfiable[] = ['DoNotSchedule', 'ScheduleAnyway'];

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
}

export interface AntiAffinityConfig {
  preferred: PreferredTerm[];
  required: RequiredTerm[];
  topologySpread: SpreadConstraint[];
  /** Workloads that can run fewer pods than this are left alone: spreading one pod means nothing. */
  minReplicas: number;
}

export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';
export const DEFAULT_WEIGHT = 100;
export const DEFAULT_MAX_SKEW = 1;
/** Kubernetes has no default; ScheduleAnyway never leaves a pod Pending because of krmkit. */
export const DEFAULT_WHEN_UNSATISFIABLE: WhenUnsatisfiable = 'ScheduleAnyway';
export const DEFAULT_MIN_REPLICAS = 2;

export const antiAffinityOptions: OptionSpecs = {
  preferred: {
    type: 'structured',
    shape: 'list of {topologyKey, weight}',
    description: `Preferred pod anti-affinity terms to add (weight 1–100, default ${DEFAULT_WEIGHT}). With none of preferred/required/topologySpread set: [{topologyKey: ${HOSTNAME_TOPOLOGY_KEY}, weight: ${DEFAULT_WEIGHT}}].`,
  },
  required: {
    type: 'structured',
    shape: 'list of {topologyKey}',
    description: 'Required pod anti-affinity terms to add: no two pods of the workload share a value of topologyKey.',
  },
  topologySpread: {
    type: 'structured',
    shape: 'list of {topologyKey, maxSkew, whenUnsatisfiable}',
    description: `Topology spread constraints to add (maxSkew ≥ 1, default ${DEFAULT_MAX_SKEW}; whenUnsatisfiable DoNotSchedule or ScheduleAnyway, default ${DEFAULT_WHEN_UNSATISFIABLE}).`,
  },
  minReplicas: {
    type: 'integer',
    minimum: 1,
    default: String(DEFAULT_MIN_REPLICAS),
    description: 'Leave workloads with fewer replicas than this alone (an HPA targeting the workload counts with its minReplicas).',
  },
};

export function parseAntiAffinityConfig(options: Record<string, unknown>): AntiAffinityConfig {
  const nothingAsked = options.preferred === undefined && options.required === undefined && options.topologySpread === undefined;
  return {
    preferred: nothingAsked
      ? [{ topologyKey: HOSTNAME_TOPOLOGY_KEY, weight: DEFAULT_WEIGHT }]
      : termList(options.preferred, 'preferred', ['topologyKey', 'weight'], (entry, at) => ({
          topologyKey: topologyKey(entry, at),
          weight: wholeNumber(entry.weight, [...at, 'weight'], DEFAULT_WEIGHT, 1, 100),
        })),
    required: termList(options.required, 'required', ['topologyKey'], (entry, at) => ({ topologyKey: topologyKey(entry, at) })),
    topologySpread: termList(options.topologySpread, 'topologySpread', ['topologyKey', 'maxSkew', 'whenUnsatisfiable'], (entry, at) => ({
      topologyKey: topologyKey(entry, at),
      maxSkew: wholeNumber(entry.maxSkew, [...at, 'maxSkew'], DEFAULT_MAX_SKEW, 1),
      whenUnsatisfiable: whenUnsatisfiable(entry.whenUnsatisfiable, [...at, 'whenUnsatisfiable']),
    })),
    minReplicas: (options.minReplicas as number | undefined) ?? DEFAULT_MIN_REPLICAS,
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
    for (const key of Object.keys(entry)) {
      if (fields.includes(key)) continue;
      const suggestion = nearest(key, fields);
      fail(`unknown field ${JSON.stringify(key)}${suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : ` (valid fields: ${fields.join(', ')})`}`, [...at, key]);
    }
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

function whenUnsatisfiable(value: unknown, at: Path): WhenUnsatisfiable {
  if (value === undefined || value === null) return DEFAULT_WHEN_UNSATISFIABLE;
  if (typeof value === 'string' && (WHEN_UNSATISFIABLE as readonly string[]).includes(value)) return value as WhenUnsatisfiable;
  const suggestion = typeof value === 'string' ? nearest(value, WHEN_UNSATISFIABLE) : undefined;
  return fail(`expected ${WHEN_UNSATISFIABLE.join(' or ')}, got ${describeValue(value)}${suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : ''}`, at);
}

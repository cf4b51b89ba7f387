import { KrmConfigError } from '../../krm/base/errors.js';
import { describeValue } from '../../krm/base/messages.js';
import type { OptionSpecs } from '../../krm/function/options.js';
import { isPlainMap, type Path } from '../../krm/base/path.js';
import { nearest } from '../../krm/base/messages.js';
import { compareQuantities, isNegative, parseQuantity, type Quantity } from './quantity.js';

export const FUNCTION_NAME = 'resources';

/** The resources a container can request and be limited to (hugepages and extended resources are left to the chart). */
export const RESOURCE_NAMES = ['cpu', 'memory', 'ephemeral-storage'] as const;
export type ResourceName = (typeof RESOURCE_NAMES)[number];

/** Amounts by resource name, as the quantity strings written into containers (`100m`, `128Mi`). */
export type Amounts = Partial<Record<ResourceName, string>>;

export interface ResourceDefaults {
  requests: Amounts;
  limits: Amounts;
}

export interface ContainerOverride extends ResourceDefaults {
  name: string;
}

export interface ResourcesConfig extends ResourceDefaults {
  /**
   * When no `limits` are configured, a container's memory limit is its memory request:
   * a pod is then never killed for using the memory the scheduler reserved for it, and never
   * takes memory from its neighbours beyond that.
   */
  memoryLimitFromRequest: boolean;
  containerOverrides: ContainerOverride[];
  skipContainers: string[];
}

export const DEFAULT_REQUESTS: Amounts = { cpu: '100m', memory: '128Mi' };

export const resourcesOptions: OptionSpecs = {
  requests: {
    type: 'structured',
    shape: '{cpu, memory, ephemeral-storage}',
    description: `Requests to set where a container has none, as Kubernetes quantities (default ${JSON.stringify(DEFAULT_REQUESTS)}; given, it replaces the default).`,
  },
  limits: {
    type: 'structured',
    shape: '{cpu, memory, ephemeral-storage}',
    description: 'Limits to set where a container has none (default: a memory limit equal to the memory request, no CPU limit; given, it replaces the default).',
  },
  containerOverrides: {
    type: 'structured',
    shape: 'list of {name, requests, limits}',
    description: 'Per container name, amounts that replace the defaults above for that resource (a sidecar that needs less, a database that needs more).',
  },
  skipContainers: { type: 'stringList', description: 'Container names to leave alone.' },
};

export function parseResourcesConfig(options: Record<string, unknown>): ResourcesConfig {
  const requests = options.requests === undefined ? { ...DEFAULT_REQUESTS } : amounts(options.requests, ['requests']);
  const limits = options.limits === undefined ? {} : amounts(options.limits, ['limits']);
  checkOrder(requests, limits, []);
  const containerOverrides = overrideList(options.containerOverrides);
  containerOverrides.forEach((override, index) => {
    checkOrder({ ...requests, ...override.requests }, { ...limits, ...override.limits }, ['containerOverrides', index]);
  });
  return {
    requests,
    limits,
    memoryLimitFromRequest: options.limits === undefined,
    containerOverrides,
    skipContainers: (options.skipContainers as string[] | undefined) ?? [],
  };
}

function fail(problem: string, at: Path): never {
  throw new KrmConfigError(FUNCTION_NAME, problem, at);
}

function amounts(raw: unknown, at: Path): Amounts {
  if (raw === null) return {};
  if (!isPlainMap(raw)) fail(`expected a mapping such as {cpu: 100m, memory: 128Mi}, got ${describeValue(raw)}`, at);
  const out: Amounts = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(RESOURCE_NAMES as readonly string[]).includes(key)) {
      const suggestion = nearest(key, RESOURCE_NAMES);
      fail(`unknown resource ${JSON.stringify(key)}${suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : ` (resources: ${RESOURCE_NAMES.join(', ')})`}`, [...at, key]);
    }
    const quantity = parseQuantity(value);
    if (!quantity || isNegative(quantity)) fail(`expected a Kubernetes quantity such as 100m, 0.5, 128Mi or 1G, got ${describeValue(value)}`, [...at, key]);
    // Written into containers as a string: that is how the API serialises a quantity.
    out[key as ResourceName] = String(value).trim();
  }
  return out;
}

/** A configured limit below the configured request (with overrides: as merged) would make every pod it reaches invalid. */
function checkOrder(requests: Amounts, limits: Amounts, at: Path): void {
  for (const name of RESOURCE_NAMES) {
    const request = requests[name];
    const limit = limits[name];
    if (request === undefined || limit === undefined) continue;
    const order = compare(limit, request);
    if (order < 0) fail(`the ${name} limit ${limit} is below the ${name} request ${request}; the API server rejects such a container`, [...at, 'limits', name]);
  }
}

/** Both are quantities already checked by `amounts`. */
function compare(a: string, b: string): number {
  return compareQuantities(parseQuantity(a) as Quantity, parseQuantity(b) as Quantity);
}

const OVERRIDE_FIELDS = ['name', 'requests', 'limits'];

function overrideList(raw: unknown): ContainerOverride[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) fail(`expected a list of {name, requests, limits}, got ${describeValue(raw)}`, ['containerOverrides']);
  const seen = new Set<string>();
  return raw.map((entry: unknown, index) => {
    const at: Path = ['containerOverrides', index];
    if (!isPlainMap(entry)) fail(`expected a mapping {name, requests, limits}, got ${describeValue(entry)}`, at);
    for (const key of Object.keys(entry)) {
      if (OVERRIDE_FIELDS.includes(key)) continue;
      const suggestion = nearest(key, OVERRIDE_FIELDS);
      fail(`unknown field ${JSON.stringify(key)}${suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : ` (valid fields: ${OVERRIDE_FIELDS.join(', ')})`}`, [...at, key]);
    }
    if (typeof entry.name !== 'string' || entry.name === '') fail(`expected a container name, got ${describeValue(entry.name)}`, [...at, 'name']);
    if (seen.has(entry.name)) fail(`container ${JSON.stringify(entry.name)} is listed twice`, [...at, 'name']);
    seen.add(entry.name);
    return { name: entry.name, requests: amounts(entry.requests ?? {}, [...at, 'requests']), limits: amounts(entry.limits ?? {}, [...at, 'limits']) };
  });
}

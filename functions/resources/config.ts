import { KrmConfigError } from '../../krm/base/errors.js';
import * as v from 'valibot';
import { describeValue, firstUnknownKey, unknownName } from '../../krm/base/messages.js';
import type { CommonOptionDocs } from '../../krm/function/function.js';
import type { OptionsOf } from '../../krm/function/options.js';
import { isPlainMap, type Path } from '../../krm/base/path.js';
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

const AMOUNTS_SHAPE = '`{cpu, memory, ephemeral-storage}`';

export const resourcesOptions = v.strictObject({
  requests: v.optional(
    v.pipe(
      v.unknown(),
      v.description(`Requests to set where a container has none, as Kubernetes quantities (default ${JSON.stringify(DEFAULT_REQUESTS)}; given, it replaces the default).`),
      v.metadata({ shape: AMOUNTS_SHAPE, defaultText: '`{cpu: 100m, memory: 128Mi}`', readme: 'Requests to set where a container has none. Given, it replaces the default (list every resource you want).' }),
    ),
  ),
  limits: v.optional(
    v.pipe(
      v.unknown(),
      v.description('Limits to set where a container has none (default: a memory limit equal to the memory request, no CPU limit; given, it replaces the default).'),
      v.metadata({
        shape: AMOUNTS_SHAPE,
        defaultText: 'a memory limit **equal to the memory request**, no CPU limit',
        readme: 'Limits to set where a container has none. Given, it replaces the default: `limits: {memory: 512Mi}` sets only a memory limit.',
      }),
    ),
  ),
  containerOverrides: v.optional(
    v.pipe(
      v.unknown(),
      v.description('Per container name, amounts that replace the defaults above for that resource (a sidecar that needs less, a database that needs more).'),
      v.metadata({
        shape: 'list of `{name, requests, limits}`',
        defaultText: '`[]`',
        readme: 'For containers of that name, amounts that replace the defaults above, resource by resource (a sidecar that needs less, a database that needs more). A name no selected workload has is a warning.',
      }),
    ),
  ),
  skipContainers: v.optional(
    v.pipe(v.array(v.string()), v.description('Container names to leave alone.'), v.metadata({ shape: 'list of names', readme: 'Containers to leave alone (a sidecar a mesh injects and sizes).' })),
    () => [],
  ),
});

export const resourcesCommonOptionDocs: CommonOptionDocs = {
  select: 'Which resources to touch: `group`, `version`, `kind`, `name` (regex, anchored), `namespace`, `labelSelector`, `annotationSelector`.',
  podTemplateKinds: 'Extra kinds embedding a pod template (`path` dot-separated, e.g. `spec.template`).',
};

export function parseResourcesConfig(options: OptionsOf<typeof resourcesOptions>): ResourcesConfig {
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
    skipContainers: options.skipContainers,
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
    if (!(RESOURCE_NAMES as readonly string[]).includes(key)) fail(unknownName('resource', key, RESOURCE_NAMES, 'resources:'), [...at, key]);
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
    const unknown = firstUnknownKey(entry, OVERRIDE_FIELDS);
    if (unknown !== undefined) fail(unknownName('field', unknown, OVERRIDE_FIELDS, 'valid fields:'), [...at, unknown]);
    if (typeof entry.name !== 'string' || entry.name === '') fail(`expected a container name, got ${describeValue(entry.name)}`, [...at, 'name']);
    if (seen.has(entry.name)) fail(`container ${JSON.stringify(entry.name)} is listed twice`, [...at, 'name']);
    seen.add(entry.name);
    return { name: entry.name, requests: amounts(entry.requests ?? {}, [...at, 'requests']), limits: amounts(entry.limits ?? {}, [...at, 'limits']) };
  });
}

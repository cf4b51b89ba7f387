/**
 * resources: quantities compared exactly, what is filled and what is kept, malformed input
 * and config — and, as properties, that it is idempotent, never lowers or respells an
 * amount, and leaves untouched documents byte-identical, on generated streams and on the
 * real corpora.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFunctions } from '../../functions/index.js';
import { parseResourcesConfig, resourcesOptions } from '../../functions/resources/config.js';
import { compareQuantities, parseQuantity } from '../../functions/resources/quantity.js';
import { KrmConfigError, KrmInputError } from '../../krm/base/errors.js';
import { readOwnOptions } from '../../krm/function/options.js';
import { isPlainMap } from '../../krm/base/path.js';
import { runCli, REPO_ROOT } from '../helpers/cli.js';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { objectsOf, withoutPaths } from '../helpers/objects.js';
import { transform } from '../helpers/transform.js';
import { idempotentRuns, expectUntouchedDocumentsKept } from '../helpers/run-properties.js';
import { thrownBy } from '../helpers/errors.js';

const FUNCTIONS = await loadFunctions();

type Obj = Record<string, unknown>;

const KIND = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'Resources' };

function config(options: Obj) {
  return parseResourcesConfig(readOwnOptions('resources', 'Resources', options, resourcesOptions));
}

function deployment(name: string, containers: Obj[], extra: { initContainers?: Obj[]; ephemeralContainers?: Obj[]; metadata?: Obj } = {}): Obj {
  const spec: Obj = { containers };
  if (extra.initContainers) spec.initContainers = extra.initContainers;
  if (extra.ephemeralContainers) spec.ephemeralContainers = extra.ephemeralContainers;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop', ...extra.metadata }, spec: { template: { spec } } };
}

const streamOf = (...objects: Obj[]): string => objects.map((object) => stringify(object)).join('---\n');

function run(options: Obj, ...objects: Obj[]) {
  const outcome = transform(streamOf(...objects), options);
  return { ...outcome, objects: objectsOf(outcome.output) };
}

/** Every container and init container of a workload's pod template, by name. */
function containersByName(object: Obj): Map<string, Obj> {
  const spec = ((object.spec as Obj).template as Obj).spec as Obj;
  const all = [...((spec.containers as Obj[] | undefined) ?? []), ...((spec.initContainers as Obj[] | undefined) ?? [])];
  return new Map(all.map((container) => [String(container.name), container]));
}

function expectError(kind: typeof KrmConfigError | typeof KrmInputError, action: () => unknown, field: string, text?: string): void {
  const error = thrownBy(action);
  expect(error, `expected a ${kind.name} at ${field}`).toBeInstanceOf(kind);
  expect((error as Error).message).toContain(field);
  if (text) expect((error as Error).message).toContain(text);
}

describe('quantities', () => {
  it.each([
    ['500m', '0.5'],
    ['1Gi', '1024Mi'],
    ['1e3', '1k'],
    ['1E3', 1000],
    ['100m', '0.1'],
    ['1Ki', 1024],
    ['1M', '1000k'],
    ['1E', '1e18'],
    ['1.5Gi', '1536Mi'],
    ['.5', '500m'],
    ['64e6', 64000000],
    ['1000000n', '1m'],
    ['2u', '2000n'],
  ])('%s equals %s', (a, b) => {
    expect(compareQuantities(parseQuantity(a)!, parseQuantity(b)!)).toBe(0);
  });

  it.each([
    ['999m', '1'],
    ['1000Mi', '1Gi'],
    ['1G', '1Gi'],
    ['0.0001', '1m'],
    ['1e2', '1Ki'],
    ['100Mi', '1e9'],
  ])('%s is less than %s', (a, b) => {
    expect(compareQuantities(parseQuantity(a)!, parseQuantity(b)!)).toBe(-1);
    expect(compareQuantities(parseQuantity(b)!, parseQuantity(a)!)).toBe(1);
  });

  it.each(['', 'lots', '1.2.3', '5Mb', '1GiB', '--1', '1 Gi', 'Gi', '1e', '1e999999', true, null, {}, Number.POSITIVE_INFINITY])('refuses %j', (value) => {
    expect(parseQuantity(value)).toBeUndefined();
  });

  it('agrees with exact arithmetic on every suffix (property)', () => {
    const MULTIPLIERS: Record<string, [bigint, bigint]> = { '': [1n, 1n], m: [1n, 1000n], k: [1000n, 1n], M: [10n ** 6n, 1n], G: [10n ** 9n, 1n], Ki: [1024n, 1n], Mi: [1024n ** 2n, 1n], Gi: [1024n ** 3n, 1n], e2: [100n, 1n], 'e-3': [1n, 1000n] };
    const amount = fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(...Object.keys(MULTIPLIERS)));
    fc.assert(
      fc.property(amount, amount, ([a, suffixA], [b, suffixB]) => {
        const [numeratorA, denominatorA] = MULTIPLIERS[suffixA]!;
        const [numeratorB, denominatorB] = MULTIPLIERS[suffixB]!;
        const left = BigInt(a) * numeratorA * denominatorB;
        const right = BigInt(b) * numeratorB * denominatorA;
        const expected = left < right ? -1 : left > right ? 1 : 0;
        expect(compareQuantities(parseQuantity(`${a}${suffixA}`)!, parseQuantity(`${b}${suffixB}`)!)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('config', () => {
  it('defaults to requests cpu 100m, memory 128Mi and a memory limit equal to the memory request', () => {
    expect(config(KIND)).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: {}, memoryLimitFromRequest: true, containerOverrides: [], skipContainers: [] });
  });

  it('replaces the defaults with what is given, and stops deriving the memory limit once limits are given', () => {
    const parsed = config({ ...KIND, requests: { memory: '1Gi' }, limits: { cpu: 2 } });
    expect(parsed.requests).toEqual({ memory: '1Gi' });
    expect(parsed.limits).toEqual({ cpu: '2' });
    expect(parsed.memoryLimitFromRequest).toBe(false);
  });

  it('reads the ConfigMap form: structured options as YAML or JSON strings', () => {
    const parsed = config({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { requests: '{cpu: 50m, memory: 64Mi}', limits: '{"memory": "128Mi"}', containerOverrides: '[{name: nginx, limits: {memory: 256Mi}}]', skipContainers: 'a, b' },
    });
    expect(parsed).toEqual({
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { memory: '128Mi' },
      memoryLimitFromRequest: false,
      containerOverrides: [{ name: 'nginx', requests: {}, limits: { memory: '256Mi' } }],
      skipContainers: ['a', 'b'],
    });
  });

  it.each([
    [{ requests: { memroy: '1Gi' } }, 'requests.memroy', 'did you mean "memory"'],
    [{ requests: { 'nvidia.com/gpu': 1 } }, 'requests["nvidia.com/gpu"]', 'unknown resource'],
    [{ requests: { cpu: 'lots' } }, 'requests.cpu', 'Kubernetes quantity'],
    [{ requests: { cpu: '-1' } }, 'requests.cpu', 'Kubernetes quantity'],
    [{ requests: 'cpu=1' }, 'requests', 'expected a mapping'],
    [{ requests: { memory: '1Gi' }, limits: { memory: '1000Mi' } }, 'limits.memory', 'below the memory request 1Gi'],
    [{ limits: { memory: '64Mi' } }, 'limits.memory', 'below the memory request 128Mi'],
    [{ containerOverrides: [{ name: 'db', limits: { memory: '100Mi' } }] }, 'containerOverrides[0].limits.memory', 'below the memory request 128Mi'],
    [{ containerOverrides: [{ name: 'db', request: { memory: '1Gi' } }] }, 'containerOverrides[0].request', 'did you mean "requests"'],
    [{ containerOverrides: [{ requests: { memory: '1Gi' } }] }, 'containerOverrides[0].name', 'container name'],
    [{ containerOverrides: [{ name: 'db' }, { name: 'db' }] }, 'containerOverrides[1].name', 'listed twice'],
    [{ containerOverrides: { db: {} } }, 'containerOverrides', 'expected a list'],
    [{ limit: { memory: '1Gi' } }, 'limit', 'did you mean "limits"'],
  ])('rejects %j at %s', (options, field, text) => {
    expectError(KrmConfigError, () => config({ ...KIND, ...options }), field, text);
  });
});

describe('what is filled', () => {
  it('fills every container and init container, not ephemeral containers (the API forbids resources there)', () => {
    const { objects, results } = run(KIND, deployment('api', [{ name: 'api', image: 'x' }], { initContainers: [{ name: 'init', image: 'y' }], ephemeralContainers: [{ name: 'debug', image: 'z' }] }));
    const byName = containersByName(objects[0]!);
    for (const name of ['api', 'init']) expect(byName.get(name)!.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } });
    const ephemeral = ((((objects[0]!.spec as Obj).template as Obj).spec as Obj).ephemeralContainers as Obj[])[0]!;
    expect(ephemeral.resources).toBeUndefined();
    expect(results).toEqual([]);
  });

  it('sets CPU and ephemeral-storage limits only when configured', () => {
    const input = deployment('api', [{ name: 'api', image: 'x' }]);
    expect((containersByName(run(KIND, input).objects[0]!).get('api')!.resources as Obj).limits).toEqual({ memory: '128Mi' });
    const options = { ...KIND, requests: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '1Gi' }, limits: { cpu: '1', memory: '512Mi', 'ephemeral-storage': '2Gi' } };
    expect(containersByName(run(options, input).objects[0]!).get('api')!.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '1Gi' },
      limits: { cpu: '1', memory: '512Mi', 'ephemeral-storage': '2Gi' },
    });
  });

  it('applies containerOverrides by container name, resource by resource, and warns about a name no workload has', () => {
    const options = { ...KIND, limits: { memory: '256Mi' }, containerOverrides: [{ name: 'db', requests: { memory: '1Gi' }, limits: { memory: '2Gi' } }, { name: 'istio-prxy', requests: { cpu: '10m' } }] };
    const { objects, results } = run(options, deployment('api', [{ name: 'api', image: 'x' }, { name: 'db', image: 'postgres' }]));
    const byName = containersByName(objects[0]!);
    expect(byName.get('api')!.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(byName.get('db')!.resources).toEqual({ requests: { cpu: '100m', memory: '1Gi' }, limits: { memory: '2Gi' } });
    expect(results).toEqual([
      { severity: 'warning', message: 'no selected workload has a container or initContainer named "istio-prxy": containerOverrides for it did nothing', tags: { function: 'resources' } },
    ]);
  });

  it('leaves skipContainers, pods with pod-level resources, and unselected or opted-out workloads alone', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { resources: { limits: { memory: '1Gi' } }, containers: [{ name: 'a', image: 'x' }] } };
    const optedOut = deployment('opted-out', [{ name: 'a', image: 'x' }], { metadata: { annotations: { 'krmkit.dev/skip': 'resources' } } });
    const excluded = deployment('excluded', [{ name: 'a', image: 'x' }]);
    const options = { ...KIND, skipContainers: ['mesh'], exclude: [{ name: 'excluded' }] };
    const input = streamOf(deployment('api', [{ name: 'api', image: 'x' }, { name: 'mesh', image: 'y' }]), pod, optedOut, excluded);
    const { output, results } = transform(input, options);
    const objects = objectsOf(output);
    expect(containersByName(objects[0]!).get('mesh')!.resources).toBeUndefined();
    expect(containersByName(objects[0]!).get('api')!.resources).toBeDefined();
    expect(objects.slice(1)).toEqual(objectsOf(input).slice(1));
    expect(results.map((result) => result.message)).toEqual(['has pod-level resources (spec.resources); its containers are left as they are']);
  });

  it('keeps comments and key order of an edited document, and other documents byte for byte', () => {
    const input = [
      '# Source: shop/templates/api.yaml',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: api',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: api # the main container',
      '        image: shop/api:2',
      '        resources:',
      '          requests:',
      '            memory: 1Gi # measured in load tests',
      '---',
      '# Source: shop/templates/cm.yaml',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: settings}',
      'data: {a: "1"}',
      '',
    ].join('\n');
    const { output } = transform(input, KIND);
    expect(output).toContain('      - name: api # the main container\n        image: shop/api:2\n        resources:\n          requests:\n            memory: 1Gi # measured in load tests\n            cpu: 100m\n          limits:\n            memory: 1Gi\n');
    expect(output.endsWith(input.slice(input.indexOf('---')))).toBe(true);
  });
});

describe('what is kept', () => {
  it('never lowers, raises or respells an amount the chart set', () => {
    const container = { name: 'app', image: 'x', resources: { requests: { cpu: 2, memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' } } };
    const { objects, results } = run({ ...KIND, requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } }, deployment('big', [container]));
    expect(containersByName(objects[0]!).get('app')!.resources).toEqual(container.resources);
    expect(results).toEqual([]);
  });

  it('sets an absent request to the limit the chart set (the API server default), not to a smaller configured request', () => {
    const { objects } = run(KIND, deployment('cache', [{ name: 'redis', image: 'redis', resources: { limits: { cpu: '2', memory: '1Gi' } } }]));
    expect(containersByName(objects[0]!).get('redis')!.resources).toEqual({ limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '2', memory: '1Gi' } });
  });

  it('makes a limit that the configured amount would put below the request the request, and says so on every run', () => {
    const options = { ...KIND, limits: { memory: '512Mi' } };
    const input = deployment('worker', [{ name: 'worker', image: 'x', resources: { requests: { memory: '4Gi' } } }]);
    const once = run(options, input);
    expect(((containersByName(once.objects[0]!).get('worker')!.resources as Obj).limits as Obj).memory).toBe('4Gi');
    const message = 'container "worker": memory limit 4Gi, its request, instead of the configured 512Mi, which is below that request; give this container its own limit in containerOverrides';
    expect(once.results.map((result) => [result.severity, result.message])).toEqual([['info', message]]);
    const twice = transform(once.output, options);
    expect(twice.output).toBe(once.output);
    expect(twice.results).toEqual(once.results);
  });

  it.each([
    [{ cpu: '500m' }, { cpu: '0.5' }],
    [{ memory: '1024Mi' }, { memory: '1Gi' }],
    [{ 'ephemeral-storage': '1e3' }, { 'ephemeral-storage': '1k' }],
    [{ memory: 1073741824 }, { memory: '1Gi' }],
  ])('accepts a limit equal to its request in another spelling: %j ≤ %j', (requests, limits) => {
    const { results } = run(KIND, deployment('equal', [{ name: 'app', image: 'x', resources: { requests, limits } }]));
    expect(results).toEqual([]);
  });

  it('reports an error, with field, current and proposed value, for a limit below its request, and the CLI exits 1 with nothing on stdout', () => {
    const input = deployment('inverted', [{ name: 'app', image: 'x', resources: { requests: { cpu: '0.5' }, limits: { cpu: '499m', memory: '64Mi' } } }]);
    const { results } = run(KIND, input);
    expect(results).toEqual([
      {
        severity: 'error',
        message: 'container "app": the cpu limit 499m is below its request 0.5, which the API server rejects; raise the limit or lower the request in the chart\'s values',
        resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'inverted', namespace: 'shop' },
        field: { path: 'spec.template.spec.containers[0].resources.limits.cpu', currentValue: '499m', proposedValue: '0.5' },
        tags: { function: 'resources' },
      },
    ]);
    const cli = runCli(['resources'], streamOf(input));
    expect(cli.status).toBe(1);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toContain('[error] apps/v1/Deployment/shop/inverted spec.template.spec.containers[0].resources.limits.cpu: container "app": the cpu limit 499m is below its request 0.5');
  });

  it('fills `resources: null`, `requests: {}` and `memory: null` as absent', () => {
    const { objects } = run(
      KIND,
      deployment('charty', [
        { name: 'a', image: 'x', resources: null },
        { name: 'b', image: 'x', resources: { requests: {}, limits: null } },
        { name: 'c', image: 'x', resources: { requests: { memory: null } } },
      ]),
    );
    for (const container of containersByName(objects[0]!).values()) {
      expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } });
    }
  });
});

describe('malformed input fails with a KrmInputError naming the field', () => {
  it.each([
    [{ resources: 'small' }, 'spec.template.spec.containers[0].resources', 'expected a mapping'],
    [{ resources: { requests: ['cpu'] } }, 'spec.template.spec.containers[0].resources.requests', 'expected a mapping'],
    [{ resources: { limits: { memory: 'lots' } } }, 'spec.template.spec.containers[0].resources.limits.memory', 'Kubernetes quantity'],
    [{ resources: { requests: { cpu: '-100m' } } }, 'spec.template.spec.containers[0].resources.requests.cpu', 'Kubernetes quantity'],
    [{ resources: { requests: { memory: true } } }, 'spec.template.spec.containers[0].resources.requests.memory', 'Kubernetes quantity'],
  ])('%j', (fields, field, text) => {
    expectError(KrmInputError, () => transform(streamOf(deployment('bad', [{ name: 'app', image: 'x', ...fields }])), KIND), field, text);
  });
});

// --- properties -------------------------------------------------------------------------

const QUANTITIES = { cpu: ['10m', '0.1', '250m', 1, '2', '1500m'], memory: ['64Mi', '128Mi', '0.5Gi', '1Gi', '1e9', 268435456], 'ephemeral-storage': ['100Mi', '1Gi', '2G'] };
const RESOURCE_KEYS = Object.keys(QUANTITIES) as (keyof typeof QUANTITIES)[];
const amounts = fc.record(
  Object.fromEntries(RESOURCE_KEYS.map((key) => [key, fc.constantFrom(...QUANTITIES[key])])) as Record<keyof typeof QUANTITIES, fc.Arbitrary<string | number>>,
  { requiredKeys: [] },
);
const containerResources = fc.option(fc.record({ requests: amounts, limits: amounts }, { requiredKeys: [] }), { nil: undefined });
const container = fc.record({ name: fc.constantFrom('app', 'sidecar', 'db', 'init'), image: fc.constant('x'), resources: containerResources }, { requiredKeys: ['name', 'image'] });
const podSpec = fc.record({ containers: fc.array(container, { minLength: 1, maxLength: 3 }), initContainers: fc.array(container, { maxLength: 1 }) }, { requiredKeys: ['containers'] });
const workloadArb = fc.oneof(
  fc.record({ apiVersion: fc.constant('apps/v1'), kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet'), metadata: fc.record({ name: fc.constantFrom('a', 'b', 'c') }), spec: fc.record({ template: fc.record({ spec: podSpec }) }) }),
  fc.record({ apiVersion: fc.constant('batch/v1'), kind: fc.constant('CronJob'), metadata: fc.record({ name: fc.constant('cron') }), spec: fc.record({ jobTemplate: fc.record({ spec: fc.record({ template: fc.record({ spec: podSpec }) }) }) }) }),
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('ConfigMap'), metadata: fc.record({ name: fc.constant('settings') }), data: fc.dictionary(fc.constantFrom('a', 'b'), fc.string({ maxLength: 8 })) }),
);
const documentText = fc
  .record({ object: workloadArb, indentSeq: fc.boolean(), comment: fc.option(fc.constantFrom('# Source: chart/templates/x.yaml', '# hand-written'), { nil: undefined }) })
  .map(({ object, indentSeq, comment }) => `${comment ? `${comment}\n` : ''}${stringify(object, { indentSeq, lineWidth: 0 })}`);
const generatedStream = fc.array(documentText, { minLength: 1, maxLength: 4 }).map((documents) => documents.join('---\n'));
const configArb = fc.oneof(
  fc.constant(KIND),
  fc.constant({ ...KIND, requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } }),
  fc.constant({ ...KIND, requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '1Gi' }, limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' }, containerOverrides: [{ name: 'sidecar', requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } }] }),
);

/** Every amount in a stream's containers and init containers, as `workload/container/requests|limits/resource`. */
function amountsOf(objects: Obj[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  objects.forEach((object, index) => {
    const template = object.kind === 'CronJob' ? (((object.spec as Obj).jobTemplate as Obj).spec as Obj).template : (object.spec as Obj | undefined)?.template;
    if (!isPlainMap(template)) return;
    const spec = template.spec as Obj;
    for (const list of ['containers', 'initContainers']) {
      ((spec[list] as Obj[] | undefined) ?? []).forEach((entry, position) => {
        const resources = (entry.resources as Obj | undefined) ?? {};
        for (const kind of ['requests', 'limits']) {
          for (const [name, value] of Object.entries((resources[kind] as Obj | undefined) ?? {})) out.set(`${index}/${list}[${position}]/${kind}/${name}`, value);
        }
      });
    }
  });
  return out;
}

describe('properties', () => {
  const runs = Number(process.env.FC_RUNS ?? 150);

  it('is idempotent: running twice gives the same bytes and the same results as once', () => {
    fc.assert(
      fc.property(generatedStream, configArb, (text, options) => {
        const { once, twice } = idempotentRuns(text, options);
        expect(twice.results).toEqual(once.results);
      }),
      { numRuns: runs },
    );
  });

  it('loses nothing and changes no amount: every object and field comes out, every amount there stays as written; afterwards every container has CPU and memory requests and a memory limit', () => {
    fc.assert(
      fc.property(generatedStream, configArb, (text, options) => {
        const { output, results } = transform(text, options);
        const before = objectsOf(text);
        const after = objectsOf(output);
        const strip = (value: unknown): unknown => withoutPaths(value, (key) => key === 'resources');
        expect(after.map(strip)).toEqual(before.map(strip));
        const was = amountsOf(before);
        const now = amountsOf(after);
        for (const [key, value] of was) expect(now.get(key), key).toEqual(value);
        const inverted = results.filter((result) => result.severity === 'error');
        for (const [key] of now) {
          if (!key.includes('/requests/')) continue;
          const [prefix, name] = key.split('/requests/') as [string, string];
          const limit = now.get(`${prefix}/limits/${name}`);
          const wasInverted = inverted.some((result) => result.field?.path.endsWith(`.resources.limits.${name}`));
          if (limit !== undefined && !wasInverted) expect(compareQuantities(parseQuantity(limit)!, parseQuantity(now.get(key))!), key).toBeGreaterThanOrEqual(0);
        }
        for (const key of [...now.keys()].filter((entry) => entry.endsWith('/requests/cpu'))) {
          const prefix = key.slice(0, -'/requests/cpu'.length);
          expect(now.has(`${prefix}/requests/memory`), prefix).toBe(true);
          expect(now.has(`${prefix}/limits/memory`), prefix).toBe(true);
        }
        const containers = [...was.keys(), ...now.keys()].map((key) => key.split('/').slice(0, 2).join('/'));
        for (const prefix of new Set(containers)) expect(now.has(`${prefix}/requests/cpu`), prefix).toBe(true);
      }),
      { numRuns: runs },
    );
  });

  it('leaves documents it does not change byte-identical', () => {
    fc.assert(fc.property(generatedStream, configArb, expectUntouchedDocumentsKept), { numRuns: runs });
  });
});

describe.runIf(needsShared('corpora'))('real corpora (../shared/corpora)', () => {
  const prod = (parse(readOverlay('prod')) as { steps: Obj[] }).steps.find((step) => step.kind === 'Resources') as Obj;

  describe.each(corpora())('$name', ({ text }) => {
    it.each([
      ['the defaults', KIND],
      ['the prod overlay step', { ...KIND, ...prod }],
    ])('through %s: every container gets CPU and memory requests and a memory limit, nothing else changes, idempotent', (_name, options) => {
      const once = transform(text, options as Obj);
      expect(transform(once.output, options as Obj).output).toBe(once.output);
      expect(once.results.filter((result) => result.severity === 'error')).toEqual([]);
      const before = objectsOf(text);
      const after = objectsOf(once.output);
      const strip = (value: unknown): unknown => withoutPaths(value, (key) => key === 'resources');
      // RBAC rules have `resources` lists too: compare them separately, they must not change.
      const rbac = (objects: Obj[]) => objects.filter((object) => String(object.kind).endsWith('Role')).map((object) => object.rules);
      expect(rbac(after)).toEqual(rbac(before));
      expect(after.map(strip)).toEqual(before.map(strip));
      const was = amountsOf(before);
      const now = amountsOf(after);
      for (const [key, value] of was) expect(now.get(key), key).toEqual(value);
      const prefixes = new Set([...now.keys()].map((key) => key.split('/').slice(0, 2).join('/')));
      expect(prefixes.size).toBeGreaterThan(0);
      for (const prefix of prefixes) {
        for (const needed of ['requests/cpu', 'requests/memory', 'limits/memory']) expect(now.has(`${prefix}/${needed}`), `${prefix}/${needed}`).toBe(true);
      }
      // The test can fail: which corpora lacked a request or memory limit before.
      const lacking = [...prefixes].filter((prefix) => ['requests/cpu', 'requests/memory', 'limits/memory'].some((needed) => !was.has(`${prefix}/${needed}`)));
      expect(lacking.length > 0).toBe(once.output !== text);
    });
  });

  it('some corpus lacked requests or a memory limit (so the checks above can fail)', () => {
    const lacking = corpora().filter(({ text }) => transform(text, KIND).output !== text);
    expect(lacking.map(({ name }) => name)).toEqual(expect.arrayContaining(['cert-manager-v1.14.4.yaml', 'ingress-nginx-cloud.yaml', 'metrics-server-components.yaml']));
  });
});

function readOverlay(name: string): string {
  return readFileSync(join(REPO_ROOT, 'overlays', name, 'pipeline.yaml'), 'utf8');
}

describe('Helm 4 hooks', () => {
  it('is declared a pod-hardening function, which edits hooks by default like security-context', () => {
    expect(FUNCTIONS.find((fn) => fn.name === 'resources')?.editsHooks).toBe(true);
  });
});

describe('CLI (dist/krmkit.cjs)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'krmkit-resources-'));
  });
  const api = `# Source: shop/templates/api.yaml\n${stringify(deployment('api', [{ name: 'api', image: 'x' }]))}`;

  it('takes requests and limits as flags (YAML strings), and a ConfigMap via --config', () => {
    const flags = runCli(['resources', '--requests', '{cpu: 250m, memory: 256Mi}', '--limits', '{memory: 512Mi}'], api);
    expect(flags.status, flags.stderr).toBe(0);
    expect(flags.stdout.startsWith('# Source: shop/templates/api.yaml\n')).toBe(true);
    expect(containersByName(objectsOf(flags.stdout)[0]!).get('api')!.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } });
    const path = join(dir, 'resources.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: resources}\ndata:\n  requests: "{cpu: 50m, memory: 64Mi}"\n');
    const file = runCli(['resources', '--config', path], api);
    expect(file.status, file.stderr).toBe(0);
    expect(containersByName(objectsOf(file.stdout)[0]!).get('api')!.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '64Mi' } });
  });

  it('exits 2 with the field named and nothing on stdout for a malformed quantity, in the input or the config', () => {
    const input = runCli(['resources'], streamOf(deployment('bad', [{ name: 'app', image: 'x', resources: { limits: { memory: '1 GB' } } }])));
    expect(input.status).toBe(2);
    expect(input.stdout).toBe('');
    expect(input.stderr).toContain('spec.template.spec.containers[0].resources.limits.memory: expected a Kubernetes quantity');
    const config = runCli(['resources', '--requests', '{cpu: fast}'], api);
    expect(config.status).toBe(2);
    expect(config.stdout).toBe('');
    expect(config.stderr).toContain('requests.cpu');
  });
});

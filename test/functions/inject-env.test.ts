/**
 * inject-env: how injected variables meet the ones a container has (override, keep, error),
 * which containers get them, which `$(VAR)` references Kubernetes will leave unexpanded,
 * what malformed input and config produce — and, as properties, that it is idempotent and
 * loses nothing, on generated streams and on the real corpora.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { injectEnvOptions, parseInjectEnvConfig } from '../../functions/inject-env/config.js';
import { planMerge } from '../../functions/inject-env/merge-plan.js';
import { variableReferences } from '../../functions/inject-env/variable-references.js';
import { KrmConfigError, KrmInputError } from '../../krm/base/errors.js';
import { readOwnOptions } from '../../krm/function/options.js';
import { isPlainMap } from '../../krm/base/path.js';
import { stream as arbitraryStream } from '../helpers/arbitraries.js';
import { expectExit, expectRefused, runCli } from '../helpers/cli.js';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { objectsOf, withoutPaths } from '../helpers/objects.js';
import { transform } from '../helpers/transform.js';
import { expectIdempotent, expectUntouchedDocumentsKept } from '../helpers/run-properties.js';

type Obj = Record<string, unknown>;

const KIND = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'InjectEnv' };
const PROD_TRUE = { ...KIND, env: [{ name: 'PROD', value: 'true' }] };

function config(options: Obj) {
  return parseInjectEnvConfig(readOwnOptions('inject-env', 'InjectEnv', options, injectEnvOptions));
}

function configError(options: Obj): string {
  try {
    config(options);
  } catch (error) {
    expect(error).toBeInstanceOf(KrmConfigError);
    // `env[2].key: inject-env config: key is required` → `env[2].key: key is required`
    return (error as Error).message.replace('inject-env config: ', '');
  }
  throw new Error('expected a KrmConfigError');
}

function deployment(name: string, podSpec: Obj, namespace = 'shop'): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
  };
}

function configMap(name: string, data: Obj, namespace = 'shop'): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

const streamOf = (...objects: Obj[]): string => objects.map((object) => stringify(object)).join('---\n');

function run(options: Obj, ...objects: Obj[]) {
  const outcome = transform(streamOf(...objects), options);
  const byName = new Map(objectsOf(outcome.output).map((object) => [`${String(object.kind)}/${String((object.metadata as Obj).name)}`, object]));
  return { ...outcome, get: (id: string) => byName.get(id) as Obj };
}

/** The pod spec of any built-in kind. */
function podSpecOf(object: Obj): Obj {
  if (object.kind === 'Pod') return object.spec as Obj;
  if (object.kind === 'CronJob') return ((((object.spec as Obj).jobTemplate as Obj).spec as Obj).template as Obj).spec as Obj;
  return ((object.spec as Obj).template as Obj).spec as Obj;
}

function container(object: Obj, name: string, list = 'containers'): Obj {
  return ((podSpecOf(object)[list] as Obj[]) ?? []).find((entry) => entry.name === name) as Obj;
}

const envOf = (object: Obj, name: string, list = 'containers'): Obj[] => (container(object, name, list).env as Obj[] | undefined) ?? [];
const envNames = (object: Obj, name: string, list = 'containers'): string[] => envOf(object, name, list).map((entry) => String(entry.name));

describe('config', () => {
  it('defaults: every app container, no initContainers, override', () => {
    expect(config(PROD_TRUE)).toEqual({ env: [{ name: 'PROD', value: 'true' }], envFrom: [], containers: [], initContainers: false, onConflict: 'override' });
  });

  it('reads the ConfigMap form: env as a YAML string, containers as a comma list', () => {
    const parsed = config({ apiVersion: 'v1', kind: 'ConfigMap', data: { env: "[{name: PROD, value: 'true'}]", containers: 'api,worker', initContainers: 'true', onConflict: 'keep' } });
    expect(parsed).toEqual({ env: [{ name: 'PROD', value: 'true' }], envFrom: [], containers: ['api', 'worker'], initContainers: true, onConflict: 'keep' });
  });

  it('takes a {NAME: value} mapping as a shorthand for plain values, in the mapping order', () => {
    expect(config({ ...KIND, env: { PROD: 'true', LOG_LEVEL: 'info' } }).env).toEqual([
      { name: 'PROD', value: 'true' },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
    expect(config({ apiVersion: 'v1', kind: 'ConfigMap', data: { env: "{PROD: 'false'}" } }).env).toEqual([{ name: 'PROD', value: 'false' }]);
  });

  it('keeps valueFrom sources and envFrom sources as given', () => {
    const parsed = config({
      ...KIND,
      env: [
        { name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } } },
        { name: 'B', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } },
        { name: 'C', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } },
        { name: 'D', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi', containerName: 'api' } } },
        { name: 'EMPTY' },
        { name: 'BLANK', value: '' },
      ],
      envFrom: [{ prefix: 'S_', secretRef: { name: 's' } }, { configMapRef: { name: 'c', optional: false } }],
    });
    expect(parsed.env.map((entry) => Object.keys(entry.valueFrom ?? {})[0] ?? entry.value ?? '-')).toEqual(['secretKeyRef', 'configMapKeyRef', 'fieldRef', 'resourceFieldRef', '-', '']);
    expect(parsed.envFrom).toEqual([{ secretRef: { name: 's' }, prefix: 'S_' }, { configMapRef: { name: 'c', optional: false } }]);
  });

  it.each([
    [{ env: [{ name: 'A', value: 'x' }, { name: 'B', value: 'y' }, { name: 'C', valueFrom: { secretKeyRef: { name: 's' } } }] }, 'env[2].valueFrom.secretKeyRef.key: key is required'],
    [{ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' }, fieldRef: { fieldPath: 'x' } } }] }, 'env[0].valueFrom: expected exactly one of secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef, got secretKeyRef and fieldRef'],
    [{ env: [{ name: 'A', valueFrom: {} }] }, 'env[0].valueFrom: expected exactly one of'],
    [{ env: [{ name: 'A', valueFrom: { secretRef: { name: 's' } } }] }, 'env[0].valueFrom.secretRef: unknown field "secretRef" — did you mean "secretKeyRef"?'],
    [{ env: [{ name: 'A', valueFrom: 'secret' }] }, 'env[0].valueFrom: expected a mapping'],
    [{ env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 3 } } }] }, 'env[0].valueFrom.fieldRef.fieldPath: expected a non-empty string, got a number (3)'],
    [{ env: [{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: [] } } }] }, 'env[0].valueFrom.resourceFieldRef.divisor: expected a quantity'],
    [{ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'k', optional: 'yes' } } }] }, 'env[0].valueFrom.configMapKeyRef.optional: expected true or false'],
    [{ env: [{ name: 'PROD', value: true }] }, 'env[0].value: expected a string, got a boolean (true) — quote it: value: "true"'],
    [{ env: [{ name: 'PORT', value: 8080 }] }, 'env[0].value: expected a string, got a number (8080) — quote it'],
    [{ env: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }, 'env[0]: give value or valueFrom, not both'],
    [{ env: [{ name: 'A', vaule: 'x' }] }, 'env[0].vaule: unknown field "vaule" — did you mean "value"?'],
    [{ env: [{ value: 'x' }] }, 'env[0].name: name is required'],
    [{ env: [{ name: '', value: 'x' }] }, 'env[0].name: expected a non-empty string, got a string ("")'],
    [{ env: [{ name: 'A=B', value: 'x' }] }, 'env[0].name: "A=B" is not a valid variable name'],
    [{ env: ['PROD=true'] }, 'env[0]: expected an EnvVar mapping'],
    [{ env: 'PROD=true' }, 'env: expected a list of EnvVar or a {NAME: value} mapping'],
    [{ env: [{ name: 'A', value: 'x' }, { name: 'A', value: 'y' }] }, 'env[1].name: A is already given by env[0]'],
    [{ env: { PROD: true } }, 'env.PROD: expected a string, got a boolean (true) — quote it: PROD: "true"'],
    [{ envFrom: [{ prefix: 'X_' }] }, 'envFrom[0]: expected exactly one of configMapRef, secretRef, got none'],
    [{ envFrom: [{ configMapRef: { name: 'a' }, secretRef: { name: 'b' } }] }, 'envFrom[0]: expected exactly one of configMapRef, secretRef, got configMapRef and secretRef'],
    [{ envFrom: [{ configMapRef: 'settings' }] }, 'envFrom[0].configMapRef: expected a mapping'],
    [{ envFrom: [{ configMapRef: { name: 'a' }, prefix: 1 }] }, 'envFrom[0].prefix: expected a string'],
    [{ envFrom: [{ configMapRef: { name: 'a' } }, { configMapRef: { name: 'a' } }] }, 'envFrom[1]: the same source as envFrom[0]'],
    [{ envFrom: { configMapRef: { name: 'a' } } }, 'envFrom: expected a list of EnvFromSource'],
    [{}, 'nothing to inject'],
    [{ env: [] }, 'nothing to inject'],
    [{ env: [{ name: 'A' }], onConflict: 'replace' }, 'onConflict: "replace" is not one of override, keep, error'],
    [{ env: [{ name: 'A' }], initContainer: true }, 'unknown option "initContainer" — did you mean "initContainers"?'],
  ])('rejects %j: %s', (options, message) => {
    expect(configError({ ...KIND, ...options })).toContain(message);
  });

  it('names the ConfigMap key when its YAML string is malformed', () => {
    expect(configError({ apiVersion: 'v1', kind: 'ConfigMap', data: { env: '[{name: PROD, value: "true"' } })).toContain('data.env: not valid YAML or JSON');
  });
});

describe('$(VAR) references, read as the kubelet reads them', () => {
  it.each([
    ['http://$(HOST):$(PORT)', ['HOST', 'PORT']],
    ['$(A)$(A)', ['A']],
    ['$$(A)', []],
    ['$$$(A)', ['A']],
    ['$$$$(A)', []],
    ['$(A', []],
    ['$()', []],
    ['$A $ (A) $', []],
    ['$(A B)', ['A B']],
    ['', []],
  ])('%j references %j', (value, names) => {
    expect(variableReferences(value)).toEqual(names);
  });
});

describe('planMerge: the decisions, on plain lists', () => {
  const env = (name: string, value: string): Obj => ({ name, value });
  const plan = (current: Obj[], injected: Obj[], onConflict: 'override' | 'keep' | 'error') =>
    planMerge(current, current.map((entry) => String(entry.name)), injected, (entry) => String(entry.name), onConflict);

  it('appends new variables after the existing ones, in config order', () => {
    const result = plan([env('A', '1')], [env('B', '2'), env('C', '3')], 'override');
    expect(result.final.map(({ entry }) => entry.name)).toEqual(['A', 'B', 'C']);
    expect(result.appends).toEqual([env('B', '2'), env('C', '3')]);
  });

  it('override replaces a different variable where it stands', () => {
    const result = plan([env('PROD', 'false'), env('B', '2')], [env('PROD', 'true')], 'override');
    expect(result.final.map(({ entry }) => entry)).toEqual([env('PROD', 'true'), env('B', '2')]);
    expect([...result.replacements]).toEqual([[0, env('PROD', 'true')]]);
    expect(result.conflicts).toEqual([]);
  });

  it('override leaves exactly one of a duplicated variable: the first, replaced', () => {
    const result = plan([env('PROD', 'a'), env('B', '2'), env('PROD', 'b')], [env('PROD', 'true')], 'override');
    expect(result.final.map(({ entry }) => entry)).toEqual([env('PROD', 'true'), env('B', '2')]);
    expect(result.removals).toEqual([2]);
  });

  it('keep and error leave a different variable, and record the conflict', () => {
    for (const mode of ['keep', 'error'] as const) {
      const result = plan([env('PROD', 'false')], [env('PROD', 'true')], mode);
      expect(result.final.map(({ entry }) => entry)).toEqual([env('PROD', 'false')]);
      expect(result.conflicts).toEqual([{ key: 'PROD', index: 0, current: env('PROD', 'false'), proposed: env('PROD', 'true') }]);
      expect(result.placed.has('PROD')).toBe(false);
    }
  });

  it('an equal variable is no conflict under any mode: a second run is a no-op', () => {
    for (const mode of ['override', 'keep', 'error'] as const) {
      const result = plan([env('PROD', 'true')], [env('PROD', 'true')], mode);
      expect(result.conflicts).toEqual([]);
      expect(result.replacements.size + result.appends.length + result.removals.length).toBe(0);
    }
  });
});

describe('injecting', () => {
  const api = (extra: Obj = {}) => deployment('api', { containers: [{ name: 'api', image: 'shop/api:2', ...extra }, { name: 'sidecar', image: 'envoy:1' }] });

  it('adds to every app container of every pod-template kind, and to nothing else', () => {
    const podSpec = () => ({ initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'app', image: 'app:1' }] });
    const objects: Obj[] = [
      deployment('deploy', podSpec()),
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'sts' }, spec: { template: { spec: podSpec() } } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { template: { spec: podSpec() } } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { template: { spec: podSpec() } } },
      { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template: { spec: podSpec() } } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job' }, spec: { template: { spec: podSpec() } } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cron' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: podSpec() } } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod' }, spec: podSpec() },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'rollout' }, spec: { template: { spec: podSpec() } } },
      configMap('settings', { PROD: 'maybe' }),
    ];
    const { get, results } = run(PROD_TRUE, ...objects);
    expect(results).toEqual([]);
    for (const object of objects.slice(0, -1)) {
      const after = get(`${String(object.kind)}/${String((object.metadata as Obj).name)}`);
      expect(envOf(after, 'app'), String(object.kind)).toEqual([{ name: 'PROD', value: 'true' }]);
      expect(container(after, 'init', 'initContainers').env, String(object.kind)).toBeUndefined();
    }
    expect(get('ConfigMap/settings')).toEqual(objects.at(-1));
  });

  it('works on kinds declared with podTemplateKinds', () => {
    const custom = { apiVersion: 'example.com/v1', kind: 'AppSet', metadata: { name: 'custom' }, spec: { pod: { spec: { containers: [{ name: 'app', image: 'a' }] } } } };
    const { get } = run({ ...PROD_TRUE, podTemplateKinds: [{ group: 'example.com', kind: 'AppSet', path: 'spec.pod' }] }, custom);
    expect((((get('AppSet/custom').spec as Obj).pod as Obj).spec as Obj).containers).toEqual([{ name: 'app', image: 'a', env: [{ name: 'PROD', value: 'true' }] }]);
  });

  it('initContainers: true adds to init containers and native sidecars too', () => {
    const object = deployment('api', {
      initContainers: [{ name: 'migrate', image: 'a' }, { name: 'proxy', image: 'p', restartPolicy: 'Always' }],
      containers: [{ name: 'api', image: 'a' }],
    });
    const { get } = run({ ...PROD_TRUE, initContainers: true }, object);
    for (const name of ['migrate', 'proxy']) expect(envNames(get('Deployment/api'), name, 'initContainers')).toEqual(['PROD']);
    expect(envNames(get('Deployment/api'), 'api')).toEqual(['PROD']);
  });

  it('containers: [names] picks containers by name, in both lists when initContainers is true', () => {
    const object = deployment('api', { initContainers: [{ name: 'migrate', image: 'a' }, { name: 'wait', image: 'b' }], containers: [{ name: 'api', image: 'a' }, { name: 'sidecar', image: 'e' }] });
    const { get, results } = run({ ...PROD_TRUE, containers: ['api', 'migrate'], initContainers: true }, object);
    const after = get('Deployment/api');
    expect([envNames(after, 'api'), envNames(after, 'sidecar'), envNames(after, 'migrate', 'initContainers'), envNames(after, 'wait', 'initContainers')]).toEqual([['PROD'], [], ['PROD'], []]);
    expect(results).toEqual([]);
  });

  it('warns when a configured container name matches no container anywhere (a typo would otherwise do nothing)', () => {
    const { results, output } = run({ ...PROD_TRUE, containers: ['api', 'migrate'] }, deployment('api', { initContainers: [{ name: 'migrate', image: 'a' }], containers: [{ name: 'api', image: 'a' }] }));
    expect(results).toEqual([
      { severity: 'warning', message: 'no selected workload has containers (initContainers: false) named "migrate": nothing injected there', tags: { function: 'inject-env' } },
    ]);
    expect(output).toContain('PROD');
  });

  it('override replaces the entry in place, keeping its position and the comment on its name', () => {
    const input = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: api}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: api',
      '        env:',
      '        - name: PROD # set by the chart',
      '          value: "false"',
      '        - name: DEBUG',
      '          value: "1"',
      '',
    ].join('\n');
    const { output } = transform(input, { ...KIND, env: [{ name: 'PROD', valueFrom: { configMapKeyRef: { name: 'flags', key: 'prod' } } }, { name: 'NEW', value: 'x' }] });
    expect(output).toBe(
      [
        ...input.trimEnd().split('\n').slice(0, 9),
        '        - name: PROD # set by the chart',
        '          valueFrom:',
        '            configMapKeyRef:',
        '              name: flags',
        '              key: prod',
        '        - name: DEBUG',
        '          value: "1"',
        '        - name: NEW',
        '          value: x',
        '',
      ].join('\n'),
    );
  });

  it('keep leaves a different variable and says so with an info result', () => {
    const { get, results } = run({ ...PROD_TRUE, onConflict: 'keep' }, api({ env: [{ name: 'PROD', value: 'false' }] }));
    expect(envOf(get('Deployment/api'), 'api')).toEqual([{ name: 'PROD', value: 'false' }]);
    expect(envOf(get('Deployment/api'), 'sidecar')).toEqual([{ name: 'PROD', value: 'true' }]);
    expect(results.map((result) => [result.severity, result.message])).toEqual([['info', 'container "api" keeps its own PROD (onConflict: keep)']]);
  });

  it('error reports the workload, container and variable, and changes nothing there', () => {
    const { get, results } = run({ ...PROD_TRUE, onConflict: 'error' }, api({ env: [{ name: 'X', value: '1' }, { name: 'PROD', value: 'false' }] }));
    expect(envOf(get('Deployment/api'), 'api')).toEqual([{ name: 'X', value: '1' }, { name: 'PROD', value: 'false' }]);
    expect(results).toEqual([
      {
        severity: 'error',
        message: 'container "api" already sets PROD differently (onConflict: error; use override to replace it or keep to leave it)',
        resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'shop' },
        field: { path: 'spec.template.spec.containers[0].env[1]', currentValue: { name: 'PROD', value: 'false' }, proposedValue: { name: 'PROD', value: 'true' } },
        tags: { function: 'inject-env' },
      },
    ]);
  });

  it('never adds an envFrom source twice; a different prefix is a different source', () => {
    const existing = [{ configMapRef: { name: 'settings' } }, { secretRef: { name: 'tokens' }, prefix: 'T_' }];
    const { get } = run(
      { ...KIND, envFrom: [{ configMapRef: { name: 'settings' } }, { secretRef: { name: 'tokens' }, prefix: 'T_' }, { secretRef: { name: 'tokens' } }, { configMapRef: { name: 'tokens' } }] },
      api({ envFrom: existing }),
    );
    expect(container(get('Deployment/api'), 'api').envFrom).toEqual([...existing, { secretRef: { name: 'tokens' } }, { configMapRef: { name: 'tokens' } }]);
  });

  it('applies onConflict to an envFrom source set differently (optional)', () => {
    const objects = api({ envFrom: [{ configMapRef: { name: 'settings', optional: true } }] });
    const options = { ...KIND, envFrom: [{ configMapRef: { name: 'settings' } }] };
    expect(container(run(options, objects).get('Deployment/api'), 'api').envFrom).toEqual([{ configMapRef: { name: 'settings' } }]);
    expect(container(run({ ...options, onConflict: 'keep' }, objects).get('Deployment/api'), 'api').envFrom).toEqual([{ configMapRef: { name: 'settings', optional: true } }]);
    const errored = run({ ...options, onConflict: 'error' }, objects);
    expect(errored.results.map((result) => [result.severity, result.field?.path])).toEqual([['error', 'spec.template.spec.containers[0].envFrom[0]']]);
  });

  it('flags duplicates already in the input that it does not resolve, and resolves those it injects under override', () => {
    const input = api({ env: [{ name: 'PROD', value: 'a' }, { name: 'LOG', value: '1' }, { name: 'LOG', value: '2' }, { name: 'PROD', value: 'b' }] });
    const { get, results } = run(PROD_TRUE, input);
    expect(envOf(get('Deployment/api'), 'api')).toEqual([{ name: 'PROD', value: 'true' }, { name: 'LOG', value: '1' }, { name: 'LOG', value: '2' }]);
    expect(results.map((result) => [result.message, result.field?.path])).toEqual([
      ['container "api" defines LOG 2 times (env[1], env[2]); Kubernetes uses the last', 'spec.template.spec.containers[0].env[2]'],
    ]);
    const kept = run({ ...PROD_TRUE, onConflict: 'keep' }, input);
    expect(envNames(kept.get('Deployment/api'), 'api')).toEqual(['PROD', 'LOG', 'LOG', 'PROD']);
    expect(kept.results.filter((result) => result.severity === 'warning').map((result) => result.message)).toEqual([
      'container "api" defines PROD 2 times (env[0], env[3]); Kubernetes uses the last',
      'container "api" defines LOG 2 times (env[1], env[2]); Kubernetes uses the last',
    ]);
  });

  it('creates env on a container with env: null', () => {
    const { get } = run(PROD_TRUE, api({ env: null, envFrom: null }));
    expect(container(get('Deployment/api'), 'api')).toEqual({ name: 'api', image: 'shop/api:2', env: [{ name: 'PROD', value: 'true' }], envFrom: null });
  });
});

describe('$(VAR) reference warnings', () => {
  const warnings = (env: Obj[], containerExtra: Obj = {}, ...others: Obj[]) =>
    run({ ...KIND, env }, deployment('api', { containers: [{ name: 'api', image: 'a', ...containerExtra }] }), ...others).results.map((result) => result.message);

  it('resolves references to existing variables, earlier injected ones, and keys of envFrom sources in the input (with prefix)', () => {
    const sources = { env: [{ name: 'PASSWORD', value: 'x' }], envFrom: [{ configMapRef: { name: 'db' } }, { secretRef: { name: 'tokens' }, prefix: 'T_' }] };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tokens', namespace: 'shop' }, stringData: { API: 'k' }, data: { OTHER: 'eA==' } };
    expect(
      warnings(
        [{ name: 'HOST', value: 'db' }, { name: 'URL', value: '$(HOST):$(PORT)/$(PASSWORD)/$(T_API)/$(T_OTHER)/$$(LITERAL)' }],
        sources,
        configMap('db', { PORT: '5432' }),
        secret,
      ),
    ).toEqual([]);
  });

  it('warns about a variable defined nowhere, naming the container and the escape', () => {
    expect(warnings([{ name: 'URL', value: 'http://$(HOST)' }])).toEqual([
      'URL refers to $(HOST), which container "api" does not define, so Kubernetes leaves the text "$(HOST)" as is (write $$(HOST) if that is meant)',
    ]);
  });

  it('warns about a variable defined only after the reference — also when an in-place override moves the reference before it', () => {
    expect(warnings([{ name: 'URL', value: '$(HOST)' }, { name: 'HOST', value: 'h' }])).toEqual([
      'URL refers to $(HOST), which container "api" defines only after it (env[1]); Kubernetes expands only variables defined earlier',
    ]);
    expect(warnings([{ name: 'PROD', value: '$(STAGE)' }], { env: [{ name: 'PROD', value: 'false' }, { name: 'STAGE', value: 'prod' }] })).toEqual([
      'PROD refers to $(STAGE), which container "api" defines only after it (env[1]); Kubernetes expands only variables defined earlier',
    ]);
  });

  it('a self-reference resolves only to an earlier definition: an envFrom key, not the entry it replaces', () => {
    expect(warnings([{ name: 'PATH', value: '$(PATH):/opt/bin' }], { env: [{ name: 'PATH', value: '/bin' }] })).toEqual([
      'PATH refers to itself, and container "api" defines no PATH before it, so Kubernetes leaves the text "$(PATH)" as is',
    ]);
    expect(warnings([{ name: 'PATH', value: '$(PATH):/opt/bin' }], { envFrom: [{ configMapRef: { name: 'paths' } }] }, configMap('paths', { PATH: '/bin' }))).toEqual([]);
  });

  it('an envFrom source not in the input may define anything: no "defined nowhere" warning, but "defined later" still', () => {
    const external = { envFrom: [{ secretRef: { name: 'vault-injected' } }] };
    expect(warnings([{ name: 'URL', value: '$(HOST)' }], external)).toEqual([]);
    expect(warnings([{ name: 'URL', value: '$(HOST)' }, { name: 'HOST', value: 'h' }], external)).toHaveLength(1);
  });

  it('matches a source by namespace, a namespace left out matching any', () => {
    const ref = { envFrom: [{ configMapRef: { name: 'db' } }] };
    const env = [{ name: 'URL', value: '$(PORT)' }];
    // In another namespace it is not the object the pod reads: the source is unknown, so no warning.
    expect(warnings(env, ref, configMap('db', {}, 'other'))).toEqual([]);
    // Without a namespace (Helm style) it is the one: it has no PORT.
    const unnamespaced = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db' }, data: {} };
    expect(warnings(env, ref, unnamespaced)).toEqual([expect.stringContaining('URL refers to $(PORT), which container "api" does not define')]);
  });

  it('does not check valueFrom entries or variables it kept', () => {
    expect(warnings([{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }])).toEqual([]);
    const kept = run({ ...KIND, onConflict: 'keep', env: [{ name: 'A', value: '$(NOPE)' }] }, deployment('api', { containers: [{ name: 'api', image: 'a', env: [{ name: 'A', value: 'mine' }] }] }));
    expect(kept.results.map((result) => result.severity)).toEqual(['info']);
  });
});

describe('selection', () => {
  it('honours select, exclude and the krmkit.dev/skip annotation', () => {
    const skipped = deployment('skipped', { containers: [{ name: 'a', image: 'a' }] });
    (skipped.metadata as Obj).annotations = { 'krmkit.dev/skip': 'inject-env' };
    const { get } = run(
      { ...PROD_TRUE, select: [{ kind: 'Deployment' }], exclude: [{ name: 'legacy-.*' }] },
      deployment('api', { containers: [{ name: 'a', image: 'a' }] }),
      deployment('legacy-api', { containers: [{ name: 'a', image: 'a' }] }),
      skipped,
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'a' }] } } } },
    );
    expect(['Deployment/api', 'Deployment/legacy-api', 'Deployment/skipped', 'StatefulSet/db'].map((id) => envNames(get(id), 'a'))).toEqual([['PROD'], [], [], []]);
  });
});

describe('malformed input: a KrmInputError naming the field', () => {
  const expectInputError = (objects: Obj[], field: string, options: Obj = PROD_TRUE): void => {
    let caught: unknown;
    try {
      transform(streamOf(...objects), options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KrmInputError);
    expect((caught as Error).message).toContain(field);
  };
  const withContainer = (extra: Obj) => [deployment('api', { containers: [{ name: 'api', image: 'a', ...extra }] })];

  it.each([
    [withContainer({ env: 'PROD=true' }), 'spec.template.spec.containers[0].env: expected a list'],
    [withContainer({ env: { PROD: 'true' } }), 'spec.template.spec.containers[0].env: expected a list'],
    [withContainer({ env: ['PROD=true'] }), 'spec.template.spec.containers[0].env[0]: expected a mapping'],
    [withContainer({ env: [{ name: 5, value: 'x' }] }), 'spec.template.spec.containers[0].env[0].name: expected a string'],
    [withContainer({ env: [{ value: 'x' }] }), 'spec.template.spec.containers[0].env[0].name: missing: every env entry needs a name'],
    [withContainer({ envFrom: { configMapRef: { name: 'x' } } }), 'spec.template.spec.containers[0].envFrom: expected a list'],
    [withContainer({ envFrom: [{ configMapRef: 'x' }] }), 'spec.template.spec.containers[0].envFrom[0].configMapRef: expected a mapping'],
    [withContainer({ envFrom: [{ secretRef: { name: ['x'] } }] }), 'spec.template.spec.containers[0].envFrom[0].secretRef.name: expected a string'],
    [withContainer({ envFrom: [{ configMapRef: { name: 'x' }, prefix: 3 }] }), 'spec.template.spec.containers[0].envFrom[0].prefix: expected a string'],
    [[deployment('api', { containers: { name: 'api' } })], 'spec.template.spec.containers: expected a list of containers'],
    [[deployment('api', { containers: ['api'] })], 'spec.template.spec.containers[0]: expected a container'],
    [[{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { template: 'pod' } }], 'spec.template: expected a pod template'],
    [[{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { template: { spec: [] } } }], 'spec.template.spec: expected a pod spec'],
  ])('%#: %s', (objects, field) => {
    expectInputError(objects, field);
  });

  it('reads a ConfigMap only when a source names it, and then checks its data', () => {
    const broken = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db', namespace: 'shop' }, data: ['PORT'] };
    expect(() => transform(streamOf(...withContainer({}), broken), PROD_TRUE)).not.toThrow();
    expectInputError([...withContainer({ envFrom: [{ configMapRef: { name: 'db' } }] }), broken], 'data: expected a mapping', { ...KIND, env: [{ name: 'URL', value: '$(PORT)' }] });
  });

  it('leaves containers it does not target unread', () => {
    expect(() => transform(streamOf(deployment('api', { initContainers: [{ name: 'init', env: 'bad' }], containers: [{ name: 'api' }] })), PROD_TRUE)).not.toThrow();
  });
});

// Properties over generated streams: the shared arbitraries plus env/envFrom shapes this function cares about.
const envEntry = fc.oneof(
  fc.record({ name: fc.constantFrom('A', 'B', 'PROD', 'LOG_LEVEL'), value: fc.constantFrom('1', 'false', '$(A)', '$$(B)') }),
  fc.record({ name: fc.constantFrom('PROD', 'POD_NAME'), valueFrom: fc.constant({ fieldRef: { fieldPath: 'metadata.name' } }) }),
);
const envFromEntry = fc.oneof(
  fc.record({ configMapRef: fc.record({ name: fc.constantFrom('settings', 'other') }) }),
  fc.record({ secretRef: fc.record({ name: fc.constant('tokens') }), prefix: fc.constant('T_') }),
  fc.record({ configMapRef: fc.record({ name: fc.constant('settings'), optional: fc.boolean() }) }),
);
const envWorkload = fc
  .record({
    kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet'),
    name: fc.constantFrom('api', 'web', 'db'),
    containers: fc.array(
      fc.record({ name: fc.constantFrom('api', 'web', 'sidecar'), env: fc.option(fc.array(envEntry, { maxLength: 4 }), { nil: undefined }), envFrom: fc.option(fc.array(envFromEntry, { maxLength: 2 }), { nil: undefined }) }, { requiredKeys: ['name'] }),
      { minLength: 1, maxLength: 3 },
    ),
    initContainers: fc.array(fc.record({ name: fc.constant('init'), env: fc.option(fc.array(envEntry, { maxLength: 2 }), { nil: undefined }) }, { requiredKeys: ['name'] }), { maxLength: 1 }),
    indentSeq: fc.boolean(),
  })
  .map(({ kind, name, containers, initContainers, indentSeq }) => {
    const spec: Obj = { containers: containers.map((entry) => ({ image: 'x:1', ...entry })) };
    if (initContainers.length > 0) spec.initContainers = initContainers;
    // No anchors: shared objects would be written as &a1/*a1 (see the engine note in the report).
    return `# Source: shop/templates/${name}.yaml\n${stringify({ apiVersion: 'apps/v1', kind, metadata: { name }, spec: { template: { spec } } }, { indentSeq, aliasDuplicateObjects: false })}`;
  });
const envStream = fc
  .array(fc.oneof({ weight: 3, arbitrary: envWorkload }, { weight: 1, arbitrary: fc.constant(stringify(configMap('settings', { A: '1' }))) }, { weight: 1, arbitrary: arbitraryStream }), { minLength: 1, maxLength: 5 })
  .map((documents) => documents.join('---\n'));
const configArb = fc.record({
  env: fc.uniqueArray(envEntry, { selector: (entry) => entry.name, minLength: 1, maxLength: 3 }),
  envFrom: fc.uniqueArray(envFromEntry, { selector: (entry) => JSON.stringify([Object.keys(entry)[0], (Object.values(entry)[0] as Obj).name, (entry as Obj).prefix]), maxLength: 2 }),
  onConflict: fc.constantFrom('override', 'keep', 'error'),
  initContainers: fc.boolean(),
  containers: fc.constantFrom([], ['api'], ['api', 'init']),
}).map((options) => ({ ...KIND, ...options }));

/** The fields the function documents it changes. */
const withoutEnv = (value: unknown): unknown => withoutPaths(value, (key) => key === 'env' || key === 'envFrom');

function containersOfObject(object: Obj): { list: string; container: Obj }[] {
  const spec = isPlainMap(object.spec) && isPlainMap((object.spec as Obj).template) ? (((object.spec as Obj).template as Obj).spec as Obj) : undefined;
  if (!isPlainMap(spec)) return [];
  return ['containers', 'initContainers'].flatMap((list) => ((spec[list] as Obj[] | undefined) ?? []).map((container) => ({ list, container })));
}

describe('properties', () => {
  const runs = Number(process.env.FC_RUNS ?? 150);

  it('is idempotent: running twice gives the same bytes as once', () => {
    fc.assert(fc.property(envStream, configArb, expectIdempotent), { numRuns: runs });
  });

  it('loses nothing: outside env/envFrom nothing changes; every variable name and source a container had is still there; injected ones are present once under override', () => {
    fc.assert(
      fc.property(envStream, configArb, (text, options) => {
        const before = objectsOf(text);
        const after = objectsOf(transform(text, options).output);
        expect(after.map(withoutEnv)).toEqual(before.map(withoutEnv));
        before.forEach((object, index) => {
          const wasContainers = containersOfObject(object);
          const nowContainers = containersOfObject(after[index] as Obj);
          wasContainers.forEach(({ list, container: was }, position) => {
            const now = (nowContainers[position] as { container: Obj }).container;
            const targeted = (list === 'containers' || options.initContainers) && (options.containers.length === 0 || (options.containers as readonly string[]).includes(String(was.name)));
            const names = (entries: unknown): string[] => ((entries as Obj[] | undefined) ?? []).map((entry) => String(entry.name));
            for (const name of names(was.env)) expect(names(now.env)).toContain(name);
            for (const source of (was.envFrom as Obj[] | undefined) ?? []) {
              const key = Object.keys(source).find((field) => field !== 'prefix');
              expect(((now.envFrom as Obj[]) ?? []).some((entry) => key !== undefined && (entry[key] as Obj)?.name === (source[key] as Obj).name && entry.prefix === source.prefix)).toBe(true);
            }
            // A variable untouched by the config keeps its entry and relative order.
            const injected = new Set<string>(options.env.map((entry) => entry.name));
            const untouched = (entries: unknown) => ((entries as Obj[] | undefined) ?? []).filter((entry) => !injected.has(String(entry.name)));
            expect(untouched(now.env)).toEqual(untouched(was.env));
            if (options.onConflict === 'override' && targeted) {
              for (const name of injected) expect(names(now.env).filter((entry) => entry === name).length).toBeLessThanOrEqual(1);
            }
          });
        });
      }),
      { numRuns: runs },
    );
  });

  it('leaves documents it does not change byte-identical', () => {
    fc.assert(fc.property(envStream, configArb, expectUntouchedDocumentsKept), { numRuns: runs });
  });
});

describe.runIf(needsShared('corpora'))('real corpora (../shared/corpora)', () => {
  const POD_NAMESPACE = { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } };
  const PROD = { name: 'PROD', value: 'true' };
  const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);

  describe.each(corpora())('$name', ({ text }) => {
    it('adds PROD to every app container of every workload, keeps an equal POD_NAMESPACE where it is, and changes nothing else', () => {
      const options = { ...KIND, env: [PROD, POD_NAMESPACE] };
      const once = transform(text, options);
      expect(once.results).toEqual([]);
      expect(transform(once.output, options).output).toBe(once.output);
      const before = objectsOf(text);
      const after = objectsOf(once.output);
      expect(after.map(withoutEnv)).toEqual(before.map(withoutEnv));
      let workloads = 0;
      before.forEach((object, index) => {
        const changed = JSON.stringify(object) !== JSON.stringify(after[index]);
        if (!WORKLOAD_KINDS.has(String(object.kind))) {
          expect(changed, `${String(object.kind)}/${String((object.metadata as Obj).name)}`).toBe(false);
          return;
        }
        workloads++;
        const wasSpec = podSpecOf(object);
        const nowSpec = podSpecOf(after[index] as Obj);
        (wasSpec.containers as Obj[]).forEach((was, position) => {
          const wasEnv = (was.env as Obj[] | undefined) ?? [];
          const expected = [...wasEnv];
          for (const entry of [PROD, POD_NAMESPACE]) {
            const at = expected.findIndex((existing) => existing.name === entry.name);
            if (at === -1) expected.push(entry);
            else expected[at] = entry;
          }
          expect(((nowSpec.containers as Obj[])[position] as Obj).env).toEqual(expected);
        });
        expect(nowSpec.initContainers).toEqual(wasSpec.initContainers);
      });
      expect(workloads).toBeGreaterThan(0);
    });

    it('with onConflict: error, reports each container that sets POD_NAMESPACE differently, and leaves it as it was', () => {
      const options = { ...KIND, onConflict: 'error', env: [{ name: 'POD_NAMESPACE', value: 'fixed' }] };
      const outcome = transform(text, options);
      const before = objectsOf(text);
      const owners = before.flatMap((object) =>
        WORKLOAD_KINDS.has(String(object.kind))
          ? ((podSpecOf(object).containers as Obj[]) ?? [])
              .filter((entry) => ((entry.env as Obj[] | undefined) ?? []).some((variable) => variable.name === 'POD_NAMESPACE'))
              .map((entry) => `${String((object.metadata as Obj).name)}: container "${String(entry.name)}"`)
          : [],
      );
      expect(outcome.results.map((result) => `${result.resourceRef?.name}: ${result.message.split(' already')[0]}`)).toEqual(owners);
      expect(outcome.results.every((result) => result.severity === 'error')).toBe(true);
    });
  });
});

describe('CLI (dist/krmkit.cjs)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'krmkit-inject-env-'));
  });
  const api = `# Source: shop/templates/api.yaml\n${stringify(deployment('api', { containers: [{ name: 'api', image: 'shop/api:2', env: [{ name: 'PROD', value: 'false' }] }] }))}`;

  it('takes the ConfigMap form via --config (env as a YAML string) and overrides in place', () => {
    const path = join(dir, 'inject-env.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inject-env}\ndata:\n  env: "[{name: PROD, value: \'true\'}]"\n');
    const run = runCli(['inject-env', '--config', path], api);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.startsWith('# Source: shop/templates/api.yaml\n')).toBe(true);
    expect(objectsOf(run.stdout).map((object) => envOf(object, 'api'))).toEqual([[{ name: 'PROD', value: 'true' }]]);
  });

  it('takes options as flags, and exits 1 with an [error] line for onConflict: error', () => {
    const run = runCli(['inject-env', '--env', '{PROD: "true"}', '--onConflict', 'error'], api);
    expectRefused(run, 1, '[error] apps/v1/Deployment/shop/api spec.template.spec.containers[0].env[0]: container "api" already sets PROD differently (onConflict: error');
  });

  it('prints a [warning] line for an unresolvable $(VAR) and exits 0', () => {
    const run = runCli(['inject-env', '--env', '[{name: URL, value: "http://$(HOST)"}]'], api);
    expectExit(run, 0, '[warning] apps/v1/Deployment/shop/api spec.template.spec.containers[0].env[1].value: URL refers to $(HOST), which container "api" does not define');
  });

  it('exits 2 with the config field named and nothing on stdout', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'apiVersion: krmkit.dev/v1alpha1\nkind: InjectEnv\nenv:\n- name: A\n  value: a\n- name: B\n  valueFrom:\n    secretKeyRef: {name: s}\n');
    expectRefused(runCli(['inject-env', '--config', path], api), 2, 'env[1].valueFrom.secretKeyRef.key: inject-env config: key is required');
  });
});

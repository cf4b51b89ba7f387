/**
 * anti-affinity: which workloads are spread, by which selector, how the terms merge with
 * what is there, what malformed input and config produce — and, as properties, that it is
 * idempotent and loses nothing, on generated streams and on the real corpora.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAntiAffinityConfig, antiAffinityOptions } from '../../functions/anti-affinity/config.js';
import { KrmConfigError } from '../../krm/base/errors.js';
import { readOwnOptions } from '../../krm/function/options.js';
import { isPlainMap } from '../../krm/base/path.js';
import { runCli } from '../helpers/cli.js';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { objectsOf, withoutPaths } from '../helpers/objects.js';
import { transform } from '../helpers/transform.js';
import { expectIdempotent, expectUntouchedDocumentsKept } from '../helpers/run-properties.js';
import { expectInputError, thrownBy } from '../helpers/errors.js';

type Obj = Record<string, unknown>;

const KIND = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'AntiAffinity' };
const PROD = {
  ...KIND,
  required: [{ topologyKey: 'kubernetes.io/hostname' }],
  topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }],
};
const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

function config(options: Obj) {
  return parseAntiAffinityConfig(readOwnOptions('anti-affinity', 'AntiAffinity', options, antiAffinityOptions));
}

function workload(kind: string, name: string, spec: Obj = {}, apiVersion = 'apps/v1'): Obj {
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: 'shop' },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/version': '1.2.3', 'helm.sh/chart': 'shop-1.0.0' } },
        spec: { containers: [{ name: 'app', image: `example/${name}:1` }] },
      },
      ...spec,
    },
  };
}

function hpa(target: string, minReplicas?: number, extra: Obj = {}): Obj {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target, namespace: 'shop' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, ...(minReplicas === undefined ? {} : { minReplicas }), maxReplicas: 10 },
    ...extra,
  };
}

const streamOf = (...objects: Obj[]): string => objects.map((object) => stringify(object)).join('---\n');

/** Runs the function and returns the output objects by name. */
function run(options: Obj, ...objects: Obj[]) {
  const outcome = transform(streamOf(...objects), options);
  // The first object of a name: a workload comes before the HPA that shares its name.
  const byName = new Map<string, Obj>();
  for (const object of objectsOf(outcome.output)) {
    const name = String((object.metadata as Obj).name);
    if (!byName.has(name)) byName.set(name, object);
  }
  return { ...outcome, byName, get: (name: string) => byName.get(name) as Obj };
}

function podSpec(object: Obj): Obj {
  return ((object.spec as Obj).template as Obj).spec as Obj;
}
function antiAffinity(object: Obj): Obj | undefined {
  return (podSpec(object).affinity as Obj | undefined)?.podAntiAffinity as Obj | undefined;
}
function preferredTerms(object: Obj): Obj[] {
  return (antiAffinity(object)?.preferredDuringSchedulingIgnoredDuringExecution as Obj[] | undefined) ?? [];
}
function requiredTerms(object: Obj): Obj[] {
  return (antiAffinity(object)?.requiredDuringSchedulingIgnoredDuringExecution as Obj[] | undefined) ?? [];
}
function spreadConstraints(object: Obj): Obj[] {
  return (podSpec(object).topologySpreadConstraints as Obj[] | undefined) ?? [];
}

describe('config', () => {
  it('with no options at all, prefers one pod per node (kubernetes.io/hostname, weight 100)', () => {
    expect(config({ ...KIND })).toEqual({ preferred: [{ topologyKey: HOSTNAME, weight: 100 }], required: [], topologySpread: [], minReplicas: 2, setMaxUnavailable: false });
    expect(config({ ...KIND }).maxNodes, 'the node count is unknown unless given').toBeUndefined();
    expect(config({ ...KIND, minReplicas: 3 }).preferred).toEqual([{ topologyKey: HOSTNAME, weight: 100 }]);
  });

  it('adds no default preferred term once any of preferred/required/topologySpread is given', () => {
    expect(config({ ...KIND, required: [{ topologyKey: HOSTNAME }] }).preferred).toEqual([]);
    expect(config({ ...KIND, preferred: [] }).preferred).toEqual([]);
  });

  it('defaults weight to 100, maxSkew to 1 and whenUnsatisfiable to ScheduleAnyway', () => {
    const parsed = config({ ...KIND, preferred: [{ topologyKey: ZONE }], topologySpread: [{ topologyKey: ZONE }] });
    expect(parsed.preferred).toEqual([{ topologyKey: ZONE, weight: 100 }]);
    expect(parsed.topologySpread).toEqual([{ topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }]);
  });

  it('reads the ConfigMap form: structured options as YAML or JSON strings, numbers as strings', () => {
    const parsed = config({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: {
        required: '[{topologyKey: kubernetes.io/hostname}]',
        topologySpread: '[{"topologyKey": "topology.kubernetes.io/zone", "maxSkew": 2, "nodeTaintsPolicy": "Honor"}]',
        minReplicas: '3',
        maxNodes: '5',
        setMaxUnavailable: 'true',
      },
    });
    expect(parsed).toEqual({
      preferred: [],
      required: [{ topologyKey: HOSTNAME }],
      topologySpread: [{ topologyKey: ZONE, maxSkew: 2, whenUnsatisfiable: 'ScheduleAnyway', nodeTaintsPolicy: 'Honor' }],
      minReplicas: 3,
      maxNodes: 5,
      setMaxUnavailable: true,
    });
  });

  it.each([
    [{ preferred: [{ topologyKey: HOSTNAME, weight: 0 }] }, 'preferred[0].weight', 'from 1 to 100'],
    [{ preferred: [{ topologyKey: HOSTNAME, weight: 101 }] }, 'preferred[0].weight', 'from 1 to 100'],
    [{ preferred: [{ topologyKey: HOSTNAME, weight: 'high' }] }, 'preferred[0].weight', 'whole number'],
    [{ preferred: [{ topologyKey: HOSTNAME, weight: 1.5 }] }, 'preferred[0].weight', 'whole number'],
    [{ topologySpread: [{ topologyKey: ZONE, maxSkew: 0 }] }, 'topologySpread[0].maxSkew', '≥ 1'],
    [{ topologySpread: [{ topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedul' }] }, 'topologySpread[0].whenUnsatisfiable', 'did you mean "DoNotSchedule"'],
    [{ topologySpread: [{ topologyKey: ZONE, whenUnsatisfiable: true }] }, 'topologySpread[0].whenUnsatisfiable', 'DoNotSchedule or ScheduleAnyway'],
    [{ required: [{ topologyKey: '' }] }, 'required[0].topologyKey', 'non-empty string'],
    [{ required: [{ topologyKey: '  ' }] }, 'required[0].topologyKey', 'non-empty string'],
    [{ required: [{}] }, 'required[0].topologyKey', 'non-empty string'],
    [{ required: [{ topologyKey: 7 }] }, 'required[0].topologyKey', 'non-empty string'],
    [{ required: [{ topologykey: HOSTNAME }] }, 'required[0].topologykey', 'did you mean "topologyKey"'],
    [{ required: [{ topologyKey: HOSTNAME, weight: 5 }] }, 'required[0].weight', 'unknown field'],
    [{ required: [{ topologyKey: HOSTNAME }, { topologyKey: HOSTNAME }] }, 'required[1].topologyKey', 'listed twice'],
    [{ required: HOSTNAME }, 'required', 'expected a list'],
    [{ preferred: [HOSTNAME] }, 'preferred[0]', 'expected a mapping'],
    [{ minReplicas: 0 }, 'minReplicas', '≥ 1'],
    [{ minReplicas: '2' }, 'minReplicas', 'whole number'],
    [{ requird: [] }, 'requird', 'did you mean "required"'],
  ])('rejects %j naming %s', (options, field, problem) => {
    const error = thrownBy(() => config({ ...KIND, ...options }));
    expect(error).toBeInstanceOf(KrmConfigError);
    expect((error as Error).message).toContain(`${field}: anti-affinity config:`);
    expect((error as Error).message).toContain(problem);
  });
});

describe('which workloads are spread', () => {
  it('spreads Deployments, StatefulSets, ReplicaSets, ReplicationControllers and Argo Rollouts with enough replicas', () => {
    const { byName } = run(
      KIND,
      workload('Deployment', 'deploy', { replicas: 2 }),
      workload('StatefulSet', 'sts', { replicas: 2 }),
      workload('ReplicaSet', 'rs', { replicas: 2 }),
      workload('ReplicationController', 'rc', { replicas: 2, selector: { 'app.kubernetes.io/name': 'rc' } }, 'v1'),
      workload('Rollout', 'rollout', { replicas: 2 }, 'argoproj.io/v1alpha1'),
    );
    for (const [name, object] of byName) expect(preferredTerms(object), name).toHaveLength(1);
  });

  it('never spreads DaemonSets, Jobs, CronJobs or bare Pods, whatever minReplicas says', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', labels: { app: 'pod' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cron' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { parallelism: 3, template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } },
    };
    const input = streamOf(
      workload('DaemonSet', 'ds'),
      workload('Job', 'job', { parallelism: 4, selector: undefined }, 'batch/v1'),
      cron,
      pod,
    );
    expect(transform(input, { ...KIND, minReplicas: 1 }).output).toBe(input);
  });

  it('counts absent spec.replicas as 1 (the Kubernetes default), and leaves workloads below minReplicas alone', () => {
    const { get } = run(
      KIND,
      workload('Deployment', 'absent'),
      workload('Deployment', 'zero', { replicas: 0 }),
      workload('Deployment', 'one', { replicas: 1 }),
      workload('Deployment', 'null', { replicas: null }),
      workload('Deployment', 'two', { replicas: 2 }),
    );
    expect(antiAffinity(get('absent'))).toBeUndefined();
    expect(antiAffinity(get('zero'))).toBeUndefined();
    expect(antiAffinity(get('one'))).toBeUndefined();
    expect(antiAffinity(get('null'))).toBeUndefined();
    expect(preferredTerms(get('two'))).toHaveLength(1);
    expect(preferredTerms(run({ ...KIND, minReplicas: 1 }, workload('Deployment', 'absent')).get('absent'))).toHaveLength(1);
    expect(antiAffinity(run({ ...KIND, minReplicas: 5 }, workload('Deployment', 'four', { replicas: 4 })).get('four'))).toBeUndefined();
  });

  it('counts the minReplicas of a HorizontalPodAutoscaler that targets the workload instead of spec.replicas', () => {
    const { get } = run(
      KIND,
      workload('Deployment', 'scaled-up', {}),
      hpa('scaled-up', 3),
      workload('Deployment', 'scaled-down', { replicas: 5 }),
      hpa('scaled-down', 1),
      workload('Deployment', 'hpa-default', { replicas: 5 }),
      hpa('hpa-default'),
    );
    expect(preferredTerms(get('scaled-up'))).toHaveLength(1);
    expect(antiAffinity(get('scaled-down'))).toBeUndefined();
    expect(antiAffinity(get('hpa-default')), 'an HPA without minReplicas keeps 1 pod').toBeUndefined();
  });

  it('matches an HPA to its target by kind, name and namespace', () => {
    const otherNamespace = hpa('api', 1);
    (otherNamespace.metadata as Obj).namespace = 'staging';
    const otherKind = hpa('web', 1);
    ((otherKind.spec as Obj).scaleTargetRef as Obj).kind = 'StatefulSet';
    const { get } = run(KIND, workload('Deployment', 'api', { replicas: 3 }), otherNamespace, workload('Deployment', 'web', { replicas: 3 }), otherKind);
    expect(preferredTerms(get('api'))).toHaveLength(1);
    expect(preferredTerms(get('web'))).toHaveLength(1);
  });

  it('honours select, exclude and the krmkit.dev/skip annotation', () => {
    const skipped = workload('Deployment', 'skipped', { replicas: 3 });
    (skipped.metadata as Obj).annotations = { 'krmkit.dev/skip': 'security-context, anti-affinity' };
    const { get } = run({ ...KIND, exclude: [{ name: 'excluded' }] }, workload('Deployment', 'kept', { replicas: 3 }), workload('Deployment', 'excluded', { replicas: 3 }), skipped);
    expect(preferredTerms(get('kept'))).toHaveLength(1);
    expect(antiAffinity(get('excluded'))).toBeUndefined();
    expect(antiAffinity(get('skipped'))).toBeUndefined();
  });
});

describe('the label selector', () => {
  it("is the workload's spec.selector, never its template labels (which carry versions)", () => {
    const { get } = run(PROD, workload('Deployment', 'api', { replicas: 3 }));
    const selector = { matchLabels: { 'app.kubernetes.io/name': 'api' } };
    expect(requiredTerms(get('api'))).toEqual([{ labelSelector: selector, topologyKey: HOSTNAME }]);
    expect(spreadConstraints(get('api'))).toEqual([
      { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector, matchLabelKeys: ['pod-template-hash'] },
    ]);
  });

  it('leaves per-release keys out even when the selector has them, and says so', () => {
    const api = workload('Deployment', 'api', {
      replicas: 3,
      selector: {
        matchLabels: { app: 'api', version: 'v2', 'pod-template-hash': 'abc', 'app.kubernetes.io/version': '1', 'helm.sh/chart': 'c-1' },
        matchExpressions: [{ key: 'controller-revision-hash', operator: 'Exists' }],
      },
    });
    const { get, results } = run(KIND, api);
    expect((preferredTerms(get('api'))[0]?.podAffinityTerm as Obj).labelSelector).toEqual({ matchLabels: { app: 'api' } });
    expect(results).toEqual([
      expect.objectContaining({
        severity: 'info',
        message: 'left per-release label keys out of the anti-affinity selector: version, pod-template-hash, app.kubernetes.io/version, helm.sh/chart, controller-revision-hash',
      }),
    ]);
  });

  it('uses matchExpressions as they are when there are no matchLabels', () => {
    const expressions = [{ key: 'app', operator: 'In', values: ['search', 'search-canary'] }];
    const { get } = run(KIND, workload('Deployment', 'search', { replicas: 2, selector: { matchExpressions: expressions } }));
    expect((preferredTerms(get('search'))[0]?.podAffinityTerm as Obj).labelSelector).toEqual({ matchExpressions: expressions });
  });

  it('warns and adds nothing when no stable selector is left (none, empty, or only per-release keys)', () => {
    const input = streamOf(
      workload('Deployment', 'none', { replicas: 2, selector: undefined }),
      workload('Deployment', 'empty', { replicas: 2, selector: {} }),
      workload('Deployment', 'versioned', { replicas: 2, selector: { matchLabels: { version: 'v1' } } }),
    );
    const outcome = transform(input, KIND);
    expect(outcome.output).toBe(input);
    expect(outcome.results.map((result) => [result.severity, result.resourceRef?.name, result.field?.path])).toEqual([
      ['warning', 'none', 'spec.selector'],
      ['warning', 'empty', 'spec.selector'],
      ['warning', 'versioned', 'spec.selector'],
    ]);
  });

  it('names the revision label in matchLabelKeys for Deployments (pod-template-hash) and Argo Rollouts (rollouts-pod-template-hash) only', () => {
    const { get } = run(
      PROD,
      workload('Deployment', 'deploy', { replicas: 2 }),
      workload('Rollout', 'rollout', { replicas: 2 }, 'argoproj.io/v1alpha1'),
      workload('StatefulSet', 'sts', { replicas: 2 }),
      workload('ReplicaSet', 'rs', { replicas: 2 }),
    );
    expect(spreadConstraints(get('deploy'))[0]?.matchLabelKeys).toEqual(['pod-template-hash']);
    expect(spreadConstraints(get('rollout'))[0]?.matchLabelKeys).toEqual(['rollouts-pod-template-hash']);
    expect(spreadConstraints(get('sts'))[0]).not.toHaveProperty('matchLabelKeys');
    expect(spreadConstraints(get('rs'))[0]).not.toHaveProperty('matchLabelKeys');
  });
});

describe('merging with existing affinity', () => {
  const existing = (): Obj => {
    const api = workload('Deployment', 'api', { replicas: 3 });
    const spec = podSpec(api);
    spec.affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }] } },
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { labelSelector: { matchLabels: { app: 'redis' } }, topologyKey: HOSTNAME } }] },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 30, podAffinityTerm: { labelSelector: { matchLabels: { app: 'other' } }, topologyKey: HOSTNAME } }],
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'rack' }],
      },
    };
    spec.topologySpreadConstraints = [{ maxSkew: 3, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'api' } } }];
    return api;
  };

  it('keeps a term whose topology key is already in the same list, and appends the others after what is there', () => {
    const before = existing();
    const after = run({ ...PROD, preferred: [{ topologyKey: HOSTNAME, weight: 100 }, { topologyKey: ZONE, weight: 50 }] }, before).get('api');
    const beforeAnti = (podSpec(before).affinity as Obj).podAntiAffinity as Obj;
    expect(preferredTerms(after)).toEqual([
      ...(beforeAnti.preferredDuringSchedulingIgnoredDuringExecution as Obj[]),
      { weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, topologyKey: ZONE } },
    ]);
    expect(requiredTerms(after)).toEqual([
      ...(beforeAnti.requiredDuringSchedulingIgnoredDuringExecution as Obj[]),
      { labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, topologyKey: HOSTNAME },
    ]);
    expect(spreadConstraints(after)).toEqual(podSpec(before).topologySpreadConstraints);
  });

  it('does not touch nodeAffinity or podAffinity', () => {
    const before = existing();
    const after = run(PROD, before).get('api');
    const { nodeAffinity, podAffinity } = podSpec(before).affinity as Obj;
    expect((podSpec(after).affinity as Obj).nodeAffinity).toEqual(nodeAffinity);
    expect((podSpec(after).affinity as Obj).podAffinity).toEqual(podAffinity);
  });

  it('fills `affinity: {}`, `affinity: null` and `topologySpreadConstraints: []` as Helm charts render them', () => {
    const empty = workload('Deployment', 'empty', { replicas: 2 });
    Object.assign(podSpec(empty), { affinity: {}, topologySpreadConstraints: [] });
    const nulls = workload('Deployment', 'nulls', { replicas: 2 });
    Object.assign(podSpec(nulls), { affinity: null, topologySpreadConstraints: null });
    const { get } = run(PROD, empty, nulls);
    for (const name of ['empty', 'nulls']) {
      expect(requiredTerms(get(name)), name).toHaveLength(1);
      expect(spreadConstraints(get(name)), name).toHaveLength(1);
    }
  });

  it('is idempotent: a second run changes no byte', () => {
    const once = transform(streamOf(existing(), workload('Deployment', 'web', { replicas: 2 })), PROD).output;
    expect(transform(once, PROD).output).toBe(once);
  });
});

describe('malformed input fails with a KrmInputError naming the field', () => {
  const prod = (...objects: Obj[]) => () => transform(streamOf(...objects), PROD);
  const withPodSpec = (fields: Obj): Obj => {
    const api = workload('Deployment', 'api', { replicas: 3 });
    Object.assign(podSpec(api), fields);
    return api;
  };

  it.each([
    ['spec.replicas as a string', workload('Deployment', 'api', { replicas: '3' }), 'spec.replicas'],
    ['spec.replicas negative', workload('Deployment', 'api', { replicas: -1 }), 'spec.replicas'],
    ['spec.replicas fractional', workload('Deployment', 'api', { replicas: 1.5 }), 'spec.replicas'],
    ['spec.selector as a string', workload('Deployment', 'api', { replicas: 3, selector: 'app=api' }), 'spec.selector'],
    ['matchLabels as a list', workload('Deployment', 'api', { replicas: 3, selector: { matchLabels: ['app'] } }), 'spec.selector.matchLabels'],
    ['a matchLabels value as a number', workload('Deployment', 'api', { replicas: 3, selector: { matchLabels: { version: 2 } } }), 'spec.selector.matchLabels.version'],
    ['matchExpressions as a mapping', workload('Deployment', 'api', { replicas: 3, selector: { matchExpressions: { key: 'app' } } }), 'spec.selector.matchExpressions'],
    ['a matchExpression without key', workload('Deployment', 'api', { replicas: 3, selector: { matchExpressions: [{ operator: 'Exists' }] } }), 'spec.selector.matchExpressions[0].key'],
    ['matchExpression values as a string', workload('Deployment', 'api', { replicas: 3, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: 'api' }] } }), 'spec.selector.matchExpressions[0].values'],
    ['a ReplicationController selector as a string', workload('ReplicationController', 'rc', { replicas: 3, selector: 'app=rc' }, 'v1'), 'spec.selector'],
    ['affinity as a string', withPodSpec({ affinity: 'spread' }), 'spec.template.spec.affinity'],
    ['podAntiAffinity as a list', withPodSpec({ affinity: { podAntiAffinity: [] } }), 'spec.template.spec.affinity.podAntiAffinity'],
    ['the required list as a mapping', withPodSpec({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } }), 'spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution'],
    ['a preferred term as a string', withPodSpec({ affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: ['x'] } } }), 'spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]'],
    ['podAffinityTerm as a list', withPodSpec({ affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: [] }] } } }), 'spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm'],
    ['a required topologyKey as a number', withPodSpec({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 1 }] } } }), 'spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey'],
    ['topologySpreadConstraints as a mapping', withPodSpec({ topologySpreadConstraints: { topologyKey: ZONE } }), 'spec.template.spec.topologySpreadConstraints'],
    ['a spread topologyKey as a list', withPodSpec({ topologySpreadConstraints: [{ topologyKey: [ZONE] }] }), 'spec.template.spec.topologySpreadConstraints[0].topologyKey'],
  ])('%s', (_case, object, field) => {
    expectInputError(prod(object), field);
  });

  it.each([
    ['minReplicas as a string', hpa('api', '2' as unknown as number), 'spec.minReplicas'],
    ['scaleTargetRef without name', { ...hpa('api', 2), spec: { scaleTargetRef: { kind: 'Deployment' }, maxReplicas: 3 } }, 'spec.scaleTargetRef.name'],
    ['scaleTargetRef as a string', { ...hpa('api', 2), spec: { scaleTargetRef: 'api', maxReplicas: 3 } }, 'spec.scaleTargetRef'],
  ])('a HorizontalPodAutoscaler with %s', (_case, autoscaler, field) => {
    expectInputError(prod(workload('Deployment', 'api'), autoscaler), field);
    expect(() => prod(workload('Deployment', 'api'), autoscaler)()).toThrow(/HorizontalPodAutoscaler shop\/api/);
  });
});

// --- properties -------------------------------------------------------------------------

const appName = fc.constantFrom('api', 'web', 'cache', 'search', 'worker');
const selectorArb = fc.oneof(
  { weight: 4, arbitrary: appName.map((app) => ({ matchLabels: { app } })) },
  { weight: 1, arbitrary: appName.map((app) => ({ matchLabels: { app, version: 'v1' } })) },
  { weight: 1, arbitrary: appName.map((app) => ({ matchExpressions: [{ key: 'app', operator: 'In', values: [app] }] })) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const existingAffinity = fc.option(
  fc.record(
    {
      nodeAffinity: fc.constant({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] }),
      podAntiAffinity: fc.record(
        {
          preferredDuringSchedulingIgnoredDuringExecution: fc.array(
            fc.record({ weight: fc.integer({ min: 1, max: 100 }), podAffinityTerm: fc.record({ labelSelector: fc.constant({ matchLabels: { app: 'x' } }), topologyKey: fc.constantFrom(HOSTNAME, ZONE, 'rack') }) }),
            { maxLength: 2 },
          ),
          requiredDuringSchedulingIgnoredDuringExecution: fc.array(fc.record({ labelSelector: fc.constant({ matchLabels: { app: 'x' } }), topologyKey: fc.constantFrom(HOSTNAME, ZONE) }), { maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);
const replicatedWorkload = fc
  .record({
    kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Rollout'),
    name: appName,
    replicas: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    selector: selectorArb,
    affinity: existingAffinity,
    spread: fc.option(fc.constant([{ maxSkew: 2, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'x' } } }]), { nil: undefined }),
    hpaMin: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  })
  .map(({ kind, name, replicas, selector, affinity, spread, hpaMin }) => {
    const spec: Obj = { containers: [{ name: 'app', image: `example/${name}:1` }] };
    if (affinity) spec.affinity = affinity;
    if (spread) spec.topologySpreadConstraints = spread;
    const object: Obj = {
      apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1',
      kind,
      metadata: { name, namespace: 'shop' },
      spec: { ...(replicas === undefined ? {} : { replicas }), ...(selector ? { selector } : {}), template: { metadata: { labels: { app: name } }, spec } },
    };
    return hpaMin === undefined ? [object] : [object, { ...hpa(name, hpaMin), spec: { scaleTargetRef: { kind, name }, minReplicas: hpaMin, maxReplicas: 5 } }];
  });
const otherObject = fc.constantFrom<Obj>(
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' }, data: { key: 'value' } },
);
const generatedStream = fc
  .array(fc.oneof(replicatedWorkload, otherObject.map((object) => [object])), { minLength: 1, maxLength: 6 })
  .chain((groups) => fc.record({ objects: fc.constant(groups.flat()), indentSeq: fc.boolean() }))
  .map(({ objects, indentSeq }) => objects.map((object) => `# Source: shop/templates/${String(object.kind).toLowerCase()}.yaml\n${stringify(object, { indentSeq })}`).join('---\n'));
const configArb = fc.constantFrom<Obj>(KIND, PROD, { ...KIND, minReplicas: 1, preferred: [{ topologyKey: ZONE, weight: 10 }], topologySpread: [{ topologyKey: HOSTNAME, maxSkew: 2 }] });

/** The fields the function documents it changes: podAntiAffinity terms and topologySpreadConstraints. */
const withoutOwnedFields = (value: unknown): unknown => withoutEmptyAffinity(withoutPaths(value, (key) => key === 'podAntiAffinity' || key === 'topologySpreadConstraints'));

/** `affinity: {}` once podAntiAffinity is stripped is the same as no affinity: the function created it. */
function withoutEmptyAffinity(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyAffinity);
  if (!isPlainMap(value)) return value;
  const out: Obj = {};
  for (const [key, entry] of Object.entries(value)) {
    const isEmptyMap = isPlainMap(entry) && Object.keys(entry).length === 0;
    if (key === 'affinity' && (isEmptyMap || entry === null)) continue;
    out[key] = withoutEmptyAffinity(entry);
  }
  return out;
}

describe('properties', () => {
  const runs = Number(process.env.FC_RUNS ?? 150);

  it('is idempotent: running twice gives the same bytes as once', () => {
    fc.assert(fc.property(generatedStream, configArb, expectIdempotent), { numRuns: runs });
  });

  it('loses nothing and duplicates nothing: every object comes out, existing terms first and unchanged, added terms on new topology keys only', () => {
    fc.assert(
      fc.property(generatedStream, configArb, (text, options) => {
        const before = objectsOf(text);
        const after = objectsOf(transform(text, options).output);
        expect(after.map(withoutOwnedFields)).toEqual(before.map(withoutOwnedFields));
        before.forEach((object, index) => {
          if (!isPlainMap(object.spec) || !isPlainMap((object.spec as Obj).template)) return;
          const was = podSpec(object);
          const now = podSpec(after[index] as Obj);
          // Existing entries stay first and unchanged; added ones bring topology keys the list did not have, once each.
          const keptThenAdded = (wasList: unknown, nowList: unknown, keyOf: (term: Obj) => unknown): void => {
            const kept = (wasList as Obj[] | undefined) ?? [];
            const all = (nowList as Obj[] | undefined) ?? [];
            expect(all.slice(0, kept.length)).toEqual(kept);
            const addedKeys = all.slice(kept.length).map(keyOf);
            expect(new Set(addedKeys).size).toBe(addedKeys.length);
            for (const key of addedKeys) expect(kept.map(keyOf)).not.toContain(key);
          };
          keptThenAdded(was.topologySpreadConstraints, now.topologySpreadConstraints, (term) => term.topologyKey);
          const wasAnti = (was.affinity as Obj | undefined)?.podAntiAffinity as Obj | undefined;
          const nowAnti = (now.affinity as Obj | undefined)?.podAntiAffinity as Obj | undefined;
          const preferred = 'preferredDuringSchedulingIgnoredDuringExecution';
          const required = 'requiredDuringSchedulingIgnoredDuringExecution';
          keptThenAdded(wasAnti?.[preferred], nowAnti?.[preferred], (term) => (term.podAffinityTerm as Obj).topologyKey);
          keptThenAdded(wasAnti?.[required], nowAnti?.[required], (term) => term.topologyKey);
        });
      }),
      { numRuns: runs },
    );
  });

  it('leaves documents it does not change byte-identical', () => {
    fc.assert(fc.property(generatedStream, configArb, expectUntouchedDocumentsKept), { numRuns: runs });
  });
});

describe.runIf(needsShared('corpora'))('real corpora (../shared/corpora)', () => {
  // Every workload in them runs one replica: by default nothing changes; minReplicas 1 spreads exactly the Deployments.
  describe.each(corpora())('$name', ({ text }) => {
    it('is left byte-for-byte unchanged by the default config (every workload there runs 1 replica)', () => {
      const outcome = transform(text, KIND);
      expect(outcome.output).toBe(text);
      expect(outcome.results).toEqual([]);
    });

    it('with minReplicas 1, adds one preferred hostname term to every Deployment, selected by its matchLabels, and nothing else', () => {
      const options = { ...KIND, minReplicas: 1 };
      const once = transform(text, options);
      expect(transform(once.output, options).output).toBe(once.output);
      const before = objectsOf(text);
      const after = objectsOf(once.output);
      expect(after.map(withoutOwnedFields)).toEqual(before.map(withoutOwnedFields));
      const deployments = before.filter((object) => object.kind === 'Deployment');
      expect(deployments.length).toBeGreaterThan(0);
      before.forEach((object, index) => {
        const changed = JSON.stringify(object) !== JSON.stringify(after[index]);
        expect(changed, `${String(object.kind)}/${String((object.metadata as Obj).name)}`).toBe(object.kind === 'Deployment');
        if (object.kind !== 'Deployment') return;
        const matchLabels = ((object.spec as Obj).selector as Obj).matchLabels;
        expect(preferredTerms(after[index] as Obj)).toEqual([{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels }, topologyKey: HOSTNAME } }]);
      });
    });
  });
});

describe('CLI (dist/krmkit.cjs)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'krmkit-anti-affinity-'));
  });
  const api = `# Source: shop/templates/api.yaml\n${stringify(workload('Deployment', 'api', { replicas: 3 }))}`;

  it('takes a ConfigMap via --config and writes the terms', () => {
    const path = join(dir, 'anti-affinity.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: anti-affinity}\ndata:\n  required: "[{topologyKey: kubernetes.io/hostname}]"\n');
    const run = runCli(['anti-affinity', '--config', path], api);
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('# Source: shop/templates/api.yaml\n')).toBe(true);
    expect(run.stdout).toContain('requiredDuringSchedulingIgnoredDuringExecution:');
    // 3 replicas under the default RollingUpdate: the surge pod needs a fourth node.
    expect(run.stderr).toContain('[warning] apps/v1/Deployment/shop/api spec.strategy.rollingUpdate.maxUnavailable: maxUnavailable 25% resolves to 0 at 3 replicas');
  });

  it('prints a warning line for a workload without a stable selector, and exits 0', () => {
    const run = runCli(['anti-affinity'], stringify(workload('Deployment', 'legacy', { replicas: 2, selector: { matchLabels: { version: 'v1' } } })));
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('[warning] apps/v1/Deployment/shop/legacy spec.selector: no stable spec.selector');
  });

  it('exits 2 with the field named and nothing on stdout for replicas as a string or a bad weight', () => {
    const input = runCli(['anti-affinity'], stringify(workload('Deployment', 'api', { replicas: '3' })));
    expect(input.status).toBe(2);
    expect(input.stdout).toBe('');
    expect(input.stderr).toContain('spec.replicas: expected a whole number ≥ 0, got a string ("3")');
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'apiVersion: krmkit.dev/v1alpha1\nkind: AntiAffinity\npreferred:\n- topologyKey: kubernetes.io/hostname\n  weight: 200\n');
    const config = runCli(['anti-affinity', '--config', path], api);
    expect(config.status).toBe(2);
    expect(config.stdout).toBe('');
    expect(config.stderr).toContain('preferred[0].weight');
  });
});

describe('required hostname anti-affinity: what the scheduler will refuse, said before install', () => {
  const REQUIRED = { ...KIND, required: [{ topologyKey: HOSTNAME }] };
  const findings = (outcome: { results: { severity: string; message: string; resourceRef?: { name: string }; field?: { path: string } }[] }) =>
    outcome.results.map((result) => ({ severity: result.severity, name: result.resourceRef?.name, path: result.field?.path, message: result.message }));
  const ROLLOUT = 'spec.strategy.rollingUpdate.maxUnavailable';
  const REQUIRED_TERMS = 'spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution';

  it('warns when the default RollingUpdate resolves maxUnavailable to 0 at the replica count (3 replicas: 25% → 0)', () => {
    const outcome = run(REQUIRED, workload('Deployment', 'api', { replicas: 3 }));
    expect(findings(outcome)).toEqual([
      {
        severity: 'warning',
        name: 'api',
        path: ROLLOUT,
        message: expect.stringContaining('maxUnavailable 25% resolves to 0 at 3 replicas (maxSurge 25%)') as unknown as string,
      },
    ]);
    expect(findings(outcome)[0]?.message).toContain('Set setMaxUnavailable: true');
    expect((outcome.get('api').spec as Obj).strategy, 'only warned: the strategy is the chart’s').toBeUndefined();
  });

  it.each([
    ['maxUnavailable 1', { strategy: { rollingUpdate: { maxUnavailable: 1 } } }],
    ['maxUnavailable 34% (1 of 3)', { strategy: { rollingUpdate: { maxUnavailable: '34%' } } }],
    ['maxSurge 0 (the controller then lets one pod go)', { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }],
    ['type Recreate', { strategy: { type: 'Recreate' } }],
  ])('does not warn about the rollout with %s', (_name, strategy) => {
    const outcome = run(REQUIRED, workload('Deployment', 'api', { replicas: 3, ...strategy }));
    expect(findings(outcome).filter((finding) => finding.path === ROLLOUT)).toEqual([]);
  });

  it('does not warn about the rollout when maxNodes leaves a node for the surge pod, and does at exactly the replica count', () => {
    expect(findings(run({ ...REQUIRED, maxNodes: 4 }, workload('Deployment', 'api', { replicas: 3 })))).toEqual([]);
    expect(findings(run({ ...REQUIRED, maxNodes: 3 }, workload('Deployment', 'api', { replicas: 3 }))).map((finding) => finding.path)).toEqual([ROLLOUT]);
  });

  it('checks every count an HPA can choose: 25% is 0 up to 3 replicas, so an HPA 2–10 is blocked until maxNodes ≥ 4', () => {
    const api = workload('Deployment', 'api', { replicas: 2 });
    const blocked = findings(run({ ...REQUIRED, maxNodes: 3 }, api, hpa('api', 2)));
    // maxNodes 3 < maxReplicas 10 as well: that warning comes first.
    expect(blocked.map((finding) => finding.path)).toEqual([REQUIRED_TERMS, ROLLOUT]);
    expect(blocked[1]?.message).toContain('resolves to 0 at 3 replicas');
    expect(findings(run({ ...REQUIRED, maxNodes: 4 }, api, hpa('api', 2))).map((finding) => finding.path)).toEqual([REQUIRED_TERMS]);
    expect(findings(run({ ...REQUIRED, maxNodes: 10 }, api, hpa('api', 2)))).toEqual([]);
    expect(findings(run({ ...REQUIRED, maxNodes: 10 }, api, hpa('api', 4))), 'from 4 replicas on, 25% is at least 1').toEqual([]);
  });

  it('with setMaxUnavailable, sets maxUnavailable 1 where the chart has no strategy, in its rollingUpdate, or next to maxSurge — once', () => {
    const config = { ...REQUIRED, setMaxUnavailable: true };
    const cases: [Obj, Obj][] = [
      [{}, { rollingUpdate: { maxUnavailable: 1 } }],
      [{ strategy: { type: 'RollingUpdate' } }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }],
      [{ strategy: { rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } } }, { rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } }],
    ];
    for (const [spec, strategy] of cases) {
      const input = workload('Deployment', 'api', { replicas: 3, ...spec });
      const outcome = run(config, input);
      expect((outcome.get('api').spec as Obj).strategy).toEqual(strategy);
      expect(findings(outcome)).toEqual([{ severity: 'info', name: 'api', path: ROLLOUT, message: expect.stringContaining('set maxUnavailable to 1 (setMaxUnavailable)') as unknown as string }]);
      const again = transform(outcome.output, config);
      expect(again.output, 'idempotent').toBe(outcome.output);
    }
  });

  it('warns, naming the HPA and maxNodes, when an HPA can scale past one pod per node and the node count is unknown', () => {
    const outcome = run(REQUIRED, workload('Deployment', 'api', { replicas: 3, strategy: { rollingUpdate: { maxUnavailable: 1 } } }), hpa('api', 3));
    expect(findings(outcome)).toEqual([
      {
        severity: 'warning',
        name: 'api',
        path: REQUIRED_TERMS,
        message:
          'HorizontalPodAutoscaler api (maxReplicas 10) can ask for 10 pods of this workload, but required anti-affinity on kubernetes.io/hostname runs at most one per node: on a cluster with fewer than 10 nodes the extra pods stay Pending. Set maxNodes (the most nodes the cluster has) to check it, or spread with a DoNotSchedule topologySpread on kubernetes.io/hostname instead of required',
      },
    ]);
  });

  it('with maxNodes: warns about the pods beyond it (HPA maxReplicas or spec.replicas), and not when they fit', () => {
    const safe = { strategy: { rollingUpdate: { maxUnavailable: 1 } } };
    const over = findings(run({ ...REQUIRED, maxNodes: 6 }, workload('Deployment', 'api', { replicas: 3, ...safe }), hpa('api', 3)));
    expect(over.map((finding) => finding.path)).toEqual([REQUIRED_TERMS]);
    expect(over[0]?.message).toContain('with maxNodes 6, 4 pod(s) stay Pending. Lower maxReplicas to 6');
    expect(findings(run({ ...REQUIRED, maxNodes: 10 }, workload('Deployment', 'api', { replicas: 3, ...safe }), hpa('api', 3)))).toEqual([]);
    const fixed = findings(run({ ...REQUIRED, maxNodes: 3 }, workload('StatefulSet', 'db', { replicas: 5 })));
    expect(fixed).toEqual([{ severity: 'warning', name: 'db', path: REQUIRED_TERMS, message: expect.stringContaining('spec.replicas 5 can ask for 5 pods') as unknown as string }]);
    expect(fixed[0]?.message).toContain('Lower spec.replicas to 3');
  });

  it('says nothing of the kind for spread (the prod overlay) or preferred terms', () => {
    const spread = { ...KIND, topologySpread: [{ topologyKey: HOSTNAME, whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor' }] };
    const outcome = run(spread, workload('Deployment', 'api', { replicas: 3 }), hpa('api', 3));
    expect(outcome.results).toEqual([]);
    expect(spreadConstraints(outcome.get('api'))[0]).toMatchObject({ topologyKey: HOSTNAME, whenUnsatisfiable: 'DoNotSchedule', matchLabelKeys: ['pod-template-hash'], nodeTaintsPolicy: 'Honor' });
    expect(run(KIND, workload('Deployment', 'api', { replicas: 3 }), hpa('api', 3)).results).toEqual([]);
  });

  it('refuses a malformed maxUnavailable with the field named, and a misspelt nodeTaintsPolicy with a suggestion', () => {
    expectInputError(() => run(REQUIRED, workload('Deployment', 'api', { replicas: 3, strategy: { rollingUpdate: { maxUnavailable: 'half' } } })), ROLLOUT);
    expectInputError(() => run(REQUIRED, workload('Deployment', 'api', { replicas: 3, strategy: { rollingUpdate: { maxSurge: -1 } } })), 'spec.strategy.rollingUpdate.maxSurge');
    expect(() => config({ ...KIND, topologySpread: [{ topologyKey: HOSTNAME, nodeTaintsPolicy: 'honor' }] })).toThrow(/topologySpread\[0\]\.nodeTaintsPolicy: .*expected Honor or Ignore, got a string \("honor"\) — did you mean "Honor"\?/);
    expect(() => config({ ...KIND, maxNodes: 0 })).toThrow(/maxNodes/);
  });
});

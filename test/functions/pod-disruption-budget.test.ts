/**
 * pod-disruption-budget: which workloads get a budget, what it selects and is named, how it
 * meets budgets already in the stream, what malformed input and config produce — and, as
 * properties, that it is idempotent, loses nothing and leaves other documents byte-identical,
 * on generated streams and on the real corpora.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parsePodDisruptionBudgetConfig, podDisruptionBudgetOptions } from '../../functions/pod-disruption-budget/config.js';
import { allowedEvictions, fewestPodsThroughADrain } from '../../functions/pod-disruption-budget/budgets.js';
import { KrmConfigError } from '../../krm/base/errors.js';
import { readOwnOptions } from '../../krm/function/options.js';
import { runCli } from '../helpers/cli.js';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { expectUnchangedDocumentsKeepTheirBytes } from '../helpers/invariants.js';
import { objectsOf } from '../helpers/objects.js';
import { transform } from '../helpers/transform.js';
import { expectIdempotent } from '../helpers/run-properties.js';
import { expectInputError, thrownBy } from '../helpers/errors.js';

type Obj = Record<string, unknown>;

const KIND = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'PodDisruptionBudgets' };

function config(options: Obj) {
  return parsePodDisruptionBudgetConfig(readOwnOptions('pod-disruption-budget', 'PodDisruptionBudgets', options, podDisruptionBudgetOptions));
}

function workload(kind: string, name: string, spec: Obj = {}, apiVersion = 'apps/v1', namespace: string | null = 'shop'): Obj {
  return {
    apiVersion,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, version: '1' } }, spec: { containers: [{ name: 'app', image: `example/${name}:1` }] } },
      ...spec,
    },
  };
}

const streamOf = (...objects: Obj[]): string => objects.map((object) => stringify(object)).join('---\n');

function budgetsOf(output: string): Obj[] {
  return objectsOf(output).filter((object) => object.kind === 'PodDisruptionBudget');
}

function run(options: Obj, ...objects: Obj[]) {
  const outcome = transform(streamOf(...objects), options);
  return { ...outcome, budgets: budgetsOf(outcome.output) };
}

describe('config', () => {
  it('defaults to maxUnavailable 1 for workloads of at least 2 pods, with no unhealthyPodEvictionPolicy', () => {
    expect(config({ ...KIND })).toEqual({ minReplicas: 2, disruption: { maxUnavailable: 1 } });
  });

  it('reads the ConfigMap form: numbers and percentages as strings', () => {
    expect(config({ apiVersion: 'v1', kind: 'ConfigMap', data: { minAvailable: '50%', minReplicas: '3', unhealthyPodEvictionPolicy: 'AlwaysAllow' } })).toEqual({
      minReplicas: 3,
      disruption: { minAvailable: '50%' },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(config({ apiVersion: 'v1', kind: 'ConfigMap', data: { maxUnavailable: '2' } }).disruption).toEqual({ maxUnavailable: 2 });
  });

  it.each([
    [{ maxUnavailable: 1, minAvailable: 1 }, 'minAvailable', 'not both'],
    [{ maxUnavailable: 0 }, 'maxUnavailable', 'block every node drain'],
    [{ maxUnavailable: '0%' }, 'maxUnavailable', 'from 1% to 100%'],
    [{ minAvailable: '100%' }, 'minAvailable', 'block every node drain'],
    [{ minAvailable: 0 }, 'minAvailable', 'at least 1'],
    [{ maxUnavailable: 'one' }, 'maxUnavailable', 'a whole number or a percentage'],
    [{ maxUnavailable: 1.5 }, 'maxUnavailable', 'a whole number or a percentage'],
    [{ unhealthyPodEvictionPolicy: 'AlwaysAlow' }, 'unhealthyPodEvictionPolicy', 'did you mean "AlwaysAllow"'],
    [{ minReplicas: 0 }, 'minReplicas', '≥ 1'],
    [{ maxUnavailabel: 1 }, 'maxUnavailabel', 'did you mean "maxUnavailable"'],
  ])('rejects %j at %s', (options, field, problem) => {
    const error = thrownBy(() => config({ ...KIND, ...options }));
    expect(error).toBeInstanceOf(KrmConfigError);
    expect((error as Error).message).toContain(field);
    expect((error as Error).message).toContain(problem);
  });
});

describe('which workloads get a budget', () => {
  it('Deployments, StatefulSets, ReplicaSets, ReplicationControllers and Argo Rollouts of at least minReplicas pods', () => {
    const { budgets } = run(
      KIND,
      workload('Deployment', 'a'),
      workload('StatefulSet', 'b'),
      workload('ReplicaSet', 'c'),
      workload('ReplicationController', 'd', { selector: { app: 'd' } }, 'v1'),
      workload('Rollout', 'e', {}, 'argoproj.io/v1alpha1'),
    );
    expect(budgets.map((budget) => (budget.metadata as Obj).name)).toEqual(['a-pdb', 'b-pdb', 'c-pdb', 'd-pdb', 'e-pdb']);
    // A ReplicationController's plain selector map becomes matchLabels.
    expect((budgets[3] as Obj).spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'd' } } });
  });

  it('never DaemonSets, Jobs, CronJobs or bare Pods, whatever minReplicas says', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 4, template: { metadata: { labels: { app: 'j' } }, spec: { containers: [{ name: 'j', image: 'j' }] } } } };
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'c' }] } } } } } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'p' } }, spec: { containers: [{ name: 'p', image: 'p' }] } };
    const { budgets, output } = run({ ...KIND, minReplicas: 1 }, workload('DaemonSet', 'ds'), job, cron, pod);
    expect(budgets).toEqual([]);
    expect(output).toBe(streamOf(workload('DaemonSet', 'ds'), job, cron, pod));
  });

  it('counts an HPA targeting the workload with its minReplicas instead of spec.replicas', () => {
    const hpa = (name: string, minReplicas: number): Obj => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas, maxReplicas: 5 },
    });
    const { budgets } = run(KIND, workload('Deployment', 'scaled-up', { replicas: 1 }), hpa('scaled-up', 2), workload('Deployment', 'scaled-down', { replicas: 5 }), hpa('scaled-down', 1));
    expect(budgets.map((budget) => (budget.metadata as Obj).name)).toEqual(['scaled-up-pdb']);
  });

  it('gives a budget to a workload without spec.replicas and without an HPA (its count is set elsewhere), but not with minAvailable', () => {
    const unset = workload('Deployment', 'elsewhere');
    delete (unset.spec as Obj).replicas;
    expect(run(KIND, unset).budgets).toHaveLength(1);
    const withMinAvailable = run({ ...KIND, minAvailable: 1 }, unset);
    expect(withMinAvailable.budgets).toEqual([]);
    expect(withMinAvailable.results).toMatchObject([{ severity: 'warning', field: { path: 'spec.replicas' } }]);
    expect(withMinAvailable.results[0]?.message).toContain('set spec.replicas, use maxUnavailable, or exclude the workload');
  });

  it('generates no budget whose minAvailable would block every drain, and says what fixes it', () => {
    const { budgets, results } = run({ ...KIND, minAvailable: 2 }, workload('Deployment', 'two'), workload('Deployment', 'three', { replicas: 3 }));
    expect(budgets.map((budget) => (budget.metadata as Obj).name)).toEqual(['three-pdb']);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ severity: 'warning', resourceRef: { name: 'two' } });
    expect(results[0]?.message).toContain('raise the replica count');
  });

  it('honours select, exclude, the krmkit.dev/skip annotation, and podTemplateKinds', () => {
    const skipped = workload('Deployment', 'skipped');
    (skipped.metadata as Obj).annotations = { 'krmkit.dev/skip': 'pod-disruption-budget' };
    const crd = { ...workload('Workload', 'custom', {}, 'example.com/v1'), spec: { replicas: 3, selector: { matchLabels: { app: 'custom' } }, pod: { metadata: { labels: { app: 'custom' } }, spec: { containers: [] } } } };
    const { budgets } = run(
      { ...KIND, exclude: [{ name: 'ex.*' }], podTemplateKinds: [{ group: 'example.com', kind: 'Workload', path: 'spec.pod' }] },
      workload('Deployment', 'kept'),
      workload('Deployment', 'excluded'),
      skipped,
      crd,
    );
    expect(budgets.map((budget) => (budget.metadata as Obj).name)).toEqual(['kept-pdb', 'custom-pdb']);
    expect(run({ ...KIND, select: [{ kind: 'StatefulSet' }] }, workload('Deployment', 'a'), workload('StatefulSet', 'b')).budgets).toHaveLength(1);
  });
});

describe('the generated budget', () => {
  it("selects exactly the workload's spec.selector (expressions and per-release keys included), never its template labels", () => {
    const selector = { matchLabels: { app: 'api', 'app.kubernetes.io/version': '1' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] };
    const api = workload('Deployment', 'api', {
      selector,
      template: { metadata: { labels: { app: 'api', 'app.kubernetes.io/version': '1', tier: 'web', extra: 'x' } }, spec: { containers: [{ name: 'a', image: 'a' }] } },
    });
    const [budget] = run({ ...KIND, unhealthyPodEvictionPolicy: 'AlwaysAllow' }, api).budgets;
    expect(budget).toEqual({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'api-pdb', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'krmkit' } },
      spec: { maxUnavailable: 1, selector, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
  });

  it("carries the workload's namespace, or none when the workload has none", () => {
    const { budgets } = run(KIND, workload('Deployment', 'in-shop'), workload('Deployment', 'released', {}, 'apps/v1', null));
    expect(budgets.map((budget) => budget.metadata)).toEqual([
      { name: 'in-shop-pdb', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'krmkit' } },
      { name: 'released-pdb', labels: { 'app.kubernetes.io/managed-by': 'krmkit' } },
    ]);
  });

  it('shortens a name over 253 characters deterministically, with a hash, and keeps two long names apart', () => {
    const long = 'a'.repeat(250);
    const { budgets } = run(KIND, workload('Deployment', `${long}x`), workload('Deployment', `${long}y`));
    const names = budgets.map((budget) => String((budget.metadata as Obj).name));
    expect(names.every((name) => name.length <= 253)).toBe(true);
    expect(new Set(names).size).toBe(2);
    expect(run(KIND, workload('Deployment', `${long}x`)).budgets.map((budget) => (budget.metadata as Obj).name)).toEqual([names[0]]);
  });

  it('warns, and generates nothing, for a workload without a selector', () => {
    const bare = workload('Deployment', 'bare');
    delete (bare.spec as Obj).selector;
    const { budgets, results } = run(KIND, bare);
    expect(budgets).toEqual([]);
    expect(results).toMatchObject([{ severity: 'warning', resourceRef: { name: 'bare' }, field: { path: 'spec.selector' } }]);
  });

  it('does not generate over a budget of the same name that selects other pods, and says so', () => {
    const other = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api-pdb', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'else' } } } };
    const { budgets, results } = run(KIND, other, workload('Deployment', 'api'));
    expect(budgets).toHaveLength(1);
    expect(results[0]?.message).toContain('a PodDisruptionBudget named api-pdb is already in the stream');
  });
});

describe('budgets already in the stream', () => {
  const budget = (name: string, spec: Obj, apiVersion = 'policy/v1', namespace = 'shop'): Obj => ({ apiVersion, kind: 'PodDisruptionBudget', metadata: { name, namespace }, spec });

  it('a workload a budget covers (by labels or expressions, in its namespace) gets none', () => {
    const byExpression = budget('by-expression', { maxUnavailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['b'] }] } });
    const otherNamespace = budget('elsewhere', { maxUnavailable: 1, selector: { matchLabels: { app: 'c' } } }, 'policy/v1', 'other');
    const { budgets } = run(KIND, byExpression, otherNamespace, workload('Deployment', 'b'), workload('Deployment', 'c'));
    expect(budgets.map((entry) => (entry.metadata as Obj).name)).toEqual(['by-expression', 'elsewhere', 'c-pdb']);
  });

  it('an empty policy/v1 selector covers every pod of its namespace; an empty policy/v1beta1 one covers none', () => {
    expect(run(KIND, budget('all', { maxUnavailable: 1, selector: {} }), workload('Deployment', 'a')).budgets).toHaveLength(1);
    expect(run(KIND, budget('none', { maxUnavailable: 1, selector: {} }, 'policy/v1beta1'), workload('Deployment', 'a')).budgets).toHaveLength(2);
  });

  it('warns when two budgets select the same pods, naming both', () => {
    const wide = budget('wide', { maxUnavailable: 1, selector: { matchLabels: { version: '1' } } });
    const { results } = run(KIND, wide, budget('own', { maxUnavailable: 1, selector: { matchLabels: { app: 'a' } } }), workload('Deployment', 'a'));
    expect(results.filter((result) => result.severity === 'warning')).toMatchObject([{ resourceRef: { name: 'a' } }]);
    expect(results.find((result) => result.severity === 'warning')?.message).toContain('2 PodDisruptionBudgets (own, wide)');
  });

  it('warns when a generated budget also selects the pods of another workload that has its own budget', () => {
    const wide = workload('Deployment', 'wide', { selector: { matchLabels: { team: 'x' } }, template: { metadata: { labels: { team: 'x' } }, spec: { containers: [] } } });
    const narrow = { ...budget('narrow', { maxUnavailable: 1, selector: { matchLabels: { app: 'narrow' } } }) };
    const narrowWorkload = workload('Deployment', 'narrow', { template: { metadata: { labels: { app: 'narrow', team: 'x' } }, spec: { containers: [] } } });
    const { results } = run(KIND, narrow, narrowWorkload, wide);
    expect(results.find((result) => result.severity === 'warning')).toMatchObject({ resourceRef: { name: 'narrow' } });
  });
});

describe('malformed input fails with a KrmInputError naming the field', () => {
  it.each([
    [{ maxUnavailable: 'one', selector: { matchLabels: { app: 'a' } } }, 'spec.maxUnavailable'],
    [{ minAvailable: -1, selector: { matchLabels: { app: 'a' } } }, 'spec.minAvailable'],
    [{ maxUnavailable: 1, selector: { matchLabels: { app: ['a'] } } }, 'spec.selector.matchLabels.app'],
    [{ maxUnavailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'Is' }] } }, 'spec.selector.matchExpressions[0].operator'],
  ])('an existing budget with spec %j', (spec, field) => {
    const existing = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'x' }, spec };
    expectInputError(() => transform(streamOf(existing, workload('Deployment', 'a')), KIND), field);
  });

  it('a workload with replicas as a string or labels as a list', () => {
    expectInputError(() => transform(streamOf(workload('Deployment', 'a', { replicas: '3' })), KIND), 'spec.replicas');
    expectInputError(() => transform(streamOf(workload('Deployment', 'a', { template: { metadata: { labels: ['a'] }, spec: {} } })), KIND), 'spec.template.metadata.labels');
  });
});

describe('drain arithmetic (as the disruption controller rounds)', () => {
  it.each([
    [{ maxUnavailable: 1 }, 1, 1],
    [{ maxUnavailable: '25%' }, 2, 1],
    [{ maxUnavailable: '50%' }, 3, 2],
    [{ minAvailable: 2 }, 2, 0],
    [{ minAvailable: 2 }, 3, 1],
    [{ minAvailable: '50%' }, 3, 1],
    [{ minAvailable: '50%' }, 1, 0],
  ] as const)('%j over %i pods allows %i evictions', (disruption, pods, evictions) => {
    expect(allowedEvictions(disruption, pods)).toBe(evictions);
  });

  it.each([
    [{ maxUnavailable: 1 }, 2],
    [{ maxUnavailable: 2 }, 3],
    [{ minAvailable: 1 }, 2],
    [{ minAvailable: '50%' }, 2],
    [{ minAvailable: '90%' }, 10],
    [{ maxUnavailable: '100%' }, Infinity],
  ] as const)('%j keeps a pod through a drain from %i pods', (disruption, pods) => {
    expect(fewestPodsThroughADrain(disruption)).toBe(pods);
  });
});

const appName = fc.constantFrom('api', 'web', 'cache', 'worker');
const workloadArb = fc
  .record({
    kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Rollout'),
    name: appName,
    namespace: fc.constantFrom(undefined, 'shop'),
    replicas: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    expressions: fc.boolean(),
    hpaMin: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  })
  .map(({ kind, name, namespace, replicas, expressions, hpaMin }) => {
    const selector = expressions ? { matchExpressions: [{ key: 'app', operator: 'In', values: [name] }] } : { matchLabels: { app: name } };
    const object: Obj = {
      apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1',
      kind,
      metadata: { name, ...(namespace ? { namespace } : {}) },
      spec: { ...(replicas === undefined ? {} : { replicas }), selector, template: { metadata: { labels: { app: name, team: 'shop' } }, spec: { containers: [{ name: 'app', image: 'x' }] } } },
    };
    if (hpaMin === undefined) return [object];
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { scaleTargetRef: { kind, name }, minReplicas: hpaMin, maxReplicas: 5 } };
    return [object, hpa];
  });
const existingBudget = fc
  .record({ app: fc.constantFrom('api', 'web', 'nothing'), count: fc.constantFrom<Obj>({ maxUnavailable: 1 }, { minAvailable: '50%' }) })
  .map(({ app, count }): Obj[] => [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: `${app}-chart-budget`, namespace: 'shop' }, spec: { ...count, selector: { matchLabels: { app } } } }]);
const generatedStream = fc
  .uniqueArray(fc.oneof(workloadArb, existingBudget), { minLength: 1, maxLength: 6, selector: (group) => `${String(group[0]?.kind)}/${JSON.stringify((group[0]?.metadata as Obj).namespace)}/${String((group[0]?.metadata as Obj).name)}` })
  .map((groups) => groups.flat().map((object) => `# Source: shop/templates/${String(object.kind).toLowerCase()}.yaml\n${stringify(object)}`).join('---\n'));
const configArb = fc.constantFrom<Obj>(KIND, { ...KIND, minAvailable: '50%', unhealthyPodEvictionPolicy: 'AlwaysAllow' }, { ...KIND, minReplicas: 1, maxUnavailable: '25%' });

describe('properties', () => {
  it('is idempotent: running twice gives the same bytes as once', () => {
    fc.assert(fc.property(generatedStream, configArb, expectIdempotent));
  });

  it('loses nothing: every input object comes out unchanged, and only budgets are added — one per workload at most, each selecting a workload of its namespace exactly', () => {
    fc.assert(
      fc.property(generatedStream, configArb, (text, options) => {
        const input = objectsOf(text);
        const output = objectsOf(transform(text, options).output);
        expect(output.slice(0, input.length)).toEqual(input);
        const added = output.slice(input.length);
        for (const budget of added) {
          expect(budget).toMatchObject({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' });
          const name = String((budget.metadata as Obj).name);
          // Never for a DaemonSet: the budget serves a replicated workload of that name and namespace.
          const served = input.filter(
            (object) =>
              `${String((object.metadata as Obj).name)}-pdb` === name &&
              (object.metadata as Obj).namespace === (budget.metadata as Obj).namespace &&
              ['Deployment', 'StatefulSet', 'Rollout'].includes(String(object.kind)),
          );
          const selectors = served.map((object) => JSON.stringify((object.spec as Obj).selector));
          expect(selectors, `${name} selects exactly a replicated workload of the stream`).toContain(JSON.stringify((budget.spec as Obj).selector));
        }
        expect(new Set(added.map((budget) => JSON.stringify(budget.metadata))).size).toBe(added.length);
      }),
    );
  });

  it('leaves the documents it does not change byte-identical (all of them: it only adds)', () => {
    fc.assert(
      fc.property(generatedStream, configArb, (text, options) => {
        const output = transform(text, options).output;
        expectUnchangedDocumentsKeepTheirBytes(text, output);
        expect(output.startsWith(text.replace(/\n*$/, ''))).toBe(true);
      }),
    );
  });
});

describe.runIf(needsShared('corpora'))('real corpora (../shared/corpora)', () => {
  describe.each(corpora())('$name', ({ text }) => {
    it('adds budgets only for workloads without a fixed replica count below 2, changes no input document, and is idempotent', () => {
      const once = transform(text, KIND).output;
      expect(transform(once, KIND).output).toBe(once);
      expect(once.startsWith(text.replace(/\n*$/, ''))).toBe(true);
      const input = objectsOf(text);
      for (const budget of budgetsOf(once).slice(budgetsOf(text).length)) {
        const served = input.find((object) => `${String((object.metadata as Obj).name)}-pdb` === (budget.metadata as Obj).name && ['Deployment', 'StatefulSet'].includes(String(object.kind)));
        expect(served, JSON.stringify(budget.metadata)).toBeDefined();
        const replicas = (served?.spec as Obj).replicas;
        expect(replicas === undefined || (replicas as number) >= 2).toBe(true);
        expect((budget.metadata as Obj).namespace).toBe((served?.metadata as Obj).namespace);
      }
    });
  });

  it('the corpora hold workloads both with and without a fixed replica count, so the check above has something to decide', () => {
    const workloads = corpora().flatMap(({ text }) => objectsOf(text)).filter((object) => object.kind === 'Deployment');
    expect(workloads.some((object) => (object.spec as Obj).replicas === undefined)).toBe(true);
    expect(workloads.some((object) => (object.spec as Obj).replicas === 1)).toBe(true);
  });
});

describe('CLI (dist/krmkit.cjs)', () => {
  const input = streamOf(workload('Deployment', 'api'));

  it('as a Helm 4 post-renderer: budgets get their own file name, and a hook workload gets none', () => {
    const filename = 'postrenderer.helm.sh/postrender-filename';
    const regular = workload('Deployment', 'api');
    (regular.metadata as Obj).annotations = { [filename]: 'shop/templates/api.yaml' };
    const hook = workload('Deployment', 'hooked', { replicas: 3 });
    (hook.metadata as Obj).annotations = { [filename]: 'shop/templates/hook.yaml', 'helm.sh/hook': 'pre-upgrade' };
    const result = runCli(['postrender', '--overlay=prod'], streamOf(regular, hook));
    expect(result.status, result.stderr).toBe(0);
    expect(budgetsOf(result.stdout).map((budget) => budget.metadata)).toEqual([
      { name: 'api-pdb', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'krmkit' }, annotations: { [filename]: 'krmkit/generated/shop-poddisruptionbudget-api-pdb.yaml' } },
    ]);
  });

  it('takes flags in the ConfigMap form and prints the budget', () => {
    const result = runCli(['pod-disruption-budget', '--minAvailable', '50%', '--unhealthyPodEvictionPolicy', 'AlwaysAllow'], input);
    expect(result.status, result.stderr).toBe(0);
    expect(budgetsOf(result.stdout)).toMatchObject([{ spec: { minAvailable: '50%', unhealthyPodEvictionPolicy: 'AlwaysAllow' } }]);
  });

  it('exits 2 with the option named and nothing on stdout for maxUnavailable 0', () => {
    const result = runCli(['pod-disruption-budget', '--maxUnavailable', '0'], input);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('maxUnavailable');
  });

  it('exits 2 naming the document and field for a malformed budget in the stream', () => {
    const result = runCli(['pod-disruption-budget'], `${input}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: x}\nspec: {maxUnavailable: many}\n`);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('spec.maxUnavailable');
    expect(result.stderr).toContain('PodDisruptionBudget x');
  });
});

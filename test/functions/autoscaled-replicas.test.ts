/**
 * autoscaled-replicas: spec.replicas leaves exactly the workloads an HPA in the stream targets;
 * the drain warning fires exactly when required anti-affinity or a budget needs more replicas
 * than the HPA's minimum — and, as properties, it is idempotent, removes nothing else and leaves
 * other documents byte-identical, on generated streams and on the real corpora.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KrmInputError } from '../../krm/base/errors.js';
import { runCli } from '../helpers/cli.js';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { expectUnchangedDocumentsKeepTheirBytes } from '../helpers/invariants.js';
import { objectsOf } from '../helpers/objects.js';
import { transform } from '../helpers/transform.js';
import { idempotentRuns } from '../helpers/run-properties.js';
import { thrownBy } from '../helpers/errors.js';

type Obj = Record<string, unknown>;

const KIND = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'AutoscaledReplicas' };

function workload(kind: string, name: string, replicas: number | undefined = 3, podSpec: Obj = {}, namespace = 'shop'): Obj {
  return {
    apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1',
    kind,
    metadata: { name, namespace },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'x' }], ...podSpec } },
    },
  };
}

function hpa(kind: string, name: string, minReplicas?: number, namespace = 'shop'): Obj {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind, name }, ...(minReplicas === undefined ? {} : { minReplicas }), maxReplicas: 10 },
  };
}

function budget(name: string, spec: Obj): Obj {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'shop' }, spec: { ...spec, selector: { matchLabels: { app: name } } } };
}

const REQUIRED_ANTI_AFFINITY = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' }] } } };

const streamOf = (...objects: Obj[]): string => objects.map((object) => stringify(object)).join('---\n');

function run(...objects: Obj[]) {
  const outcome = transform(streamOf(...objects), KIND);
  const objectsOut = objectsOf(outcome.output);
  const replicasOf = (kind: string, name: string): unknown => (objectsOut.find((object) => object.kind === kind && (object.metadata as Obj).name === name)?.spec as Obj).replicas;
  return { ...outcome, replicasOf, warnings: outcome.results.filter((result) => result.severity === 'warning') };
}

describe('spec.replicas', () => {
  it('is removed from Deployments, StatefulSets and Rollouts an HPA targets (by kind, name and namespace), and reported', () => {
    const { replicasOf, results } = run(
      workload('Deployment', 'api'),
      hpa('Deployment', 'api', 2),
      workload('StatefulSet', 'db'),
      hpa('StatefulSet', 'db', 2),
      workload('Rollout', 'web'),
      { ...hpa('Rollout', 'web', 2), spec: { scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web' }, minReplicas: 2, maxReplicas: 4 } },
    );
    expect([replicasOf('Deployment', 'api'), replicasOf('StatefulSet', 'db'), replicasOf('Rollout', 'web')]).toEqual([undefined, undefined, undefined]);
    expect(results).toMatchObject([
      { severity: 'info', resourceRef: { name: 'api' }, field: { path: 'spec.replicas', currentValue: 3 } },
      { severity: 'info', resourceRef: { name: 'db' } },
      { severity: 'info', resourceRef: { name: 'web' } },
    ]);
  });

  it('stays on workloads no HPA targets: other name, other kind, other namespace', () => {
    const { output } = run(workload('Deployment', 'api'), hpa('Deployment', 'other', 2), hpa('StatefulSet', 'api', 2), hpa('Deployment', 'api', 2, 'elsewhere'));
    expect(output).toBe(streamOf(workload('Deployment', 'api'), hpa('Deployment', 'other', 2), hpa('StatefulSet', 'api', 2), hpa('Deployment', 'api', 2, 'elsewhere')));
  });

  it('honours exclude and the krmkit.dev/skip annotation (the HPA itself need not be in scope)', () => {
    const skipped = workload('Deployment', 'skipped');
    (skipped.metadata as Obj).annotations = { 'krmkit.dev/skip': 'autoscaled-replicas' };
    const outcome = transform(streamOf(skipped, hpa('Deployment', 'skipped', 2), workload('Deployment', 'excluded'), hpa('Deployment', 'excluded', 2), workload('Deployment', 'kept'), hpa('Deployment', 'kept', 2)), {
      ...KIND,
      exclude: [{ name: 'excluded' }, { kind: 'HorizontalPodAutoscaler' }],
    });
    const replicas = objectsOf(outcome.output)
      .filter((object) => object.kind === 'Deployment')
      .map((object) => (object.spec as Obj).replicas);
    expect(replicas).toEqual([3, 3, undefined]);
  });

  it('keeps the comments and key order of the rest of the document', () => {
    const text = '# Source: shop/templates/api.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api # the API\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers: [{name: api, image: x}]\n';
    const output = transform(`${text}---\n${stringify(hpa('Deployment', 'api', 2)).replace('  namespace: shop\n', '')}`, KIND).output;
    expect(output.split('---\n')[0]).toBe(text.replace('  replicas: 2\n', ''));
  });
});

describe('the drain warning', () => {
  it('fires when required anti-affinity needs 2 replicas and the HPA may go down to 1, on the HPA, naming the fix', () => {
    const { warnings } = run(workload('Deployment', 'api', 3, REQUIRED_ANTI_AFFINITY), hpa('Deployment', 'api'));
    expect(warnings).toMatchObject([{ resourceRef: { kind: 'HorizontalPodAutoscaler', name: 'api' }, field: { path: 'spec.minReplicas', currentValue: 1, proposedValue: 2 } }]);
    expect(warnings[0]?.message).toContain("set the HPA's spec.minReplicas to 2");
  });

  it.each([
    [{ maxUnavailable: 1 }, 1, 2],
    [{ minAvailable: 2 }, 2, 3],
    [{ minAvailable: '50%' }, 1, 2],
    [{ maxUnavailable: 2 }, 2, 3],
  ])('fires for a budget %j when the HPA minimum is %i (needs %i)', (spec, minReplicas, needed) => {
    const { warnings } = run(workload('Deployment', 'api'), budget('api', spec), hpa('Deployment', 'api', minReplicas));
    expect(warnings).toMatchObject([{ field: { proposedValue: needed } }]);
  });

  it('stays silent when the HPA minimum is enough, or nothing asks for more replicas', () => {
    expect(run(workload('Deployment', 'api', 3, REQUIRED_ANTI_AFFINITY), budget('api', { minAvailable: 1 }), hpa('Deployment', 'api', 2)).warnings).toEqual([]);
    expect(run(workload('Deployment', 'api'), hpa('Deployment', 'api', 1)).warnings).toEqual([]);
    // A budget for other pods does not count.
    expect(run(workload('Deployment', 'api'), budget('other', { minAvailable: 3 }), hpa('Deployment', 'api', 1)).warnings).toEqual([]);
  });
});

describe('malformed input fails with a KrmInputError naming the field', () => {
  it.each([
    [[workload('Deployment', 'api'), { ...hpa('Deployment', 'api'), spec: { scaleTargetRef: { kind: 'Deployment' } } }], 'spec.scaleTargetRef.name'],
    [[workload('Deployment', 'api'), { ...hpa('Deployment', 'api'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, minReplicas: '2' } }], 'spec.minReplicas'],
    [[workload('Deployment', 'api', 3, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: 'all' } } }), hpa('Deployment', 'api')], 'spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution'],
  ])('%#: %s', (objects, field) => {
    const error = thrownBy(() => transform(streamOf(...objects), KIND));
    expect(error).toBeInstanceOf(KrmInputError);
    expect((error as Error).message).toContain(`${field}:`);
  });
});

const groupArb = fc
  .record({
    kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet'),
    name: fc.constantFrom('api', 'web', 'db'),
    replicas: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    hpa: fc.option(fc.record({ kind: fc.constantFrom('Deployment', 'StatefulSet'), minReplicas: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) }), { nil: undefined }),
    antiAffinity: fc.boolean(),
    budget: fc.option(fc.constantFrom<Obj>({ maxUnavailable: 1 }, { minAvailable: 2 }), { nil: undefined }),
  })
  .map(({ kind, name, replicas, hpa: target, antiAffinity, budget: spec }) => [
    workload(kind, name, replicas, antiAffinity ? REQUIRED_ANTI_AFFINITY : {}),
    ...(target ? [hpa(target.kind, name, target.minReplicas)] : []),
    ...(spec ? [budget(name, spec)] : []),
  ]);
const generatedStream = fc
  .uniqueArray(groupArb, { minLength: 1, maxLength: 4, selector: (group) => String((group[0]?.metadata as Obj).name) })
  .map((groups) => groups.flat().map((object) => `# Source: shop/templates/${String(object.kind).toLowerCase()}.yaml\n${stringify(object)}`).join('---\n'));

describe('properties', () => {
  it('is idempotent, removes spec.replicas exactly where an HPA targets the workload, changes nothing else, and keeps other documents byte-identical', () => {
    fc.assert(
      fc.property(generatedStream, (text) => {
        const once = idempotentRuns(text, KIND).once.output;
        expectUnchangedDocumentsKeepTheirBytes(text, once);
        const input = objectsOf(text);
        const output = objectsOf(once);
        expect(output).toHaveLength(input.length);
        input.forEach((object, index) => {
          const targeted = input.some((other) => other.kind === 'HorizontalPodAutoscaler' && ((other.spec as Obj).scaleTargetRef as Obj).kind === object.kind && (other.metadata as Obj).name === (object.metadata as Obj).name);
          const { replicas: _replicas, ...rest } = object.spec as Obj;
          const expected = targeted ? { ...object, spec: rest } : object;
          expect(output[index]).toEqual(expected);
        });
      }),
    );
  });
});

describe.runIf(needsShared('corpora'))('real corpora (../shared/corpora)', () => {
  it.each(corpora())('$name: no HPA there, so every byte stays', ({ text }) => {
    expect(objectsOf(text).some((object) => object.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect(transform(text, KIND).output).toBe(text);
  });
});

describe('CLI (dist/krmkit.cjs)', () => {
  it('removes spec.replicas and prints the info and the drain warning on stderr, exit 0', () => {
    const result = runCli(['autoscaled-replicas'], streamOf(workload('Deployment', 'api', 3, REQUIRED_ANTI_AFFINITY), hpa('Deployment', 'api')));
    expect(result.status, result.stderr).toBe(0);
    expect(objectsOf(result.stdout)[0]?.spec).not.toHaveProperty('replicas');
    expect(result.stderr).toContain('[info] apps/v1/Deployment/shop/api spec.replicas: removed spec.replicas (3)');
    expect(result.stderr).toContain('[warning] autoscaling/v2/HorizontalPodAutoscaler/shop/api spec.minReplicas');
  });

  it('rejects an option it does not have, with exit 2 and nothing on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'krmkit-autoscaled-'));
    writeFileSync(join(dir, 'config.yaml'), 'apiVersion: krmkit.dev/v1alpha1\nkind: AutoscaledReplicas\nreplicas: 2\n');
    const result = runCli(['autoscaled-replicas', '--config', join(dir, 'config.yaml')], streamOf(workload('Deployment', 'api')));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('replicas');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';
import { objectsOf } from '../../helpers/objects.js';
import { transform } from '../../helpers/transform.js';
import { useApiServer, type ApiServer } from './harness.js';

/**
 * Issue 11's objects through a real kube-apiserver: the budgets pod-disruption-budget generates
 * for the example are valid policy/v1 objects the server stores as written; a workload without
 * spec.replicas (autoscaled-replicas) is accepted; and the labels pod-security-labels writes
 * make PodSecurity admission enforce the level (a privileged pod is refused).
 */
let server: ApiServer;

beforeAll(async () => {
  server = await useApiServer();
});

type Obj = Record<string, unknown>;

const prod = transform(readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8'), {
  apiVersion: 'krmkit.dev/v1alpha1',
  kind: 'Pipeline',
  steps: (objectsOf(readFileSync(join(REPO_ROOT, 'overlays', 'prod', 'pipeline.yaml'), 'utf8'))[0] as { steps: unknown[] }).steps,
});
const output = objectsOf(prod.output);
const budgets = output.filter((object) => object.kind === 'PodDisruptionBudget');
const asList = (items: Obj[]): string => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

describe('PodDisruptionBudgets generated for base/ through prod', () => {
  it('are stored by the API server exactly as generated, beside their Deployments', async () => {
    expect(budgets.map((budget) => (budget.metadata as Obj).name)).toEqual(['demo-backend-pdb', 'demo-frontend-pdb']);
    await server.createNamespace('fna-budgets');
    const deployments = output.filter((object) => object.kind === 'Deployment');
    const applied = await server.kubectl(['apply', '-f', '-'], { input: asList([...deployments, ...budgets]), namespace: 'fna-budgets' });
    expect(applied.code, applied.stderr).toBe(0);
    const stored = await server.kubectl(['get', 'poddisruptionbudgets', '-o', 'json'], { namespace: 'fna-budgets' });
    expect(stored.code, stored.stderr).toBe(0);
    const items = (JSON.parse(stored.stdout) as { items: Obj[] }).items;
    for (const budget of budgets) {
      const found = items.find((item) => (item.metadata as Obj).name === (budget.metadata as Obj).name);
      expect(found?.spec).toEqual(budget.spec);
    }
    // The backend Deployment, which its HPA scales, went in without spec.replicas; the server defaults it.
    const backend = deployments.find((object) => (object.metadata as Obj).name === 'demo-backend') as Obj;
    expect(backend.spec).not.toHaveProperty('replicas');
    const live = await server.kubectl(['get', 'deployment', 'demo-backend', '-o', 'jsonpath={.spec.replicas}'], { namespace: 'fna-budgets' });
    expect(live.stdout).toBe('1');
  });

  it('a budget the server would refuse is refused (so the check above can fail): both minAvailable and maxUnavailable', async () => {
    const [budget] = budgets as [Obj];
    const invalid = { ...budget, metadata: { name: 'invalid-pdb' }, spec: { ...(budget.spec as Obj), minAvailable: 1 } };
    const refused = await server.kubectl(['apply', '--dry-run=server', '-f', '-'], { input: JSON.stringify(invalid), namespace: 'fna-budgets' });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('minAvailable');
  });
});

describe('Namespaces labelled by pod-security-labels', () => {
  const privilegedPod = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'privileged' },
    spec: { containers: [{ name: 'app', image: 'busybox', securityContext: { privileged: true } }] },
  });

  it('are accepted, and PodSecurity admission then refuses a privileged pod there (it admitted it before)', async () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fna-labelled' } };
    const before = await server.kubectl(['apply', '-f', '-'], { input: JSON.stringify(namespace) });
    expect(before.code, before.stderr).toBe(0);
    const admitted = await server.kubectl(['create', '--dry-run=server', '-f', '-'], { input: privilegedPod, namespace: 'fna-labelled' });
    expect(admitted.code, admitted.stderr).toBe(0);

    const labelled = objectsOf(transform(stringify(namespace), { apiVersion: 'krmkit.dev/v1alpha1', kind: 'PodSecurityLabels', profile: 'restricted' }).output)[0] as Obj;
    const applied = await server.kubectl(['apply', '-f', '-'], { input: JSON.stringify(labelled) });
    expect(applied.code, applied.stderr).toBe(0);
    const refused = await server.kubectl(['create', '--dry-run=server', '-f', '-'], { input: privilegedPod, namespace: 'fna-labelled' });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('violates PodSecurity "restricted:latest"');
  });
});

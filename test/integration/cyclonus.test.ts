import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { CORPORA_DIR } from '../helpers/corpora.js';
import { needsShared, sharedPath } from '../helpers/shared.js';
import { transform } from '../helpers/transform.js';
import { judge, podLabels, policiesOf, type Endpoint, type JudgedFlow } from './cyclonus.js';
import { newHelmHome } from './paths.js';
import { run } from './process.js';
import { toolPath } from './tools.js';

/**
 * Issue 9's proof: cyclonus, not krmkit, decides flow by flow whether the policies krmkit
 * writes (plus those already in the stream) let the traffic a real app needs through, and
 * keep denied what must stay denied. Every must-deny flow is first shown to be allowed by
 * the input's own policies, so the verdict is krmkit's doing.
 */
const NETPOL = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'NetworkPolicies', defaultDeny: ['Ingress', 'Egress'], allowDNS: true };
const PROD = load(readFileSync(join(REPO_ROOT, 'overlays', 'prod', 'pipeline.yaml'), 'utf8'));

const API_SERVER: Endpoint = { ip: '172.18.0.2' };
const KUBELET: Endpoint = { ip: '172.18.0.3' };
const INTERNET: Endpoint = { ip: '8.8.8.8' };
const CLIENT: Endpoint = { ip: '203.0.113.7' };
const DNS: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const ELSEWHERE: Endpoint = { namespace: 'shop', labels: { app: 'web' } };

interface Case {
  name: string;
  input: string;
  config: unknown;
  /** Where objects without a namespace land (helm -n). */
  namespace: string;
  allow: (stream: string) => JudgedFlow[];
  deny: (stream: string) => JudgedFlow[];
}

const pod = (namespace: string, labels: Record<string, string>): Endpoint => ({ namespace, labels });
const flow = (name: string, from: Endpoint, to: Endpoint, port: number, portName?: string, protocol: 'TCP' | 'UDP' = 'TCP'): JudgedFlow => ({ name, from, to, port, protocol, ...(portName ? { portName } : {}) });
const corpus = (name: string): string => readFileSync(join(CORPORA_DIR, name), 'utf8');

/** A corpus file through the network-policy config, in the namespace Helm would install it to. Read only when called: ../shared may be absent. */
function corpusCase(name: string, namespace: string, flows: Pick<Case, 'allow' | 'deny'>): Case {
  return { name, input: corpus(name), config: NETPOL, namespace, ...flows };
}

const base = readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8');
const baseCase: Case = {
  name: 'base/ through prod',
  input: base,
  config: PROD,
  namespace: 'demo',
  allow: (s) => {
    const fe = pod('demo', podLabels(s, 'Deployment', 'demo-frontend'));
    const be = pod('demo', podLabels(s, 'Deployment', 'demo-backend'));
    const db = pod('demo', podLabels(s, 'StatefulSet', 'demo-database'));
    const migrations = pod('demo', podLabels(s, 'Job', 'demo-migrations'));
    const nginx = pod('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' });
    return [
      flow('ingress-nginx → frontend :8080', nginx, fe, 8080, 'http'),
      flow('frontend → backend :8000', fe, be, 8000, 'http'),
      flow('backend → database :5432', be, db, 5432, 'postgres'),
      flow('migrations → database :5432', migrations, db, 5432, 'postgres'),
      flow('frontend → DNS', fe, DNS, 53, undefined, 'UDP'),
      flow('backend → DNS', be, DNS, 53, undefined, 'UDP'),
      flow('database → DNS', db, DNS, 53, undefined, 'UDP'),
      flow('another release in demo → its own peer :80 (not isolated)', pod('demo', { app: 'other' }), pod('demo', { app: 'other-db' }), 80),
    ];
  },
  deny: (s) => {
    const fe = pod('demo', podLabels(s, 'Deployment', 'demo-frontend'));
    const be = pod('demo', podLabels(s, 'Deployment', 'demo-backend'));
    const db = pod('demo', podLabels(s, 'StatefulSet', 'demo-database'));
    return [
      flow('frontend → database :5432', fe, db, 5432, 'postgres'),
      flow('another namespace → backend :8000', ELSEWHERE, be, 8000, 'http'),
      flow('another release in demo → backend :8000', pod('demo', { ...podLabels(s, 'Deployment', 'demo-frontend'), 'app.kubernetes.io/instance': 'other' }), be, 8000, 'http'),
      flow('backend → internet :443', be, INTERNET, 443),
      flow('internet → frontend :8080', CLIENT, fe, 8080, 'http'),
    ];
  },
};

/** What Helm 3 hands a post-renderer: the same render without its hooks (the migrations Job). */
const withoutHooks = base
  .split(/^(?=---$)/m)
  .filter((document) => !document.includes('helm.sh/hook'))
  .join('');
const helm3Case: Case = {
  ...baseCase,
  name: 'base/ through prod as Helm 3 post-renders it (hooks not in the stream)',
  input: withoutHooks,
  allow: () => {
    const db = pod('demo', podLabels(base, 'StatefulSet', 'demo-database'));
    return [
      flow('migrations hook → database :5432 (declared flow)', pod('demo', podLabels(base, 'Job', 'demo-migrations')), db, 5432, 'postgres'),
      flow('backend → database :5432', pod('demo', podLabels(base, 'Deployment', 'demo-backend')), db, 5432, 'postgres'),
    ];
  },
};

const ingressNginx = (): Case => corpusCase('ingress-nginx-cloud.yaml', 'ingress-nginx', {
  allow: (s) => {
    const controller = pod('ingress-nginx', podLabels(s, 'Deployment', 'ingress-nginx-controller'));
    const create = pod('ingress-nginx', podLabels(s, 'Job', 'ingress-nginx-admission-create'));
    return [
      flow('internet → controller :80 (LoadBalancer)', CLIENT, controller, 80, 'http'),
      flow('internet → controller :443 (LoadBalancer)', CLIENT, controller, 443, 'https'),
      flow('API server → admission webhook :8443', API_SERVER, controller, 8443, 'webhook'),
      flow('controller → API server :6443', controller, API_SERVER, 6443),
      flow('controller → API server :443', controller, API_SERVER, 443),
      flow('controller → a backend in another namespace :8080', controller, ELSEWHERE, 8080),
      flow('controller → DNS', controller, DNS, 53, undefined, 'UDP'),
      flow('admission-create job → API server :443', create, API_SERVER, 443),
      flow('another pod in ingress-nginx → internet (not isolated)', pod('ingress-nginx', { app: 'other' }), INTERNET, 80),
    ];
  },
  deny: (s) => {
    const controller = pod('ingress-nginx', podLabels(s, 'Deployment', 'ingress-nginx-controller'));
    const create = pod('ingress-nginx', podLabels(s, 'Job', 'ingress-nginx-admission-create'));
    return [
      flow('controller → internet :80', controller, INTERNET, 80),
      flow('another namespace → controller metrics :10254', ELSEWHERE, controller, 10254),
      flow('admission-create job → internet :80', create, INTERNET, 80),
    ];
  },
});

function metricsServer(name: string, input: () => string, config: unknown, deployment: string): Case {
  return {
    name,
    input: input(),
    config,
    namespace: 'kube-system',
    allow: (s) => {
      const ms = pod('kube-system', podLabels(s, 'Deployment', deployment));
      return [
        flow('API server → metrics-server :10250 (APIService)', API_SERVER, ms, 10250, 'https'),
        flow('metrics-server → kubelet :10250', ms, KUBELET, 10250),
        flow('metrics-server → API server :6443', ms, API_SERVER, 6443),
        flow('metrics-server → DNS', ms, DNS, 53, undefined, 'UDP'),
        flow('CoreDNS → upstream DNS (kube-system not isolated)', DNS, INTERNET, 53, undefined, 'UDP'),
        flow('any pod → CoreDNS (kube-system not isolated)', ELSEWHERE, DNS, 53, undefined, 'UDP'),
      ];
    },
    deny: (s) => {
      const ms = pod('kube-system', podLabels(s, 'Deployment', deployment));
      return [flow('metrics-server → internet :80', ms, INTERNET, 80), flow('another namespace → metrics-server :8080', ELSEWHERE, ms, 8080)];
    },
  };
}

const certManager = (): Case => corpusCase('cert-manager-v1.14.4.yaml', 'cert-manager', {
  allow: (s) => {
    const webhook = pod('cert-manager', podLabels(s, 'Deployment', 'cert-manager-webhook'));
    return [
      flow('API server → webhook :10250', API_SERVER, webhook, 10250, 'https'),
      flow('controller → API server :6443', pod('cert-manager', podLabels(s, 'Deployment', 'cert-manager')), API_SERVER, 6443),
      flow('cainjector → API server :6443', pod('cert-manager', podLabels(s, 'Deployment', 'cert-manager-cainjector')), API_SERVER, 6443),
      flow('webhook → API server :6443', webhook, API_SERVER, 6443),
      flow('a kube-system pod → internet (kube-system not isolated)', pod('kube-system', { app: 'other' }), INTERNET, 80),
    ];
  },
  deny: (s) => [
    flow('controller → internet :80', pod('cert-manager', podLabels(s, 'Deployment', 'cert-manager')), INTERNET, 80),
    flow('another namespace → webhook healthz :6080', ELSEWHERE, pod('cert-manager', podLabels(s, 'Deployment', 'cert-manager-webhook')), 6080),
  ],
});

const reloader = (): Case => corpusCase('reloader.yaml', 'default', {
  allow: (s) => [
    flow('reloader → API server :443', pod('default', podLabels(s, 'Deployment', 'reloader-reloader')), API_SERVER, 443),
    flow('another release in default → internet (not isolated)', pod('default', { app: 'other' }), INTERNET, 80),
  ],
  deny: (s) => [
    flow('reloader → internet :80', pod('default', podLabels(s, 'Deployment', 'reloader-reloader')), INTERNET, 80),
    flow('another namespace → reloader :9090', ELSEWHERE, pod('default', podLabels(s, 'Deployment', 'reloader-reloader')), 9090),
  ],
});

/** Three workloads of one namespace, two behind Services: the same-namespace rule alone connects them. */
function sameNamespaceStream(): string {
  const deployment = (name: string, port?: { name: string; containerPort: number }): string => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: ${name}
          image: registry.example.com/${name}:1.0.0${port ? `\n          ports: [{name: ${port.name}, containerPort: ${port.containerPort}}]` : ''}
`;
  const service = (name: string, port: number, targetPort: string): string => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {app: ${name}}
  ports: [{port: ${port}, targetPort: ${targetPort}}]
`;
  return [deployment('api', { name: 'http', containerPort: 8080 }), service('api', 80, 'http'), deployment('cache', { name: 'redis', containerPort: 6379 }), service('cache', 6379, 'redis'), deployment('worker')].join('');
}

const shopPods = (): Record<'api' | 'cache' | 'worker', Endpoint> => ({ api: pod('shop', { app: 'api' }), cache: pod('shop', { app: 'cache' }), worker: pod('shop', { app: 'worker' }) });

const sameNamespaceCase: Case = {
  name: 'allowSameNamespace: a namespace of three workloads, Ingress and Egress denied',
  input: sameNamespaceStream(),
  config: { ...NETPOL, allowSameNamespace: true },
  namespace: 'shop',
  allow: () => {
    const { api, cache, worker } = shopPods();
    return [
      flow('worker → api :8080', worker, api, 8080, 'http'),
      flow('api → cache :6379', api, cache, 6379, 'redis'),
      flow('cache → api :8080', cache, api, 8080, 'http'),
      flow('api → another api pod :8080 (its own Service)', api, api, 8080, 'http'),
      flow('worker → DNS', worker, DNS, 53, undefined, 'UDP'),
    ];
  },
  deny: () => {
    const { api, cache, worker } = shopPods();
    return [
      // The egress rule names every Service port of the namespace; the receiver's ingress keeps it to its own.
      flow('api → cache :8080 (a port of api, not of cache)', api, cache, 8080),
      flow('cache → api :6379 (a port of cache, not of api)', cache, api, 6379),
      flow('api → worker :8080 (no Service targets worker)', api, worker, 8080),
      flow('another namespace → api :8080', pod('data', { app: 'api' }), api, 8080, 'http'),
      flow('api → another namespace :8080', api, pod('data', { app: 'api' }), 8080, 'http'),
      flow('worker → internet :443', worker, INTERNET, 443),
    ];
  },
};

async function metricsServerChart(): Promise<string> {
  const home = newHelmHome();
  const result = await run(toolPath('helm3'), ['template', 'metrics-server', join(sharedPath('charts'), 'metrics-server'), '-n', 'kube-system'], { env: home.env });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

const CASES: Case[] = [
  baseCase,
  helm3Case,
  sameNamespaceCase,
  ...(needsShared('corpora')
    ? [ingressNginx(), metricsServer('metrics-server-components.yaml', () => corpus('metrics-server-components.yaml'), NETPOL, 'metrics-server'), certManager(), reloader()]
    : []),
];

async function check(testCase: Case): Promise<void> {
  const { output, results } = transform(testCase.input, testCase.config);
  const allow = testCase.allow(output);
  const deny = testCase.deny(output);
  const before = await judge(policiesOf(testCase.input, testCase.namespace), deny);
  for (const { name } of deny) expect(before.get(name), `${testCase.name}: before krmkit, ${name} was already denied (the check could not fail)`).toBe(true);
  const after = await judge(policiesOf(output, testCase.namespace), [...allow, ...deny]);
  const table = [...allow.map(({ name }) => `  must allow  ${after.get(name) ? 'allowed' : 'DENIED '}  ${name}`), ...deny.map(({ name }) => `  must deny   ${after.get(name) ? 'ALLOWED' : 'denied '}  ${name}`)];
  const warnings = results.filter((result) => result.severity === 'warning').map((result) => `  warning: ${result.resourceRef?.kind ?? ''} ${result.resourceRef?.name ?? ''}: ${result.message}`);
  console.info(`cyclonus — ${testCase.name}\n${[...table, ...warnings].join('\n')}`);
  for (const { name } of allow) expect(after.get(name), `${testCase.name}: ${name}`).toBe(true);
  for (const { name } of deny) expect(after.get(name), `${testCase.name}: ${name}`).toBe(false);
}

describe('cyclonus judges the generated NetworkPolicies flow by flow', () => {
  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    await check(testCase);
  });

  it.runIf(needsShared('charts'))('metrics-server chart rendered with helm template -n kube-system', async () => {
    const rendered = await metricsServerChart();
    await check(metricsServer('metrics-server chart', () => rendered, NETPOL, 'metrics-server'));
  });

  it('no generated policy selects every pod of a system namespace', () => {
    for (const testCase of [...CASES]) {
      const policies = policiesOf(transform(testCase.input, testCase.config).output, testCase.namespace).filter((policy) => (policy.metadata?.labels as Record<string, string> | undefined)?.['app.kubernetes.io/managed-by'] === 'krmkit');
      for (const policy of policies) expect((policy.spec as Record<string, unknown>).podSelector, `${testCase.name}: ${String(policy.metadata?.name)}`).not.toEqual({});
    }
  });
});

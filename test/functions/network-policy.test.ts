/**
 * network-policy: which policies a stream and a config produce, where they land, how they
 * are named and labelled, what is never duplicated, when the run warns, what malformed input
 * and config produce — and, as properties, that it is idempotent and loses nothing, on
 * generated streams and on the real corpora.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { networkPolicyOptions, parseNetworkPolicyConfig } from '../../functions/network-policy/config.js';
import { KrmConfigError, KrmInputError } from '../../krm/base/errors.js';
import { readOwnOptions } from '../../krm/function/options.js';
import { runCli } from '../helpers/cli.js';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { objectsOf } from '../helpers/objects.js';
import { transform } from '../helpers/transform.js';
import { expectIdempotent } from '../helpers/run-properties.js';

type Obj = Record<string, unknown>;

const KIND = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'NetworkPolicies' };
const PROD = {
  ...KIND,
  defaultDeny: ['Ingress', 'Egress'],
  allowDNS: true,
  flows: [
    { from: { podSelector: { tier: 'frontend' } }, to: { podSelector: { tier: 'backend' } }, ports: [8080] },
    { from: { podSelector: { tier: 'backend' } }, to: { podSelector: { tier: 'database' } }, ports: [5432] },
  ],
};

function config(options: Obj) {
  return parseNetworkPolicyConfig(readOwnOptions('network-policy', 'NetworkPolicies', options, networkPolicyOptions));
}

function meta(name: string, namespace?: string, extra: Obj = {}): Obj {
  return { name, ...(namespace === undefined ? {} : { namespace }), ...extra };
}

function deployment(name: string, namespace: string | undefined, labels: Obj, options: { ports?: Obj[]; kind?: string; selector?: unknown; annotations?: Obj } = {}): Obj {
  const kind = options.kind ?? 'Deployment';
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: meta(name, namespace, options.annotations ? { annotations: options.annotations } : {}),
    spec: {
      selector: options.selector === undefined ? { matchLabels: labels } : options.selector,
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: `example/${name}:1`, ...(options.ports ? { ports: options.ports } : {}) }] },
      },
    },
  };
}

function service(name: string, namespace: string | undefined, selector: Obj | undefined, ports: Obj[], extra: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(name, namespace), spec: { ...(selector ? { selector } : {}), ports, ...extra } };
}

function ingress(name: string, namespace: string | undefined, serviceName: string, port?: Obj): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(name, namespace),
    spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: serviceName, ...(port ? { port } : {}) } } }] } }] },
  };
}

const namespaceObject = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

const streamOf = (...objects: Obj[]): string => objects.map((object) => stringify(object)).join('---\n');

/** Runs the function; `policies` are the NetworkPolicies it generated, as `namespace/name` → object. */
function run(options: Obj, ...objects: Obj[]) {
  const input = streamOf(...objects);
  const outcome = transform(input, options);
  expect(outcome.output.startsWith(input), 'input documents are untouched').toBe(true);
  const generated = objectsOf(outcome.output.slice(input.length));
  const policies = new Map<string, Obj>();
  for (const policy of generated) {
    const metadata = policy.metadata as Obj;
    policies.set(`${(metadata.namespace as string | undefined) ?? ''}/${String(metadata.name)}`, policy);
  }
  const get = (key: string): Obj => {
    const policy = policies.get(key);
    if (!policy) throw new Error(`no generated policy ${key}; have ${[...policies.keys()].join(', ')}`);
    return policy;
  };
  return { ...outcome, generated, names: [...policies.keys()], get };
}

const spec = (policy: Obj): Obj => policy.spec as Obj;
const labels = (policy: Obj): Obj => (policy.metadata as Obj).labels as Obj;

// A small shop: frontend behind an Ingress, a backend, a database.
const FRONTEND = { 'app.kubernetes.io/name': 'shop', tier: 'frontend' };
const BACKEND = { 'app.kubernetes.io/name': 'shop', tier: 'backend' };
const DATABASE = { 'app.kubernetes.io/name': 'shop', tier: 'database' };
function shop(namespace: string | undefined): Obj[] {
  return [
    deployment('frontend', namespace, FRONTEND, { ports: [{ name: 'http', containerPort: 8080 }] }),
    service('frontend', namespace, FRONTEND, [{ name: 'http', port: 80, targetPort: 'http' }]),
    ingress('shop', namespace, 'frontend', { name: 'http' }),
    deployment('backend', namespace, BACKEND, { ports: [{ name: 'http', containerPort: 8080 }] }),
    service('backend', namespace, BACKEND, [{ name: 'http', port: 8080 }]),
    deployment('database', namespace, DATABASE, { kind: 'StatefulSet', ports: [{ name: 'postgres', containerPort: 5432 }] }),
    service('database', namespace, DATABASE, [{ name: 'postgres', port: 5432, targetPort: 'postgres' }]),
  ];
}

describe('config', () => {
  it('defaults: nothing denied, no DNS, ingress-nginx as the ingress controller, no flows', () => {
    const parsed = config(KIND);
    expect(parsed.defaultDeny).toEqual([]);
    expect(parsed.allowDNS).toBe(false);
    expect(parsed.allowSameNamespace).toBe(false);
    expect(parsed.flows).toEqual([]);
    expect(parsed.dns).toEqual({ namespaceSelector: { 'kubernetes.io/metadata.name': 'kube-system' }, podSelector: { 'k8s-app': 'kube-dns' } });
    expect(parsed.ingressControllers).toEqual([
      { namespaceSelector: { 'kubernetes.io/metadata.name': 'ingress-nginx' }, podSelector: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
    ]);
  });

  it('defaultDeny accepts Ingress and Egress in any order and keeps Ingress first', () => {
    expect(config({ ...KIND, defaultDeny: ['Egress', 'Ingress', 'Egress'] }).defaultDeny).toEqual(['Ingress', 'Egress']);
    expect(() => config({ ...KIND, defaultDeny: ['Ingres'] })).toThrow(/"Ingres" is not a direction.*did you mean "Ingress"/);
    expect(() => config({ ...KIND, defaultDeny: ['Ingres'] })).toThrow(KrmConfigError);
  });

  it('refuses allow rules that would isolate pods without the deny they complement', () => {
    expect(() => config({ ...KIND, allowDNS: true })).toThrow(/allowDNS only makes sense with defaultDeny including Egress/);
    expect(() => config({ ...KIND, defaultDeny: ['Ingress'], allowDNS: true })).toThrow(KrmConfigError);
    expect(() => config({ ...KIND, allowSameNamespace: true })).toThrow(/allowSameNamespace takes effect only with defaultDeny/);
    expect(() => config({ ...KIND, flows: [{ from: {}, to: {} }] })).toThrow(/flows take effect only with defaultDeny/);
  });

  it('reads flow ports as numbers, "port/PROTOCOL", names and {port, protocol}, without duplicates', () => {
    const parsed = config({ ...KIND, defaultDeny: ['Ingress'], flows: [{ from: {}, to: {}, ports: [8080, '53/udp', 'metrics', { port: '9000', protocol: 'sctp' }, '8080/TCP'] }] });
    expect(parsed.flows[0]?.ports).toEqual([
      { protocol: 'TCP', port: 8080 },
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 'metrics' },
      { protocol: 'SCTP', port: 9000 },
    ]);
  });

  it('derives flow names from the ends and refuses two flows of one name', () => {
    const parsed = config({
      ...KIND,
      defaultDeny: ['Ingress'],
      flows: [
        { from: { podSelector: { tier: 'frontend' } }, to: { podSelector: { tier: 'backend' } } },
        { from: { namespace: 'monitoring' }, to: {} },
      ],
    });
    expect(parsed.flows.map((flow) => flow.name)).toEqual(['frontend-to-backend', 'monitoring-to-all']);
    expect(() =>
      config({ ...KIND, defaultDeny: ['Ingress'], flows: [{ from: { podSelector: { a: 'x' } }, to: {}, ports: [1] }, { from: { podSelector: { b: 'x' } }, to: {}, ports: [2] }] }),
    ).toThrow(/flow name "x-to-all" is also used by flows\[0\]/);
  });

  it.each<[Obj, string, RegExp]>([
    [{ flows: 'frontend' }, 'flows', /expected a list/],
    [{ flows: [{ from: {} }] }, 'flows[0]', /a flow needs both from and to/],
    [{ flows: [{ from: {}, to: {}, prots: [1] }] }, 'flows[0].prots', /unknown field "prots" — did you mean "ports"\?/],
    [{ flows: [{ from: { podSelector: 'tier=web' }, to: {} }] }, 'flows[0].from.podSelector', /expected a map of label keys to values/],
    [{ flows: [{ from: { podSelector: { tier: ['web'] } }, to: {} }] }, 'flows[0].from.podSelector.tier', /expected a label value/],
    [{ flows: [{ from: { namespace: 3 }, to: {} }] }, 'flows[0].from.namespace', /expected a namespace name/],
    [{ flows: [{ from: {}, to: {}, ports: [70000] }] }, 'flows[0].ports[0]', /expected a port between 1 and 65535/],
    [{ flows: [{ from: {}, to: {}, ports: ['80/ICMP'] }] }, 'flows[0].ports[0]', /expected a protocol/],
    [{ flows: [{ from: {}, to: {}, ports: ['not a port'] }] }, 'flows[0].ports[0]', /expected a port number/],
    [{ flows: [{ name: 'Front End', from: {}, to: {} }] }, 'flows[0].name', /expected a name of lowercase letters/],
    [{ ingressControllers: { podSelector: { app: 'traefik' } } }, 'ingressControllers', /expected a list/],
    [{ ingressControllers: [{}] }, 'ingressControllers[0]', /set namespaceSelector, podSelector or both/],
    [{ dns: { namespace: 'kube-system' } }, 'dns.namespace', /unknown field "namespace"/],
  ])('rejects %j, naming the field %s', (options, field, problem) => {
    const attempt = (): unknown => config({ ...KIND, defaultDeny: ['Ingress'], ...options });
    expect(attempt).toThrow(KrmConfigError);
    expect(attempt).toThrow(`${field}: network-policy config: `);
    expect(attempt).toThrow(problem);
  });

  it('takes the ConfigMap form: strings for lists and booleans, YAML strings for structured options', () => {
    const parsed = config({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { defaultDeny: 'Ingress,Egress', allowDNS: 'true', ingressControllers: '[]', flows: '[{from: {podSelector: {app: web}}, to: {podSelector: {app: api}}, ports: ["8080"]}]' },
    });
    expect(parsed.defaultDeny).toEqual(['Ingress', 'Egress']);
    expect(parsed.allowDNS).toBe(true);
    expect(parsed.ingressControllers).toEqual([]);
    expect(parsed.flows[0]).toEqual({ name: 'web-to-api', from: { podSelector: { app: 'web' } }, to: { podSelector: { app: 'api' } }, ports: [{ protocol: 'TCP', port: 8080 }] });
  });
});

const PROD_LIKE = { ...KIND, defaultDeny: ['Ingress', 'Egress'], allowDNS: true };
const DENY_INGRESS = { ...KIND, defaultDeny: ['Ingress'] };
const rulesOf = (policy: Obj, direction: 'ingress' | 'egress'): Obj[] => (spec(policy)[direction] as Obj[] | undefined) ?? [];
const whyOf = (policy: Obj): string => String(((policy.metadata as Obj).annotations as Obj | undefined)?.['krmkit.dev/why'] ?? '');
const withContainer = (workload: Obj, container: Obj, podSpec: Obj = {}): Obj => {
  const template = (workload.spec as Obj).template as Obj;
  const podSpecOf = template.spec as Obj;
  const first = (podSpecOf.containers as Obj[])[0] as Obj;
  return { ...workload, spec: { ...(workload.spec as Obj), template: { ...template, spec: { ...podSpecOf, ...podSpec, containers: [{ ...first, ...container }] } } } };
};
const DNS_RULE = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

describe('one policy per workload of the stream', () => {
  it('names it <workload>-<kind>, selects only its pods, and carries every rule in the directions denied', () => {
    const { names, get } = run(PROD_LIKE, ...shop('shop'));
    expect(names).toEqual(['shop/frontend-deployment', 'shop/backend-deployment', 'shop/database-statefulset']);
    const backend = get('shop/backend-deployment');
    expect(spec(backend).podSelector).toEqual({ matchLabels: BACKEND });
    expect(spec(backend).policyTypes).toEqual(['Ingress', 'Egress']);
    expect(labels(backend)).toEqual({ 'app.kubernetes.io/managed-by': 'krmkit', 'krmkit.dev/rule': 'workload' });
    expect(rulesOf(backend, 'egress')).toEqual([DNS_RULE]);
    // Nothing in the stream names the backend: it gets no ingress at all (and a warning, below).
    expect(rulesOf(backend, 'ingress')).toEqual([]);
  });

  it('inherits the namespace of its workload, and has none when the workload has none (Helm, kubectl -n)', () => {
    const mixed = [deployment('web', undefined, { app: 'web' }), ingress('web', 'shop', 'web'), namespaceObject('shop')];
    const { generated, names } = run(PROD_LIKE, ...mixed, ...shop('data'));
    expect(names).toEqual(['/web-deployment', 'data/frontend-deployment', 'data/backend-deployment', 'data/database-statefulset']);
    expect(Object.keys(generated[0]?.metadata as Obj)).toEqual(['name', 'labels', 'annotations']);
  });

  it('never selects pods of other releases: no podSelector {} unless the stream owns the Namespace and namespaceDefaultDeny asks, never in a system namespace', () => {
    const plain = run(PROD_LIKE, namespaceObject('shop'), ...shop('shop'));
    expect(plain.generated.map((policy) => spec(policy).podSelector)).not.toContainEqual({});
    const wide = run({ ...PROD_LIKE, namespaceDefaultDeny: true }, namespaceObject('shop'), namespaceObject('kube-system'), ...shop('shop'), deployment('agent', 'kube-system', { app: 'agent' }));
    expect(wide.names).toEqual(['shop/shop-default-deny', 'shop/frontend-deployment', 'shop/backend-deployment', 'shop/database-statefulset', 'kube-system/agent-deployment']);
    expect(spec(wide.get('shop/shop-default-deny'))).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [DNS_RULE] });
    const custom = run({ ...PROD_LIKE, namespaceDefaultDeny: true, systemNamespaces: ['shop'] }, namespaceObject('shop'), ...shop('shop'));
    expect(custom.names).not.toContain('shop/shop-default-deny');
  });

  it('allows DNS to the configured selectors', () => {
    const { get } = run({ ...PROD_LIKE, dns: { namespaceSelector: { name: 'dns' }, podSelector: { app: 'coredns' } } }, ...shop('shop'));
    expect(rulesOf(get('shop/frontend-deployment'), 'egress')[0]).toEqual({ to: [{ namespaceSelector: { matchLabels: { name: 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } }], ports: DNS_RULE.ports });
  });

  it('writes keys in the conventional order and says why each rule is there', () => {
    const { generated } = run(PROD_LIKE, ...shop('shop'));
    expect(Object.keys(generated[0] as Obj)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(whyOf(generated[0] as Obj)).toBe('ingress[0]: ingress-backend (ingressControllers): an Ingress of the stream routes to its Service\negress[0]: dns (allowDNS): every pod resolves names');
  });

  it('selects by the workload’s own selector, so pods of the previous revision stay selected during a rollout', () => {
    const versioned = deployment('api', 'shop', { app: 'api', version: 'v2' }, { selector: { matchLabels: { app: 'api' } } });
    expect(spec(run(DENY_INGRESS, versioned).get('shop/api-deployment')).podSelector).toEqual({ matchLabels: { app: 'api' } });
  });

  it('gives two workloads of one name their own policies, and two releases in one namespace distinct names', () => {
    const { names } = run(DENY_INGRESS, deployment('web', 'shop', { app: 'web' }), deployment('web', 'shop', { app: 'web' }, { kind: 'StatefulSet' }));
    expect(names).toEqual(['shop/web-deployment', 'shop/web-statefulset']);
    const release = (name: string): Obj[] => [deployment(`${name}-web`, undefined, { app: 'web', release: name })];
    const first = run(PROD_LIKE, ...release('app1')).names;
    const second = run(PROD_LIKE, ...release('app2')).names;
    expect(first.filter((name) => second.includes(name))).toEqual([]);
  });
});

describe('ingress on the ports Services expose', () => {
  it('resolves named targetPorts through container ports, keeps numeric ones, and uses port when targetPort is absent (allowSameNamespace)', () => {
    const api = deployment('api', 'shop', { app: 'api' }, { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] });
    const svc = service('api', 'shop', { app: 'api' }, [{ port: 80, targetPort: 'http' }, { port: 53, targetPort: 'dns', protocol: 'UDP' }, { port: 9000, targetPort: 9090 }, { port: 7000 }, { port: 81, targetPort: 'grpc' }]);
    const policy = run({ ...DENY_INGRESS, allowSameNamespace: true }, api, svc).get('shop/api-deployment');
    expect(rulesOf(policy, 'ingress')).toEqual([
      {
        from: [{ podSelector: {} }],
        ports: [
          { protocol: 'TCP', port: 8080 },
          { protocol: 'UDP', port: 5353 },
          { protocol: 'TCP', port: 9090 },
          { protocol: 'TCP', port: 7000 },
          { protocol: 'TCP', port: 'grpc' },
        ],
      },
    ]);
  });

  it('lets the ingress controller reach only workloads an Ingress routes to, on the ports it routes to; [] turns it off', () => {
    const { get } = run(DENY_INGRESS, ...shop('shop'));
    expect(rulesOf(get('shop/frontend-deployment'), 'ingress')).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    expect(rulesOf(run({ ...DENY_INGRESS, ingressControllers: [] }, ...shop('shop')).get('shop/frontend-deployment'), 'ingress')).toEqual([]);
  });

  it('gives LoadBalancer, NodePort and externalIPs Services ingress from anywhere on their target ports, or from externalIngressCIDRs', () => {
    const web = deployment('web', 'edge', { app: 'web' }, { ports: [{ name: 'http', containerPort: 8080 }] });
    for (const extra of [{ type: 'LoadBalancer' }, { type: 'NodePort' }, { externalIPs: ['198.51.100.1'] }]) {
      const policy = run(DENY_INGRESS, web, service('web', 'edge', { app: 'web' }, [{ port: 80, targetPort: 'http' }], extra)).get('edge/web-deployment');
      expect(rulesOf(policy, 'ingress')).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
    }
    const limited = run({ ...DENY_INGRESS, externalIngressCIDRs: ['192.0.2.0/24'] }, web, service('web', 'edge', { app: 'web' }, [{ port: 80, targetPort: 'http' }], { type: 'LoadBalancer' })).get('edge/web-deployment');
    expect(rulesOf(limited, 'ingress')).toEqual([{ from: [{ ipBlock: { cidr: '192.0.2.0/24' } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(rulesOf(run({ ...DENY_INGRESS, allowExternalIngress: false }, web, service('web', 'edge', { app: 'web' }, [{ port: 80 }], { type: 'LoadBalancer' })).get('edge/web-deployment'), 'ingress')).toEqual([]);
  });
});

describe('control plane → webhooks, APIServices and conversion webhooks', () => {
  const hook = deployment('hook', 'sys', { app: 'hook' }, { ports: [{ name: 'https', containerPort: 8443 }] });
  const hookService = service('hook', 'sys', { app: 'hook' }, [{ port: 443, targetPort: 'https' }]);
  const webhooks = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'hook' },
    webhooks: [{ name: 'hook.example.com', clientConfig: { service: { name: 'hook', namespace: 'sys', path: '/validate' } } }],
  };
  const apiService = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.example.com' }, spec: { service: { name: 'hook', namespace: 'sys' } } };
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'things.example.com' },
    spec: { group: 'example.com', conversion: { strategy: 'Webhook', webhook: { clientConfig: { service: { name: 'hook', namespace: 'sys', port: 443 } } } } },
  };

  it.each([
    ['ValidatingWebhookConfiguration', webhooks],
    ['APIService', apiService],
    ['CustomResourceDefinition', crd],
  ])('%s: ingress from any source on the target port (the API server is not a pod)', (_kind, caller) => {
    const { get } = run(DENY_INGRESS, hook, hookService, caller);
    expect(rulesOf(get('sys/hook-deployment'), 'ingress')).toEqual([{ ports: [{ protocol: 'TCP', port: 8443 }] }]);
    expect(whyOf(get('sys/hook-deployment'))).toMatch(/control-plane \(allowControlPlane\): .* calls Service hook:443/);
  });

  it('takes controlPlaneCIDRs, and allowControlPlane: false turns it off', () => {
    expect(rulesOf(run({ ...DENY_INGRESS, controlPlaneCIDRs: ['10.0.0.0/24'] }, hook, hookService, webhooks).get('sys/hook-deployment'), 'ingress')).toEqual([{ from: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 8443 }] }]);
    expect(rulesOf(run({ ...DENY_INGRESS, allowControlPlane: false }, hook, hookService, webhooks).get('sys/hook-deployment'), 'ingress')).toEqual([]);
  });
});

describe('workload → API server and kubelets, from RBAC in the stream', () => {
  const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('op', 'ops') };
  const binding = (roleKind: string, role: string): Obj => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `op-${role}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role },
    subjects: [{ kind: 'ServiceAccount', name: 'op', namespace: 'ops' }],
  });
  const role = (name: string, resources: string[]): Obj => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: [{ apiGroups: [''], resources, verbs: ['get'] }] });
  const operator = withContainer(deployment('op', 'ops', { app: 'op' }), {}, { serviceAccountName: 'op' });
  const API = { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] };

  it('gives a bound ServiceAccount egress to TCP 443 and 6443 anywhere; nodes/metrics adds kubelets on 10250', () => {
    const { get } = run(PROD_LIKE, account, role('reader', ['pods']), binding('ClusterRole', 'reader'), operator);
    expect(rulesOf(get('ops/op-deployment'), 'egress')).toEqual([DNS_RULE, API]);
    const metrics = run(PROD_LIKE, account, role('scraper', ['nodes/metrics']), binding('ClusterRole', 'scraper'), operator).get('ops/op-deployment');
    expect(rulesOf(metrics, 'egress')).toEqual([DNS_RULE, API, { ports: [{ protocol: 'TCP', port: 10250 }] }]);
  });

  it('gives nothing without a binding, or when the token is not mounted; apiServerCIDRs and apiServerPorts narrow it', () => {
    expect(rulesOf(run(PROD_LIKE, account, operator).get('ops/op-deployment'), 'egress')).toEqual([DNS_RULE]);
    const unmounted = withContainer(operator, {}, { serviceAccountName: 'op', automountServiceAccountToken: false });
    expect(rulesOf(run(PROD_LIKE, account, role('reader', ['pods']), binding('ClusterRole', 'reader'), unmounted).get('ops/op-deployment'), 'egress')).toEqual([DNS_RULE]);
    const narrowed = run({ ...PROD_LIKE, apiServerCIDRs: ['172.18.0.2/32'], apiServerPorts: [6443] }, account, role('reader', ['pods']), binding('ClusterRole', 'reader'), operator);
    expect(rulesOf(narrowed.get('ops/op-deployment'), 'egress')[1]).toEqual({ to: [{ ipBlock: { cidr: '172.18.0.2/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] });
  });
});

describe('between workloads, from references in the stream', () => {
  const api = deployment('api', 'shop', { app: 'api' }, { ports: [{ name: 'http', containerPort: 8080 }] });
  const apiService = service('api', 'shop', { app: 'api' }, [{ name: 'http', port: 80, targetPort: 'http' }]);

  it.each([
    ['env value with scheme and port', { env: [{ name: 'API_URL', value: 'http://api:80/v1' }] }, 'shop'],
    ['args, svc.ns', { args: ['--upstream=api.shop'] }, 'shop'],
    ['command, svc.ns.svc.cluster.local', { command: ['client', 'https://api.shop.svc.cluster.local'] }, 'shop'],
  ])('%s: egress on the caller and ingress on the callee, on the target port', (_name, container, namespace) => {
    const web = withContainer(deployment('web', namespace, { app: 'web' }), container);
    const { get } = run(PROD_LIKE, api, apiService, web);
    expect(rulesOf(get('shop/web-deployment'), 'egress')).toContainEqual({ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    expect(rulesOf(get('shop/api-deployment'), 'ingress')).toContainEqual({ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
  });

  it('reads the data of ConfigMaps the pods use, and crosses namespaces by name', () => {
    const settings = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('web', 'front'), data: { 'nginx.conf': 'location / { proxy_pass http://api.shop.svc:80; }' } };
    const web = withContainer(deployment('web', 'front', { app: 'web' }), {}, { volumes: [{ name: 'conf', configMap: { name: 'web' } }] });
    const { get } = run(PROD_LIKE, api, apiService, settings, web);
    expect(rulesOf(get('front/web-deployment'), 'egress')).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'api' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
    expect(rulesOf(get('shop/api-deployment'), 'ingress')).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'front' } }, podSelector: { matchLabels: { app: 'web' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
  });

  it('warns, naming the workload and the option, for a Service not in the stream and a host outside the cluster', () => {
    const web = withContainer(deployment('web', 'shop', { app: 'web' }), { env: [{ name: 'A', value: 'http://missing:9000' }, { name: 'B', value: 'https://api.github.com/repos' }, { name: 'C', value: 'info' }] });
    const { results } = run(PROD_LIKE, web);
    expect(results.map((result) => [result.resourceRef?.name, result.message])).toEqual([
      ['web', 'refers to http://missing:9000 (container app env A) but the stream has no Service missing that selects pods: add the Service to the stream, or declare flows: [{from: {podSelector: {"app":"web"}}, to: {podSelector: {…}}, ports: [9000]}]'],
      ['web', 'calls https://api.github.com (container app env B), outside the cluster, which default-deny Egress blocks: allow it with flows: [{from: {podSelector: {"app":"web"}}, to: {cidr: 0.0.0.0/0}, ports: [443]}]'],
    ]);
    const allowed = run({ ...PROD_LIKE, flows: [{ from: { podSelector: { app: 'web' } }, to: { cidr: '0.0.0.0/0' }, ports: [443] }] }, web);
    expect(allowed.results.map((result) => result.message)).toHaveLength(1);
    expect(rulesOf(allowed.get('shop/web-deployment'), 'egress')).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });

  it('allowReferences: false turns it off', () => {
    const web = withContainer(deployment('web', 'shop', { app: 'web' }), { env: [{ name: 'API_URL', value: 'http://api:80' }] });
    expect(rulesOf(run({ ...PROD_LIKE, allowReferences: false }, api, apiService, web).get('shop/web-deployment'), 'egress')).toEqual([DNS_RULE]);
  });
});

describe('ingress controllers of the stream, existing policies, declared flows', () => {
  it('gives an ingress controller its IngressClass names egress to pods of every namespace', () => {
    const ingressClass = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } };
    const controller = withContainer(deployment('ctrl', 'edge', { app: 'ctrl' }), { args: ['/nginx-ingress-controller', '--controller-class=k8s.io/ingress-nginx'] });
    expect(rulesOf(run(PROD_LIKE, ingressClass, controller).get('edge/ctrl-deployment'), 'egress')).toEqual([DNS_RULE, { to: [{ namespaceSelector: {} }] }]);
    expect(rulesOf(run({ ...PROD_LIKE, allowIngressControllerEgress: false }, ingressClass, controller).get('edge/ctrl-deployment'), 'egress')).toEqual([DNS_RULE]);
  });

  it('gives the senders an existing policy admits the matching egress', () => {
    const theirs = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('backend', 'shop'),
      spec: { podSelector: { matchLabels: BACKEND }, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ port: 8080 }] }] },
    };
    const { get } = run(PROD_LIKE, theirs, ...shop('shop'));
    expect(rulesOf(get('shop/frontend-deployment'), 'egress')).toContainEqual({ to: [{ podSelector: { matchLabels: BACKEND } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    expect(rulesOf(run({ ...PROD_LIKE, respectExistingPolicies: false }, theirs, ...shop('shop')).get('shop/frontend-deployment'), 'egress')).toEqual([DNS_RULE]);
  });

  it('puts declared flows on the workloads they select: ingress on the receiver, egress on the sender', () => {
    const { get, names } = run(PROD, ...shop('shop'));
    expect(names).toEqual(['shop/frontend-deployment', 'shop/backend-deployment', 'shop/database-statefulset']);
    expect(rulesOf(get('shop/backend-deployment'), 'ingress')).toEqual([{ from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(rulesOf(get('shop/frontend-deployment'), 'egress')).toContainEqual({ to: [{ podSelector: { matchLabels: { tier: 'backend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    const elsewhere = run({ ...PROD, flows: [{ from: { namespace: 'monitoring' }, to: { namespace: 'data', podSelector: { tier: 'backend' } } }] }, ...shop('shop'), ...shop('data'));
    expect(rulesOf(elsewhere.get('data/backend-deployment'), 'ingress')).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }]);
    expect(rulesOf(elsewhere.get('shop/backend-deployment'), 'ingress')).toEqual([]);
  });
});

describe('names, labels and duplicates', () => {
  it('keeps long names within Kubernetes limits, stable and distinct', () => {
    const long = `w${'x'.repeat(250)}`;
    const longer = `${long}y`;
    const { names, generated } = run(DENY_INGRESS, deployment(long, 'shop', { app: 'a' }), deployment(longer, 'shop', { app: 'b' }));
    expect(new Set(names).size).toBe(2);
    for (const policy of generated) {
      expect(String((policy.metadata as Obj).name).length).toBeLessThanOrEqual(253);
      expect(String((policy.metadata as Obj).name)).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?-[0-9a-f]{8}$/);
    }
    expect(run(DENY_INGRESS, deployment(long, 'shop', { app: 'a' })).names).toEqual([names[0]]);
  });

  it('never duplicates a policy of the same name and namespace, and says so when it is not one of ours', () => {
    const theirs = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('backend-deployment', 'shop'), spec: { podSelector: {}, policyTypes: ['Ingress'] } };
    const { names, results } = run(DENY_INGRESS, theirs, ...shop('shop'));
    expect(names).toEqual(['shop/frontend-deployment', 'shop/database-statefulset']);
    expect(results.filter((result) => result.severity === 'info').map((result) => result.message)).toEqual(['a NetworkPolicy named backend-deployment is already in the stream; the workload policy was not generated']);
  });

  it('adds nothing on a second run: the generated policies are in the stream then', () => {
    const first = run(PROD, ...shop('shop'), ...shop(undefined));
    const second = transform(first.output, PROD);
    expect(second.output).toBe(first.output);
    expect(second.results).toEqual(first.results);
  });
});

describe('warnings', () => {
  it('warns for each workload a Service targets that nothing lets ingress reach, with the options that would', () => {
    const { results } = run(DENY_INGRESS, ...shop('shop'));
    expect(results.map((result) => [result.severity, result.resourceRef?.kind, result.resourceRef?.name])).toEqual([
      ['warning', 'Deployment', 'backend'],
      ['warning', 'StatefulSet', 'database'],
    ]);
    expect(results[0]?.message).toBe(
      'receives no ingress under default-deny Ingress, although Service backend targets it, and nothing in the stream names it: declare flows: [{from: {podSelector: {…}}, to: {podSelector: {"app.kubernetes.io/name":"shop","tier":"backend"}}, ports: […]}], route an Ingress to it, or enable allowSameNamespace',
    );
  });

  it('counts the stream’s own policies, with matchExpressions, and ignores egress-only ones', () => {
    const allowBackend = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('backend-from-anywhere', 'shop'),
      spec: { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }] }, ingress: [{}] },
    };
    const egressOnly = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('db-egress', 'shop'), spec: { podSelector: { matchLabels: { tier: 'database' } }, policyTypes: ['Egress'], egress: [{}], ingress: [{}] } };
    const { results } = run(DENY_INGRESS, allowBackend, egressOnly, ...shop('shop'));
    expect(results.map((result) => result.resourceRef?.name)).toEqual(['database']);
  });

  it('stays quiet without default-deny Ingress, for workloads no Service targets, and for workloads out of scope', () => {
    expect(run({ ...KIND, defaultDeny: ['Egress'] }, ...shop('shop')).results).toEqual([]);
    expect(run(DENY_INGRESS, deployment('worker', 'shop', { app: 'worker' })).results).toEqual([]);
    const skipped = deployment('worker', 'shop', { app: 'worker' }, { annotations: { 'krmkit.dev/skip': 'network-policy' } });
    expect(run(DENY_INGRESS, skipped, service('worker', 'shop', { app: 'worker' }, [{ port: 80 }])).results).toEqual([]);
    expect(run({ ...DENY_INGRESS, exclude: [{ kind: 'StatefulSet' }, { name: 'backend' }] }, ...shop('shop')).results).toEqual([]);
  });
});

describe('malformed input throws a located KrmInputError', () => {
  const DENY = { ...KIND, defaultDeny: ['Ingress'], allowSameNamespace: true };
  const labelsOf = { app: 'api' };
  const api = deployment('api', 'shop', labelsOf, { ports: [{ name: 'http', containerPort: 8080 }] });
  const apiService = service('api', 'shop', labelsOf, [{ port: 80, targetPort: 'http' }]);
  it.each<[string, Obj[], RegExp]>([
    ['Service spec as a list', [api, { ...apiService, spec: [] }], /Service shop\/api.*spec: expected a mapping/],
    ['Service selector as a string', [api, service('api', 'shop', undefined, [{ port: 80 }], { selector: 'app=api' })], /spec\.selector: expected a mapping/],
    ['Service ports as a mapping', [api, service('api', 'shop', labelsOf, [], { ports: { http: 80 } })], /spec\.ports: expected a list/],
    ['Service port as a string', [api, service('api', 'shop', labelsOf, [{ port: '80' }])], /spec\.ports\[0\]\.port: expected a port number/],
    ['targetPort as a boolean', [api, service('api', 'shop', labelsOf, [{ port: 80, targetPort: true }])], /spec\.ports\[0\]\.targetPort: expected a port number or name/],
    ['protocol unknown', [api, service('api', 'shop', labelsOf, [{ port: 80, protocol: 'HTTP' }])], /spec\.ports\[0\]\.protocol: expected TCP, UDP or SCTP/],
    ['template labels as a list', [deployment('api', 'shop', ['app'] as unknown as Obj), apiService], /spec\.template\.metadata\.labels: expected a mapping/],
    ['container ports as a mapping', [deployment('api', 'shop', labelsOf, { ports: { http: 8080 } as unknown as Obj[] }), apiService], /containers\[0\]\.ports: expected a list/],
    ['workload selector as a string', [deployment('api', 'shop', labelsOf, { selector: 'app=api' }), apiService], /spec\.selector: expected a mapping/],
    ['Ingress rules as a mapping', [api, apiService, { ...ingress('i', 'shop', 'api'), spec: { rules: { host: 'x' } } }], /Ingress shop\/i.*spec\.rules: expected a list/],
    ['Ingress backend service name as a number', [api, apiService, ingress('i', 'shop', 7 as unknown as string)], /backend\.service\.name: expected a Service name/],
    [
      'NetworkPolicy operator unknown',
      [api, apiService, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('p', 'shop'), spec: { podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals' }] } } }],
      /NetworkPolicy shop\/p.*spec\.podSelector\.matchExpressions\[0\]\.operator: expected In, NotIn, Exists or DoesNotExist/,
    ],
    [
      'NetworkPolicy policyTypes as a string',
      [api, apiService, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('p', 'shop'), spec: { podSelector: {}, policyTypes: 'Ingress' } }],
      /spec\.policyTypes: expected a list/,
    ],
  ])('%s', (_name, objects, message) => {
    const attempt = (): unknown => transform(streamOf(...objects), DENY);
    expect(attempt).toThrow(KrmInputError);
    expect(attempt).toThrow(message);
  });
});

// Generated streams: workloads in a few namespaces (or none), Services with every kind of
// targetPort, Ingresses, existing policies, cluster-scoped objects.
const namespaceArb = fc.constantFrom<string | undefined>('shop', 'data', undefined);
const tierArb = fc.constantFrom('frontend', 'backend', 'database', 'worker');
const targetPortArb = fc.constantFrom<unknown>(undefined, 8080, 'http', 'missing');
const groupArb = fc.record({ namespace: namespaceArb, tier: tierArb, targetPort: targetPortArb, withService: fc.boolean(), withIngress: fc.boolean(), kind: fc.constantFrom('Deployment', 'StatefulSet') }).map(
  ({ namespace, tier, targetPort, withService, withIngress, kind }): Obj[] => {
    const labelsOf = { tier };
    const objects = [deployment(tier, namespace, labelsOf, { kind, ports: [{ name: 'http', containerPort: 8080 }] })];
    if (withService) objects.push(service(tier, namespace, labelsOf, [{ name: 'http', port: 80, ...(targetPort === undefined ? {} : { targetPort }) }]));
    if (withIngress) objects.push(ingress(tier, namespace, tier));
    return objects;
  },
);
const otherArb = fc.constantFrom<Obj>(
  namespaceObject('data'),
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('default-deny', 'shop'), spec: { podSelector: {}, policyTypes: ['Ingress'] } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings', 'shop'), data: { a: 'b' } },
);
const streamArb = fc.array(fc.oneof(groupArb, otherArb.map((object) => [object])), { minLength: 1, maxLength: 6 }).map((groups) => streamOf(...groups.flat()));
const configArb = fc.constantFrom<Obj>(
  PROD,
  { ...KIND, defaultDeny: ['Ingress'] },
  { ...KIND, defaultDeny: ['Ingress', 'Egress'], allowDNS: true, allowSameNamespace: true },
  { ...KIND, defaultDeny: ['Egress'], allowSameNamespace: true, flows: [{ from: { namespace: 'data' }, to: { podSelector: { tier: 'worker' } } }] },
);

describe('properties', () => {
  it('is idempotent: a second run gives the same bytes', () => {
    fc.assert(fc.property(streamArb, configArb, expectIdempotent), { numRuns: 150 });
  });

  it('loses nothing: the input comes out byte for byte, followed only by generated NetworkPolicies of unique names', () => {
    fc.assert(
      fc.property(streamArb, configArb, (text, options) => {
        const { output } = transform(text, options);
        expect(output.startsWith(text)).toBe(true);
        const added = objectsOf(output.slice(text.length));
        const keys = added.map((policy) => `${String((policy.metadata as Obj).namespace)}/${String((policy.metadata as Obj).name)}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const policy of added) {
          expect(policy.kind).toBe('NetworkPolicy');
          expect(labels(policy)['app.kubernetes.io/managed-by']).toBe('krmkit');
        }
        const existing = objectsOf(text).filter((object) => object.kind === 'NetworkPolicy');
        for (const policy of existing) expect(keys).not.toContain(`${String((policy.metadata as Obj).namespace)}/${String((policy.metadata as Obj).name)}`);
      }),
      { numRuns: 150 },
    );
  });
});

describe.runIf(needsShared('corpora'))('real corpora (../shared/corpora)', () => {
  // What each real manifest gets under default-deny both ways with DNS, and what it warns about.
  const expected: Record<string, { policies: string[]; warned: string[] }> = {
    'cert-manager-v1.14.4.yaml': {
      policies: ['cert-manager/cert-manager-cainjector-deployment', 'cert-manager/cert-manager-deployment', 'cert-manager/cert-manager-webhook-deployment'],
      warned: ['cert-manager', 'cert-manager'],
    },
    'ingress-nginx-cloud.yaml': {
      policies: ['ingress-nginx/ingress-nginx-controller-deployment', 'ingress-nginx/ingress-nginx-admission-create-job', 'ingress-nginx/ingress-nginx-admission-patch-job'],
      warned: [],
    },
    'metrics-server-components.yaml': { policies: ['kube-system/metrics-server-deployment'], warned: [] },
    'reloader.yaml': { policies: ['default/reloader-reloader-deployment'], warned: [] },
  };

  describe.each(corpora())('$name', ({ name, text }) => {
    const expectation = expected[name];
    it('generates one policy per workload, none namespace-wide; leaves the manifests untouched; idempotent', () => {
      expect(expectation, `add an expectation for ${name}`).toBeDefined();
      const { output, results } = transform(text, PROD_LIKE);
      expect(output.startsWith(text)).toBe(true);
      const added = objectsOf(output.slice(text.length));
      expect(added.map((policy) => `${String((policy.metadata as Obj).namespace)}/${String((policy.metadata as Obj).name)}`)).toEqual(expectation?.policies);
      expect(added.map((policy) => spec(policy).podSelector)).not.toContainEqual({});
      expect(results.map((result) => result.resourceRef?.name)).toEqual(expectation?.warned);
      expect(transform(output, PROD_LIKE).output).toBe(output);
    });
  });

  it('ingress-nginx: the controller gets its LoadBalancer ports from anywhere, its webhook from the control plane, the API server and its backends', () => {
    const text = corpora().find((entry) => entry.name === 'ingress-nginx-cloud.yaml')?.text ?? '';
    const controller = objectsOf(transform(text, PROD_LIKE).output.slice(text.length))[0] as Obj;
    const ingressPorts = rulesOf(controller, 'ingress').map((rule) => [rule.from, rule.ports]);
    expect(ingressPorts).toContainEqual([undefined, [{ protocol: 'TCP', port: 8443 }]]);
    expect(ingressPorts).toContainEqual([undefined, [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 443 }]]);
    expect(rulesOf(controller, 'egress')).toContainEqual({ to: [{ namespaceSelector: {} }] });
    expect(rulesOf(controller, 'egress')).toContainEqual({ ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] });
  });
});

describe('CLI (bundled binary; `npm run build` first)', () => {
  const input = streamOf(...shop('shop'));

  it('takes a ConfigMap config file, prints warnings on stderr and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'krmkit-np-'));
    const path = join(dir, 'config.yaml');
    writeFileSync(path, stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'np' }, data: { defaultDeny: 'Ingress' } }));
    const result = runCli(['network-policy', '--config', path], input);
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith(input)).toBe(true);
    expect(objectsOf(result.stdout.slice(input.length)).map((policy) => (policy.metadata as Obj).name)).toEqual(['frontend-deployment', 'backend-deployment', 'database-statefulset']);
    expect(result.stderr).toContain('[warning] apps/v1/Deployment/shop/backend: receives no ingress under default-deny Ingress');
    expect(result.stderr).toContain('[warning] apps/v1/StatefulSet/shop/database: receives no ingress under default-deny Ingress');
  });

  it('takes flags, and fails with exit 2 and nothing on stdout on a bad config', () => {
    const ok = runCli(['network-policy', '--defaultDeny', 'Ingress,Egress', '--allowDNS'], input);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('name: backend-deployment');
    expect(ok.stdout).toContain('k8s-app: kube-dns');
    const bad = runCli(['network-policy', '--allowDNS'], input);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('allowDNS only makes sense with defaultDeny including Egress');
  });
});

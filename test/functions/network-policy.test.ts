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
import { KrmConfigError, KrmInputError } from '../../krm/errors.js';
import { readOptions } from '../../krm/options.js';
import { runCli } from '../helpers/cli.js';
import { corpora } from '../helpers/corpora.js';
import { objectsOf } from '../helpers/objects.js';
import { transform } from '../helpers/transform.js';

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
  return parseNetworkPolicyConfig(readOptions('network-policy', 'NetworkPolicies', options, networkPolicyOptions));
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
const portsOf = (rule: unknown): unknown => (rule as Obj).ports;

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

describe('default deny and DNS: one per namespace of the stream', () => {
  it('denies the configured directions in every namespace, Namespace objects included', () => {
    const { names, get } = run({ ...KIND, defaultDeny: ['Egress'] }, namespaceObject('empty'), ...shop('shop'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings', 'other') });
    expect(names).toEqual(['empty/default-deny', 'shop/default-deny', 'other/default-deny']);
    expect(spec(get('shop/default-deny'))).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
  });

  it('puts policies without a namespace beside resources rendered without one (Helm, kubectl -n)', () => {
    const { generated } = run({ ...KIND, defaultDeny: ['Ingress', 'Egress'] }, ...shop(undefined));
    expect(generated.map((policy) => policy.metadata)).toEqual([
      { name: 'default-deny', labels: { 'app.kubernetes.io/managed-by': 'krmkit', 'krmkit.dev/rule': 'default-deny' } },
      { name: 'allow-ingress-controller-to-frontend', labels: { 'app.kubernetes.io/managed-by': 'krmkit', 'krmkit.dev/rule': 'ingress-controller' } },
    ]);
    expect(spec(generated[0] as Obj).policyTypes).toEqual(['Ingress', 'Egress']);
  });

  it('does not count cluster-scoped objects as resources without a namespace', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Widget', plural: 'widgets' } },
    };
    const { names } = run(
      { ...KIND, defaultDeny: ['Ingress'] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } },
      { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt' } },
      crd,
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings', 'shop') },
    );
    expect(names).toEqual(['shop/default-deny']);
  });

  it('allows DNS to kube-dns on UDP and TCP 53, to the configured selectors', () => {
    const { get } = run({ ...KIND, defaultDeny: ['Egress'], allowDNS: true, dns: { podSelector: { 'k8s-app': 'coredns' } } }, ...shop('shop'));
    expect(labels(get('shop/allow-dns'))).toEqual({ 'app.kubernetes.io/managed-by': 'krmkit', 'krmkit.dev/rule': 'allow-dns' });
    expect(spec(get('shop/allow-dns'))).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { 'k8s-app': 'coredns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
    });
  });

  it('writes keys in the conventional order and leaves path annotations to the engine', () => {
    const { generated } = run({ ...KIND, defaultDeny: ['Ingress'], allowSameNamespace: true }, ...shop('shop'));
    for (const policy of generated) {
      expect(Object.keys(policy)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
      expect(Object.keys(policy.metadata as Obj)).toEqual(['name', 'namespace', 'labels']);
      expect(Object.keys(spec(policy)).slice(0, 2)).toEqual(['podSelector', 'policyTypes']);
    }
  });
});

describe('ingress to workloads on the ports their Services expose', () => {
  it('resolves named targetPorts through container ports, keeps numeric ones, and uses port when targetPort is absent', () => {
    const labelsOf = { app: 'api' };
    const { get } = run(
      { ...KIND, defaultDeny: ['Ingress'], allowSameNamespace: true },
      deployment('api', 'shop', labelsOf, { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] }),
      service('api', 'shop', labelsOf, [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'admin', port: 81, targetPort: 9000 },
        { name: 'grpc', port: 50051 },
        { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' },
        { name: 'ghost', port: 82, targetPort: 'unknown' },
      ]),
    );
    const rule = (spec(get('shop/allow-same-namespace-to-api')).ingress as Obj[])[0];
    expect(rule).toEqual({
      from: [{ podSelector: {} }],
      ports: [
        { protocol: 'TCP', port: 8080 },
        { protocol: 'TCP', port: 9000 },
        { protocol: 'TCP', port: 50051 },
        { protocol: 'UDP', port: 5353 },
        // Not declared by any container: Kubernetes resolves the name on the pod.
        { protocol: 'TCP', port: 'unknown' },
      ],
    });
  });

  it('merges the ports of every Service that selects the workload, and ignores Services of other namespaces, ExternalName and selector-less ones', () => {
    const labelsOf = { app: 'api', track: 'stable' };
    const { get } = run(
      { ...KIND, defaultDeny: ['Ingress'], allowSameNamespace: true },
      deployment('api', 'shop', labelsOf),
      service('api', 'shop', { app: 'api' }, [{ port: 8080 }]),
      service('api-stable', 'shop', labelsOf, [{ port: 8080 }, { port: 8081 }]),
      service('api', 'elsewhere', { app: 'api' }, [{ port: 1111 }]),
      service('external', 'shop', { app: 'api' }, [{ port: 2222 }], { type: 'ExternalName', externalName: 'api.example.com' }),
      service('manual', 'shop', undefined, [{ port: 3333 }]),
      service('canary', 'shop', { app: 'api', track: 'canary' }, [{ port: 4444 }]),
    );
    expect(portsOf((spec(get('shop/allow-same-namespace-to-api')).ingress as Obj[])[0])).toEqual([
      { protocol: 'TCP', port: 8080 },
      { protocol: 'TCP', port: 8081 },
    ]);
  });

  it("selects the workload's pods by its own selector, so pods of the previous revision stay allowed during a rollout", () => {
    const { get } = run(
      { ...KIND, defaultDeny: ['Ingress'], allowSameNamespace: true },
      deployment('api', 'shop', { app: 'api', version: '1.2.3' }, { selector: { matchLabels: { app: 'api' } } }),
      service('api', 'shop', { app: 'api' }, [{ port: 8080 }]),
      {
        apiVersion: 'v1',
        kind: 'ReplicationController',
        metadata: meta('legacy', 'shop'),
        spec: { selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy', build: '7' } }, spec: { containers: [{ name: 'c', image: 'c' }] } } },
      },
      service('legacy', 'shop', { app: 'legacy' }, [{ port: 80 }]),
      { apiVersion: 'v1', kind: 'Pod', metadata: meta('debug', 'shop', { labels: { app: 'debug' } }), spec: { containers: [{ name: 'c', image: 'c' }] } },
      service('debug', 'shop', { app: 'debug' }, [{ port: 22 }]),
    );
    expect(spec(get('shop/allow-same-namespace-to-api')).podSelector).toEqual({ matchLabels: { app: 'api' } });
    expect(spec(get('shop/allow-same-namespace-to-legacy')).podSelector).toEqual({ matchLabels: { app: 'legacy' } });
    expect(spec(get('shop/allow-same-namespace-to-debug')).podSelector).toEqual({ matchLabels: { app: 'debug' } });
  });

  it('lets clients of the namespace send to those ports when Egress is denied too', () => {
    const { get } = run({ ...KIND, defaultDeny: ['Ingress', 'Egress'], allowSameNamespace: true }, ...shop('shop'));
    expect(labels(get('shop/allow-same-namespace-egress'))['krmkit.dev/rule']).toBe('egress-same-namespace');
    expect(spec(get('shop/allow-same-namespace-egress'))).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: FRONTEND } }], ports: [{ protocol: 'TCP', port: 8080 }] },
        { to: [{ podSelector: { matchLabels: BACKEND } }], ports: [{ protocol: 'TCP', port: 8080 }] },
        { to: [{ podSelector: { matchLabels: DATABASE } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      ],
    });
  });

  it('generates no ingress allow rules unless Ingress is denied (an ingress policy would isolate the pods it selects)', () => {
    const { names } = run({ ...KIND, defaultDeny: ['Egress'], allowSameNamespace: true }, ...shop('shop'));
    expect(names).toEqual(['shop/default-deny', 'shop/allow-same-namespace-egress']);
  });

  it('gives two workloads of one name their own policies', () => {
    const { names } = run(
      { ...KIND, defaultDeny: ['Ingress'], allowSameNamespace: true },
      deployment('web', 'shop', { app: 'web' }),
      deployment('web', 'shop', { app: 'web-db' }, { kind: 'StatefulSet' }),
      service('web', 'shop', { app: 'web' }, [{ port: 80 }]),
      service('web-db', 'shop', { app: 'web-db' }, [{ port: 5432 }]),
    );
    expect(names).toEqual(['shop/default-deny', 'shop/allow-same-namespace-to-web', 'shop/allow-same-namespace-to-web-statefulset']);
  });
});

describe('ingress controller → workloads behind an Ingress of the stream', () => {
  it('allows the controller only to workloads an Ingress routes to, on the ports it routes to', () => {
    const { names, get } = run({ ...KIND, defaultDeny: ['Ingress'] }, ...shop('shop'));
    expect(names).toEqual(['shop/default-deny', 'shop/allow-ingress-controller-to-frontend']);
    const policy = get('shop/allow-ingress-controller-to-frontend');
    expect(labels(policy)['krmkit.dev/rule']).toBe('ingress-controller');
    expect(spec(policy).ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
  });

  it('picks the backend port by number or name, and reads a backend without one as the whole Service', () => {
    const labelsOf = { app: 'web' };
    const objects = (port?: Obj): Obj[] => [
      deployment('web', 'shop', labelsOf, { ports: [{ name: 'http', containerPort: 8080 }, { name: 'https', containerPort: 8443 }] }),
      service('web', 'shop', labelsOf, [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'https', port: 443, targetPort: 'https' }]),
      ingress('web', 'shop', 'web', port),
    ];
    const portsFor = (port?: Obj): unknown => portsOf((spec(run({ ...KIND, defaultDeny: ['Ingress'] }, ...objects(port)).get('shop/allow-ingress-controller-to-web')).ingress as Obj[])[0]);
    expect(portsFor({ number: 443 })).toEqual([{ protocol: 'TCP', port: 8443 }]);
    expect(portsFor({ name: 'http' })).toEqual([{ protocol: 'TCP', port: 8080 }]);
    expect(portsFor(undefined)).toEqual([{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 8443 }]);
  });

  it('reads extensions/v1beta1 backends, ignores Ingresses of other namespaces, and can be switched off', () => {
    const labelsOf = { app: 'web' };
    const legacy = { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: meta('old', 'shop'), spec: { backend: { serviceName: 'web', servicePort: 80 } } };
    const base = [deployment('web', 'shop', labelsOf), service('web', 'shop', labelsOf, [{ port: 80, targetPort: 8080 }])];
    expect(run({ ...KIND, defaultDeny: ['Ingress'] }, ...base, legacy).names).toContain('shop/allow-ingress-controller-to-web');
    expect(run({ ...KIND, defaultDeny: ['Ingress'] }, ...base, ingress('web', 'other', 'web')).names).not.toContain('shop/allow-ingress-controller-to-web');
    expect(run({ ...KIND, defaultDeny: ['Ingress'], ingressControllers: [] }, ...base, legacy).names).toEqual(['shop/default-deny']);
  });
});

describe('declared flows between tiers', () => {
  it('prod: ingress on the receiving tier and egress on the sending tier, labelled by flow', () => {
    const { names, get } = run(PROD, ...shop('shop'));
    expect(names).toEqual([
      'shop/default-deny',
      'shop/allow-dns',
      'shop/allow-ingress-controller-to-frontend',
      'shop/flow-frontend-to-backend-ingress',
      'shop/flow-frontend-to-backend-egress',
      'shop/flow-backend-to-database-ingress',
      'shop/flow-backend-to-database-egress',
    ]);
    expect(labels(get('shop/flow-frontend-to-backend-egress'))['krmkit.dev/rule']).toBe('flow-frontend-to-backend');
    expect(spec(get('shop/flow-backend-to-database-ingress'))).toEqual({
      podSelector: { matchLabels: { tier: 'database' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'backend' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
    expect(spec(get('shop/flow-frontend-to-backend-egress'))).toEqual({
      podSelector: { matchLabels: { tier: 'frontend' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { tier: 'backend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
  });

  it('lands each side only where the stream has workloads it selects, in the namespace it names', () => {
    const flows = [
      { name: 'to-search', from: { podSelector: { tier: 'backend' } }, to: { podSelector: { tier: 'search' } }, ports: [9200] },
      { name: 'scrape', from: { namespace: 'monitoring', podSelector: { app: 'prometheus' } }, to: { namespace: 'shop', podSelector: { tier: 'backend' } }, ports: ['metrics'] },
    ];
    const { names, get } = run({ ...KIND, defaultDeny: ['Ingress', 'Egress'], flows }, ...shop('shop'), ...shop('staging'));
    // No search tier in the stream: only the sending side lands. Scraping lands in shop only,
    // and its egress side not at all (no Prometheus in the stream).
    expect(names.filter((name) => name.includes('flow-'))).toEqual(['shop/flow-to-search-egress', 'shop/flow-scrape-ingress', 'staging/flow-to-search-egress']);
    expect((spec(get('shop/flow-scrape-ingress')).ingress as Obj[])[0]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }],
      ports: [{ protocol: 'TCP', port: 'metrics' }],
    });
  });

  it('allows every port when a flow names none, and every pod of a namespace when an end has no podSelector', () => {
    const { get } = run({ ...KIND, defaultDeny: ['Egress'], flows: [{ from: { podSelector: { tier: 'backend' } }, to: { namespace: 'payments' } }] }, ...shop('shop'));
    expect(spec(get('shop/flow-backend-to-payments-egress')).egress).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }] }]);
  });
});

describe('names, labels and duplicates', () => {
  it('keeps long names within Kubernetes limits, stable and distinct', () => {
    const long = `w${'x'.repeat(240)}`;
    const longer = `${long}y`;
    const flows = [{ name: 'a'.repeat(40), from: { podSelector: { app: long } }, to: { podSelector: { app: long } }, ports: [80] }];
    const { names, generated } = run(
      { ...KIND, defaultDeny: ['Ingress'], allowSameNamespace: true, flows },
      deployment(long, 'shop', { app: long }),
      deployment(longer, 'shop', { app: longer }),
      service('a', 'shop', { app: long }, [{ port: 80 }]),
      service('b', 'shop', { app: longer }, [{ port: 80 }]),
    );
    expect(new Set(names).size).toBe(names.length);
    for (const policy of generated) {
      expect(String((policy.metadata as Obj).name).length).toBeLessThanOrEqual(253);
      expect(String(labels(policy)['krmkit.dev/rule']).length).toBeLessThanOrEqual(63);
      expect(String((policy.metadata as Obj).name)).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    }
  });

  it('never duplicates a policy of the same name and namespace, and says so when it is not one of ours', () => {
    const theirs = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('default-deny', 'shop'), spec: { podSelector: {}, policyTypes: ['Ingress'] } };
    const otherNamespace = { ...theirs, metadata: meta('default-deny', 'staging') };
    const { names, results } = run({ ...KIND, defaultDeny: ['Ingress'] }, theirs, otherNamespace, ...shop('shop'));
    expect(names).toEqual(['shop/allow-ingress-controller-to-frontend']);
    expect(results.filter((result) => result.severity === 'info').map((result) => result.message)).toEqual([
      'a NetworkPolicy named default-deny is already in the stream; the default-deny policy was not generated',
      'a NetworkPolicy named default-deny is already in the stream; the default-deny policy was not generated',
    ]);
  });

  it('adds nothing on a second run: the generated policies are in the stream then', () => {
    const first = run(PROD, ...shop('shop'), ...shop(undefined));
    const second = transform(first.output, PROD);
    expect(second.output).toBe(first.output);
    expect(second.results).toEqual(first.results);
  });
});

describe('warnings', () => {
  const DENY_INGRESS = { ...KIND, defaultDeny: ['Ingress'] };

  it('warns for each workload a Service targets that nothing lets ingress reach', () => {
    const { results } = run(DENY_INGRESS, ...shop('shop'));
    expect(results).toEqual([
      expect.objectContaining({ severity: 'warning', resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend', namespace: 'shop' } }),
      expect.objectContaining({ severity: 'warning', resourceRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'database', namespace: 'shop' } }),
    ]);
    expect(results[0]?.message).toBe('receives no ingress under default-deny Ingress, although Service backend targets it: enable allowSameNamespace, route an Ingress to it, or declare a flow to it');
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
    fc.assert(
      fc.property(streamArb, configArb, (text, options) => {
        const once = transform(text, options).output;
        expect(transform(once, options).output).toBe(once);
      }),
      { numRuns: 150 },
    );
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

describe('real corpora (../shared/corpora)', () => {
  const PROD_LIKE = { ...KIND, defaultDeny: ['Ingress', 'Egress'], allowDNS: true, allowSameNamespace: true };
  const expected: Record<string, { policies: string[]; warned: string[]; sameNamespacePorts?: Record<string, unknown[]> }> = {
    'cert-manager-v1.14.4.yaml': {
      policies: [
        'cert-manager/default-deny',
        'cert-manager/allow-dns',
        'cert-manager/allow-same-namespace-egress',
        'cert-manager/allow-same-namespace-to-cert-manager',
        'cert-manager/allow-same-namespace-to-cert-manager-webhook',
        'kube-system/default-deny',
        'kube-system/allow-dns',
      ],
      warned: ['cert-manager', 'cert-manager-webhook'],
      sameNamespacePorts: { 'cert-manager/allow-same-namespace-to-cert-manager-webhook': [{ protocol: 'TCP', port: 10250 }] },
    },
    'ingress-nginx-cloud.yaml': {
      policies: ['ingress-nginx/default-deny', 'ingress-nginx/allow-dns', 'ingress-nginx/allow-same-namespace-egress', 'ingress-nginx/allow-same-namespace-to-ingress-nginx-controller'],
      warned: ['ingress-nginx-controller'],
      // http → 80, https → 443 and the admission webhook's named port → 8443, through the container ports.
      sameNamespacePorts: {
        'ingress-nginx/allow-same-namespace-to-ingress-nginx-controller': [
          { protocol: 'TCP', port: 80 },
          { protocol: 'TCP', port: 443 },
          { protocol: 'TCP', port: 8443 },
        ],
      },
    },
    'metrics-server-components.yaml': {
      policies: ['kube-system/default-deny', 'kube-system/allow-dns', 'kube-system/allow-same-namespace-egress', 'kube-system/allow-same-namespace-to-metrics-server'],
      warned: ['metrics-server'],
    },
    'reloader.yaml': { policies: ['default/default-deny', 'default/allow-dns'], warned: [] },
  };

  describe.each(corpora())('$name', ({ name, text }) => {
    const expectation = expected[name];
    it('generates one default deny per namespace, DNS, and same-namespace ingress on the resolved Service ports; leaves the manifests untouched', () => {
      expect(expectation, `add an expectation for ${name}`).toBeDefined();
      const { output, results } = transform(text, PROD_LIKE);
      expect(output.startsWith(text)).toBe(true);
      const added = objectsOf(output.slice(text.length));
      expect(added.map((policy) => `${String((policy.metadata as Obj).namespace)}/${String((policy.metadata as Obj).name)}`)).toEqual(expectation?.policies);
      expect(results).toEqual([]);
      for (const [key, ports] of Object.entries(expectation?.sameNamespacePorts ?? {})) {
        const policy = added.find((object) => `${String((object.metadata as Obj).namespace)}/${String((object.metadata as Obj).name)}` === key) as Obj;
        expect(portsOf((spec(policy).ingress as Obj[])[0])).toEqual(ports);
      }
      expect(transform(output, PROD_LIKE).output).toBe(output);
    });

    it('warns, under default-deny Ingress alone, for every workload a Service exposes (no Ingress routes to them)', () => {
      const { results } = transform(text, { ...KIND, defaultDeny: ['Ingress'] });
      expect(results.map((result) => result.resourceRef?.name)).toEqual(expectation?.warned);
      expect(results.every((result) => result.severity === 'warning')).toBe(true);
    });
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
    expect(objectsOf(result.stdout.slice(input.length)).map((policy) => (policy.metadata as Obj).name)).toEqual(['default-deny', 'allow-ingress-controller-to-frontend']);
    expect(result.stderr).toContain('[warning] apps/v1/Deployment/shop/backend: receives no ingress under default-deny Ingress');
    expect(result.stderr).toContain('[warning] apps/v1/StatefulSet/shop/database: receives no ingress under default-deny Ingress');
  });

  it('takes flags, and fails with exit 2 and nothing on stdout on a bad config', () => {
    const ok = runCli(['network-policy', '--defaultDeny', 'Ingress,Egress', '--allowDNS'], input);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('name: allow-dns');
    const bad = runCli(['network-policy', '--allowDNS'], input);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('allowDNS only makes sense with defaultDeny including Egress');
  });
});

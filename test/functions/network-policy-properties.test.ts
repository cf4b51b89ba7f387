/**
 * Properties of the generated NetworkPolicies over generated streams (issues 9 and 17):
 * they select only the stream's own workloads, never every pod of a system namespace, are
 * idempotent and leave the input byte for byte; and for any set of releases sharing
 * namespaces — namespaces templated, left out, or mixed — the objects all of them generate
 * are distinct once Helm places them, and each selects the pods of the workload it serves.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { matchesSelector, type LabelSelector } from '../../krm/kube/label-selector.js';
import { objectsOf } from '../helpers/objects.js';
import { transform } from '../helpers/transform.js';

type Obj = Record<string, unknown>;
const runs = Number(process.env.KRMKIT_PROPERTY_RUNS ?? 100);
const SYSTEM = ['kube-system', 'kube-public', 'kube-node-lease'];

interface AppSpec {
  suffix: 'web' | 'api' | 'worker';
  kind: 'Deployment' | 'StatefulSet';
  /** Whether the chart templates `namespace: {{ .Release.Namespace }}` on the workload, and on its Service. */
  workloadNamespaced: boolean;
  serviceNamespaced: boolean;
  /** Another app of the release it calls by Service name. */
  calls?: 'web' | 'api' | 'worker';
  loadBalancer: boolean;
}

interface ReleaseSpec {
  namespace: string;
  apps: AppSpec[];
  ownsNamespace: boolean;
}

const appArb: fc.Arbitrary<AppSpec> = fc.record({
  suffix: fc.constantFrom('web', 'api', 'worker'),
  kind: fc.constantFrom('Deployment', 'StatefulSet'),
  workloadNamespaced: fc.boolean(),
  serviceNamespaced: fc.boolean(),
  calls: fc.option(fc.constantFrom('web', 'api', 'worker'), { nil: undefined }),
  loadBalancer: fc.boolean(),
}) as fc.Arbitrary<AppSpec>;

const releaseArb: fc.Arbitrary<ReleaseSpec> = fc.record({
  namespace: fc.constantFrom('shop', 'data', 'kube-system'),
  apps: fc.uniqueArray(appArb, { minLength: 1, maxLength: 3, selector: (app) => app.suffix }),
  ownsNamespace: fc.boolean(),
});

const configArb = fc.constantFrom<Obj>(
  { apiVersion: 'krmkit.dev/v1alpha1', kind: 'NetworkPolicies', defaultDeny: ['Ingress', 'Egress'], allowDNS: true },
  { apiVersion: 'krmkit.dev/v1alpha1', kind: 'NetworkPolicies', defaultDeny: ['Ingress'] },
  { apiVersion: 'krmkit.dev/v1alpha1', kind: 'NetworkPolicies', defaultDeny: ['Ingress', 'Egress'], allowDNS: true, namespaceDefaultDeny: true, allowSameNamespace: true },
);

const podLabels = (release: string, app: string): Record<string, string> => ({ 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': release });

/** The stream Helm hands the post-renderer for one release: as a chart renders it. */
function render(release: string, spec: ReleaseSpec): string {
  const objects: Obj[] = [];
  if (spec.ownsNamespace) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: spec.namespace } });
  const metadata = (name: string, namespaced: boolean): Obj => ({ name, ...(namespaced ? { namespace: spec.namespace } : {}) });
  for (const app of spec.apps) {
    const labels = podLabels(release, app.suffix);
    const env = app.calls ? [{ name: 'PEER', value: `http://${release}-${app.calls}:80` }] : [];
    objects.push({
      apiVersion: 'apps/v1',
      kind: app.kind,
      metadata: metadata(`${release}-${app.suffix}`, app.workloadNamespaced),
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: app.suffix, image: 'example/app:1', ports: [{ name: 'http', containerPort: 8080 }], env }] } } },
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(`${release}-${app.suffix}`, app.serviceNamespaced),
      spec: { ...(app.loadBalancer ? { type: 'LoadBalancer' } : {}), selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
  }
  return objects.map((object) => stringify(object)).join('---\n');
}

interface Generated {
  release: string;
  releaseNamespace: string;
  policy: Obj;
}

function generatedBy(release: string, spec: ReleaseSpec, config: Obj): { input: string; output: string; generated: Generated[] } {
  const input = render(release, spec);
  const { output } = transform(input, config);
  return { input, output, generated: objectsOf(output.slice(input.length)).map((policy) => ({ release, releaseNamespace: spec.namespace, policy })) };
}

const metaOf = (object: Obj): Obj => object.metadata as Obj;
/** Where Helm puts an object: its own namespace, else the release namespace. */
const placedIn = ({ policy, releaseNamespace }: Generated): string => (metaOf(policy).namespace as string | undefined) ?? releaseNamespace;
const selectorOf = (policy: Obj): LabelSelector => (policy.spec as Obj).podSelector as LabelSelector;

describe('network-policy properties', () => {
  it('selects only the stream’s workloads: never a pod of another release, never every pod of a system namespace', () => {
    fc.assert(
      fc.property(releaseArb, configArb, (spec, config) => {
        const { generated } = generatedBy('r1', spec, config);
        for (const entry of generated) {
          const selector = selectorOf(entry.policy);
          if (Object.keys(selector).length === 0) {
            // Namespace-wide: only for a Namespace this stream owns, never a system one.
            expect(spec.ownsNamespace && config.namespaceDefaultDeny === true).toBe(true);
            expect(SYSTEM).not.toContain(placedIn(entry));
            continue;
          }
          for (const app of ['web', 'api', 'worker']) expect(matchesSelector(podLabels('other', app), selector)).toBe(false);
          expect(spec.apps.some((app) => matchesSelector(podLabels('r1', app.suffix), selector))).toBe(true);
        }
      }),
      { numRuns: runs },
    );
  });

  it('is idempotent and leaves every input byte in place', () => {
    fc.assert(
      fc.property(releaseArb, configArb, (spec, config) => {
        const { input, output } = generatedBy('r1', spec, config);
        expect(output.startsWith(input)).toBe(true);
        expect(transform(output, config).output).toBe(output);
      }),
      { numRuns: runs },
    );
  });

  it('for releases sharing namespaces (set, unset, mixed), generated objects are distinct once placed, and each selects its workload’s pods', () => {
    fc.assert(
      fc.property(fc.array(releaseArb, { minLength: 2, maxLength: 4 }), configArb, (drawn, config) => {
        // Helm lets only one release own a Namespace object; the others install into it.
        const owned = new Set<string>();
        const specs = drawn.map((spec) => {
          const owns = spec.ownsNamespace && !owned.has(spec.namespace);
          if (owns) owned.add(spec.namespace);
          return { ...spec, ownsNamespace: owns };
        });
        const kept = specs.flatMap((spec, index) => generatedBy(`app${index}`, spec, config).generated);
        const keys = kept.map((entry) => `${String(entry.policy.kind)}/${placedIn(entry)}/${String(metaOf(entry.policy).name)}`);
        expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
        for (const entry of kept) {
          const selector = selectorOf(entry.policy);
          if (Object.keys(selector).length === 0) continue;
          const spec = specs[Number(entry.release.slice(3))] as ReleaseSpec;
          const served = spec.apps.find((app) => String(metaOf(entry.policy).name).startsWith(`${entry.release}-${app.suffix}-`));
          expect(served, `${String(metaOf(entry.policy).name)} is named after a workload of its release`).toBeDefined();
          expect(matchesSelector(podLabels(entry.release, served?.suffix ?? ''), selector)).toBe(true);
          // It lands where its workload lands.
          expect(placedIn(entry)).toBe(spec.namespace);
        }
      }),
      { numRuns: runs },
    );
  });
});

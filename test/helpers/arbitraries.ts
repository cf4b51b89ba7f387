import fc from 'fast-check';
import { load } from 'js-yaml';
import { stringify } from 'yaml';

/** fast-check generators for Kubernetes-shaped streams, shared by property tests. */

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
// Values that read back as strings: `yaml` writes `0b0` unquoted (a string in YAML 1.2), but the
// stream reader, like the API server, reads it as a number, which no label value may be.
const labelValue = fc.stringMatching(/^[a-z0-9]{1,8}$/).filter((value) => typeof load(value) === 'string');
const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'team', 'version'), labelValue, { maxKeys: 3 });

const securityContext = fc.record(
  {
    privileged: fc.boolean(),
    allowPrivilegeEscalation: fc.boolean(),
    runAsNonRoot: fc.boolean(),
    runAsUser: fc.constantFrom(0, 1000, 65532),
    readOnlyRootFilesystem: fc.boolean(),
    capabilities: fc.record({ add: fc.subarray(['NET_BIND_SERVICE', 'SYS_ADMIN', 'CHOWN']), drop: fc.subarray(['ALL', 'NET_RAW']) }, { requiredKeys: [] }),
    seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined', 'Localhost') }),
  },
  { requiredKeys: [] },
);

const container = fc.record(
  {
    name,
    image: fc.constantFrom('nginx:1.27', 'shop/api:2', '"registry/x:1"'),
    env: fc.array(fc.record({ name: fc.constantFrom('A', 'B', 'LOG_LEVEL'), value: labelValue }), { maxLength: 2 }),
    ports: fc.array(fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }), name: fc.constantFrom('http', 'metrics') }), { maxLength: 2 }),
    securityContext,
  },
  { requiredKeys: ['name', 'image'] },
);

const podSpec = fc.record(
  {
    containers: fc.array(container, { minLength: 1, maxLength: 2 }),
    initContainers: fc.array(container, { maxLength: 1 }),
    securityContext: fc.record({ runAsUser: fc.constantFrom(0, 1000), fsGroup: fc.constant(2000) }, { requiredKeys: [] }),
    os: fc.constantFrom({ name: 'linux' }, { name: 'windows' }),
  },
  { requiredKeys: ['containers'] },
);

const template = fc.record({ metadata: fc.record({ labels }), spec: podSpec });

export const workload = fc.oneof(
  fc.record({ apiVersion: fc.constant('apps/v1'), kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet'), metadata: fc.record({ name, labels }), spec: fc.record({ replicas: fc.integer({ min: 1, max: 5 }), template }) }),
  fc.record({ apiVersion: fc.constant('batch/v1'), kind: fc.constant('CronJob'), metadata: fc.record({ name }), spec: fc.record({ schedule: fc.constant('0 * * * *'), jobTemplate: fc.record({ spec: fc.record({ template }) }) }) }),
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), metadata: fc.record({ name }), spec: podSpec }),
);

export const nonWorkload = fc.oneof(
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('ConfigMap'), metadata: fc.record({ name, labels }), data: fc.dictionary(fc.constantFrom('a', 'b', 'config.yaml'), fc.string({ maxLength: 20 })) }),
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Service'), metadata: fc.record({ name }), spec: fc.record({ selector: labels, ports: fc.array(fc.record({ port: fc.integer({ min: 1, max: 65535 }) }), { minLength: 1, maxLength: 2 }) }) }),
);

/** How one document is written: the variety of real streams. */
const documentText = fc
  .record({
    object: fc.oneof(workload, nonWorkload),
    indentSeq: fc.boolean(),
    indent: fc.constantFrom(2, 4),
    comment: fc.option(fc.constantFrom('# Source: chart/templates/x.yaml', '# hand-written', '# Copyright 2024'), { nil: undefined }),
  })
  .map(({ object, indentSeq, indent, comment }) => `${comment ? `${comment}\n` : ''}${stringify(object, { indentSeq, indent, lineWidth: 0 })}`);

/** A stream of documents with `---` separators, empty and comment-only documents mixed in. */
export const stream = fc
  .array(fc.oneof({ weight: 6, arbitrary: documentText }, { weight: 1, arbitrary: fc.constantFrom('', '# nothing here\n') }), { minLength: 1, maxLength: 6 })
  .map((documents) => documents.map((text, index) => (index === 0 ? text : `---\n${text}`)).join(''));

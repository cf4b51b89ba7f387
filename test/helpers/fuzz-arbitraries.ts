import fc from 'fast-check';
import { stringify } from 'yaml';
import type { KubeObject } from './objects.js';

/**
 * fast-check generators for whole application streams, as charts render them: every kind
 * with a pod template, with whatever securityContext, env, envFrom, affinity, topology
 * spread, annotations and volumes a chart may already have set, next to the Services,
 * ConfigMaps, Secrets, HPAs and Ingresses that refer to them.
 *
 * Every generated object is valid against the Kubernetes schemas (test/reliability checks
 * that), so a function that fails on one has a bug, and every object a function edits must
 * still be valid afterwards. Names come from small pools so that references (Service →
 * workload, envFrom → ConfigMap, HPA → Deployment, Ingress → Service) often resolve.
 */

const WORKLOAD_NAMES = ['web', 'api', 'db', 'worker', 'cache'] as const;
const CONFIG_NAMES = ['app-config', 'shared', 'db-credentials'] as const;
const NAMESPACES = [undefined, undefined, 'shop', 'other'] as const;

const workloadName = fc.constantFrom(...WORKLOAD_NAMES);
const configName = fc.constantFrom(...CONFIG_NAMES);
const namespace = fc.constantFrom(...NAMESPACES);
const labelValue = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const componentLabel = fc.constantFrom('frontend', 'backend', 'database', 'migrations');

const envName = fc.constantFrom('A', 'LOG_LEVEL', 'PROD', 'DATABASE_URL', 'HOST');
const envVar = fc.oneof(
  fc.record({ name: envName, value: fc.oneof(labelValue, fc.constantFrom('$(HOST)/x', 'true', '')) }),
  fc.record({ name: envName, valueFrom: fc.record({ configMapKeyRef: fc.record({ name: configName, key: fc.constantFrom('a', 'b') }) }) }),
  fc.record({ name: envName, valueFrom: fc.record({ secretKeyRef: fc.record({ name: configName, key: fc.constantFrom('password'), optional: fc.boolean() }, { requiredKeys: ['name', 'key'] }) }) }),
  fc.record({ name: envName, valueFrom: fc.record({ fieldRef: fc.record({ fieldPath: fc.constantFrom('metadata.name', 'status.podIP') }) }) }),
);
const envFromSource = fc.oneof(
  fc.record({ configMapRef: fc.record({ name: configName, optional: fc.boolean() }, { requiredKeys: ['name'] }), prefix: fc.constantFrom('CFG_', 'X_') }, { requiredKeys: ['configMapRef'] }),
  fc.record({ secretRef: fc.record({ name: configName }) }),
);

const capabilities = fc.record(
  {
    add: fc.subarray(['NET_BIND_SERVICE', 'SYS_ADMIN', 'CHOWN', 'NET_RAW', 'CAP_SYS_TIME']),
    drop: fc.subarray(['ALL', 'NET_RAW', 'MKNOD']),
  },
  { requiredKeys: [] },
);
const seccompProfile = fc.oneof(
  fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined') }),
  fc.constant({ type: 'Localhost', localhostProfile: 'profiles/audit.json' }),
);

const seLinuxOptions = fc.oneof(fc.record({ type: fc.constantFrom('container_t', 'spc_t') }), fc.constant({ level: 's0:c123,c456' }), fc.constant({ user: 'system_u', role: 'system_r' }));
const appArmorProfile = fc.oneof(fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined') }), fc.constant({ type: 'Localhost', localhostProfile: 'k8s-nginx' }));

/** Linux container securityContext: compliant, violating and absent values alike. */
const containerSecurityContext = fc.record(
  {
    privileged: fc.boolean(),
    allowPrivilegeEscalation: fc.boolean(),
    runAsNonRoot: fc.boolean(),
    runAsUser: fc.constantFrom(0, 1000, 65532),
    runAsGroup: fc.constantFrom(0, 3000),
    readOnlyRootFilesystem: fc.boolean(),
    procMount: fc.constantFrom('Default', 'Unmasked'),
    capabilities,
    seccompProfile,
    seLinuxOptions,
    appArmorProfile,
    windowsOptions: fc.constant({ hostProcess: false }),
  },
  { requiredKeys: [] },
);

const podSecurityContext = fc.record(
  {
    runAsNonRoot: fc.boolean(),
    runAsUser: fc.constantFrom(0, 1000),
    runAsGroup: fc.constant(1000),
    fsGroup: fc.constant(2000),
    seccompProfile,
    seLinuxOptions,
    appArmorProfile,
    sysctls: fc.subarray([
      { name: 'net.ipv4.ip_local_port_range', value: '1024 65535' },
      { name: 'kernel.msgmax', value: '65536' },
    ], { minLength: 1 }),
  },
  { requiredKeys: [] },
);

const volume = fc.oneof(
  configName.map((name) => ({ name: `cm-${name}`, configMap: { name } })),
  configName.map((name) => ({ name: `secret-${name}`, secret: { secretName: name } })),
  fc.constant({ name: 'scratch', emptyDir: {} }),
  fc.constant({ name: 'tmp', emptyDir: { medium: 'Memory' } }),
  configName.map((name) => ({ name: 'projected', projected: { sources: [{ configMap: { name } }, { secret: { name } }] } })),
  fc.constant({ name: 'data', persistentVolumeClaim: { claimName: 'data' } }),
  fc.constant({ name: 'host', hostPath: { path: '/var/log' } }),
  fc.constant({ name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }),
);

const mountPath = fc.constantFrom('/etc/app', '/tmp', '/data', '/var/run/x');

interface ContainerShape {
  name: string;
  image: string;
  env?: KubeObject[];
  envFrom?: KubeObject[];
  ports?: KubeObject[];
  securityContext?: KubeObject;
  mountPaths?: string[];
}

const containerShape = (names: fc.Arbitrary<string>): fc.Arbitrary<ContainerShape> =>
  fc.record(
    {
      name: names,
      image: fc.constantFrom('nginx:1.27', 'shop/api:2', 'registry.example.com/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'),
      env: fc.uniqueArray(envVar, { maxLength: 3, selector: (entry) => entry.name }),
      envFrom: fc.uniqueArray(envFromSource, { maxLength: 2, selector: (entry) => JSON.stringify(entry) }),
      ports: fc.uniqueArray(
        fc.record(
          {
            name: fc.constantFrom('http', 'metrics', 'postgres', 'grpc'),
            containerPort: fc.constantFrom(80, 8080, 5432, 9090),
            protocol: fc.constantFrom('TCP', 'UDP'),
            hostPort: fc.constantFrom(0, 8080),
          },
          { requiredKeys: ['containerPort'] },
        ),
        { maxLength: 2, selector: (port) => `${String(port.name)}/${String(port.containerPort)}` },
      ),
      securityContext: containerSecurityContext,
      mountPaths: fc.uniqueArray(mountPath, { maxLength: 2 }),
    },
    { requiredKeys: ['name', 'image'] },
  );

const affinity = fc.record(
  {
    nodeAffinity: fc.constant({
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }],
      },
    }),
    podAntiAffinity: fc.record(
      {
        preferredDuringSchedulingIgnoredDuringExecution: fc.constantFrom(
          [],
          [{ weight: 50, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } } }],
        ),
        requiredDuringSchedulingIgnoredDuringExecution: fc.constantFrom(
          [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } }],
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const topologySpread = fc.constantFrom(
  [],
  [{ maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
);

/** Annotations a chart may carry, including ones the functions read or write. */
const annotations = fc.dictionary(
  fc.constantFrom(
    'team',
    'checksum/config',
    'reloader.stakater.com/auto',
    'configmap.reloader.stakater.com/reload',
    'checksum.krmkit.dev/configmap-app-config',
    'krmkit.dev/skip',
    'prometheus.io/scrape',
    'container.apparmor.security.beta.kubernetes.io/app',
  ),
  fc.constantFrom('runtime/default', 'unconfined', 'localhost/k8s-nginx', 'true', 'false', 'app-config', 'shared,app-config', 'security-context', 'all', 'inject-env,reloader', 'abc123'),
  { maxKeys: 3 },
);

interface PodShape {
  containers: ContainerShape[];
  initContainers: ContainerShape[];
  ephemeralContainers: ContainerShape[];
  securityContext?: KubeObject;
  volumes: KubeObject[];
  affinity?: KubeObject | null;
  topologySpreadConstraints?: readonly KubeObject[];
  hostNetwork?: boolean;
  windows: boolean;
  imagePullSecrets?: KubeObject[];
}

const podShape: fc.Arbitrary<PodShape> = fc.record(
  {
    containers: fc.uniqueArray(containerShape(fc.constantFrom('app', 'sidecar', 'proxy')), { minLength: 1, maxLength: 2, selector: (c) => c.name }),
    initContainers: fc.uniqueArray(containerShape(fc.constantFrom('init', 'migrate')), { maxLength: 1, selector: (c) => c.name }),
    ephemeralContainers: fc.uniqueArray(containerShape(fc.constantFrom('debugger')), { maxLength: 1, selector: (c) => c.name }),
    securityContext: podSecurityContext,
    volumes: fc.uniqueArray(volume, { maxLength: 3, selector: (v) => v.name }),
    affinity: fc.oneof(affinity, fc.constant(null)),
    topologySpreadConstraints: topologySpread,
    hostNetwork: fc.boolean(),
    windows: fc.boolean(),
    imagePullSecrets: fc.constant([{ name: 'registry' }]),
  },
  { requiredKeys: ['containers', 'initContainers', 'ephemeralContainers', 'volumes', 'windows'] },
);

/** Fields the API server forbids on Windows pods (spec.os.name: windows). */
const LINUX_ONLY_CONTAINER_FIELDS = ['allowPrivilegeEscalation', 'capabilities', 'procMount', 'readOnlyRootFilesystem', 'runAsUser', 'runAsGroup', 'seccompProfile', 'privileged', 'seLinuxOptions', 'appArmorProfile'];
const LINUX_ONLY_POD_FIELDS = ['runAsUser', 'runAsGroup', 'fsGroup', 'seccompProfile', 'sysctls', 'seLinuxOptions', 'appArmorProfile'];

function without(object: KubeObject | undefined, keys: readonly string[]): KubeObject | undefined {
  if (!object) return undefined;
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

function containerObject(shape: ContainerShape, windows: boolean, volumeNames: readonly string[], ephemeral: boolean): KubeObject {
  const container: KubeObject = { name: shape.name, image: shape.image };
  if (shape.env && shape.env.length > 0) container.env = shape.env;
  if (shape.envFrom && shape.envFrom.length > 0) container.envFrom = shape.envFrom;
  // Ephemeral containers may not declare ports (API validation).
  if (!ephemeral && shape.ports && shape.ports.length > 0) container.ports = shape.ports;
  const securityContext = windows ? without(shape.securityContext, LINUX_ONLY_CONTAINER_FIELDS) : shape.securityContext;
  if (securityContext) container.securityContext = securityContext;
  const mounts = (shape.mountPaths ?? []).flatMap((path, index) => (volumeNames[index] ? [{ name: volumeNames[index], mountPath: path }] : []));
  if (mounts.length > 0) container.volumeMounts = mounts;
  return container;
}

function podSpecObject(shape: PodShape, options: { allowEphemeral: boolean; restartPolicy?: string }): KubeObject {
  const volumeNames = shape.volumes.map((v) => String(v.name));
  const spec: KubeObject = {};
  if (shape.windows) spec.os = { name: 'windows' };
  spec.containers = shape.containers.map((c) => containerObject(c, shape.windows, volumeNames, false));
  if (shape.initContainers.length > 0) spec.initContainers = shape.initContainers.map((c) => containerObject(c, shape.windows, volumeNames, false));
  if (options.allowEphemeral && shape.ephemeralContainers.length > 0) {
    spec.ephemeralContainers = shape.ephemeralContainers.map((c) => containerObject(c, shape.windows, volumeNames, true));
  }
  const podContext = shape.windows ? without(shape.securityContext, LINUX_ONLY_POD_FIELDS) : shape.securityContext;
  if (podContext) spec.securityContext = podContext;
  if (shape.volumes.length > 0) spec.volumes = shape.volumes;
  if (shape.affinity !== undefined) spec.affinity = shape.affinity;
  if (shape.topologySpreadConstraints) spec.topologySpreadConstraints = [...shape.topologySpreadConstraints];
  if (shape.hostNetwork !== undefined && !shape.windows) spec.hostNetwork = shape.hostNetwork;
  if (shape.imagePullSecrets) spec.imagePullSecrets = shape.imagePullSecrets;
  if (options.restartPolicy) spec.restartPolicy = options.restartPolicy;
  return spec;
}

interface WorkloadShape {
  kind: string;
  name: string;
  namespace: string | undefined;
  component: string;
  extraLabel: string | undefined;
  annotations: Record<string, string>;
  templateAnnotations: Record<string, string>;
  replicas: number | undefined;
  selectorStyle: 'matchLabels' | 'matchExpressions';
  pod: PodShape;
}

export const POD_TEMPLATE_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Rollout'] as const;

const workloadShape: fc.Arbitrary<WorkloadShape> = fc.record({
  kind: fc.constantFrom(...POD_TEMPLATE_KINDS),
  name: workloadName,
  namespace,
  component: componentLabel,
  extraLabel: fc.option(labelValue, { nil: undefined }),
  annotations,
  templateAnnotations: annotations,
  replicas: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  selectorStyle: fc.constantFrom('matchLabels', 'matchExpressions'),
  pod: podShape,
});

function metadataOf(name: string, ns: string | undefined, extra: KubeObject = {}): KubeObject {
  return { name, ...(ns ? { namespace: ns } : {}), ...extra };
}

function workloadObject(shape: WorkloadShape): KubeObject {
  const labels: Record<string, string> = { app: shape.name, 'app.kubernetes.io/component': shape.component };
  if (shape.extraLabel) labels.version = shape.extraLabel;
  // The API server rejects AppArmor annotations on Windows pods.
  const podAnnotations = (all: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(all).filter(([key]) => !(shape.pod.windows && key.startsWith('container.apparmor'))));
  const workloadAnnotations = podAnnotations(shape.annotations);
  const metadata = metadataOf(shape.name, shape.namespace, {
    labels,
    ...(Object.keys(workloadAnnotations).length > 0 ? { annotations: workloadAnnotations } : {}),
  });
  const templateAnnotations = podAnnotations(shape.templateAnnotations);
  const templateMetadata: KubeObject = { labels, ...(Object.keys(templateAnnotations).length > 0 ? { annotations: templateAnnotations } : {}) };
  const selector =
    shape.selectorStyle === 'matchLabels'
      ? { matchLabels: { app: shape.name } }
      : { matchExpressions: [{ key: 'app', operator: 'In', values: [shape.name] }] };
  const replicas = shape.replicas === undefined ? {} : { replicas: shape.replicas };
  const template = (restartPolicy?: string): KubeObject => ({ metadata: templateMetadata, spec: podSpecObject(shape.pod, { allowEphemeral: false, ...(restartPolicy ? { restartPolicy } : {}) }) });
  switch (shape.kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind: 'Pod', metadata: { ...metadata, labels }, spec: podSpecObject(shape.pod, { allowEphemeral: true }) };
    case 'ReplicationController':
      return { apiVersion: 'v1', kind: 'ReplicationController', metadata, spec: { ...replicas, selector: { app: shape.name }, template: template() } };
    case 'Deployment':
    case 'ReplicaSet':
      return { apiVersion: 'apps/v1', kind: shape.kind, metadata, spec: { ...replicas, selector, template: template() } };
    case 'StatefulSet':
      return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata, spec: { ...replicas, serviceName: shape.name, selector, template: template() } };
    case 'DaemonSet':
      return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata, spec: { selector, template: template() } };
    case 'Job':
      return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: { backoffLimit: 2, template: template('Never') } };
    case 'CronJob':
      return { apiVersion: 'batch/v1', kind: 'CronJob', metadata, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: template('OnFailure') } } } };
    default:
      return {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata,
        spec: { ...replicas, selector, strategy: { canary: { steps: [{ setWeight: 50 }] } }, template: template() },
      };
  }
}

export const workload: fc.Arbitrary<KubeObject> = workloadShape.map(workloadObject);

const service = fc
  .record({
    name: workloadName,
    namespace,
    type: fc.constantFrom('ClusterIP', 'NodePort'),
    selector: fc.option(workloadName, { nil: undefined }),
    ports: fc.uniqueArray(
      fc.record(
        { name: fc.constantFrom('http', 'metrics', 'postgres'), port: fc.constantFrom(80, 443, 5432), targetPort: fc.constantFrom<number | string>(8080, 'http', 'postgres', 9090) },
        { requiredKeys: ['name', 'port'] },
      ),
      { minLength: 1, maxLength: 2, selector: (port) => port.name },
    ),
  })
  .filter(({ ports }) => new Set(ports.map((port) => port.port)).size === ports.length)
  .map(({ name, namespace: ns, type, selector, ports }) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadataOf(name, ns),
    spec: { type, ...(selector ? { selector: { app: selector } } : {}), ports },
  }));

const configMap = fc.record({ name: configName, namespace, data: fc.dictionary(fc.constantFrom('a', 'b', 'config.yaml'), fc.string({ maxLength: 30 }), { maxKeys: 3 }), annotations }).map(
  ({ name, namespace: ns, data, annotations: notes }) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadataOf(name, ns, Object.keys(notes).length > 0 ? { annotations: notes } : {}),
    data,
  }),
);

const secret = fc.record({ name: configName, namespace, password: fc.stringMatching(/^[A-Za-z0-9+/]{4,12}$/) }).map(({ name, namespace: ns, password }) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: metadataOf(name, ns),
  type: 'Opaque',
  data: { password: Buffer.from(password).toString('base64') },
}));

const hpa = fc
  .record({ name: workloadName, namespace, kind: fc.constantFrom('Deployment', 'StatefulSet', 'Rollout'), minReplicas: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }) })
  .map(({ name, namespace: ns, kind, minReplicas }) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadataOf(name, ns),
    spec: {
      scaleTargetRef: { apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1', kind, name },
      ...(minReplicas === undefined ? {} : { minReplicas }),
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    },
  }));

const ingress = fc
  .record({ name: workloadName, namespace, port: fc.oneof(fc.record({ name: fc.constantFrom('http', 'metrics') }), fc.record({ number: fc.constantFrom(80, 443) })) })
  .map(({ name, namespace: ns, port }) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: metadataOf(name, ns),
    spec: {
      ingressClassName: 'nginx',
      rules: [{ host: `${name}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port } } }] } }],
    },
  }));

/** A budget a chart ships: selecting one app (maybe one that a generated budget would also select), or by expression. */
const budget = fc
  .record({
    name: fc.constantFrom('web-budget', 'api-budget'),
    namespace,
    selector: fc.oneof(workloadName.map((app) => ({ matchLabels: { app } })), fc.constant({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] })),
    count: fc.oneof(fc.record({ maxUnavailable: fc.constantFrom<number | string>(1, '25%') }), fc.record({ minAvailable: fc.constantFrom<number | string>(1, '50%') })),
  })
  .map(({ name, namespace: ns, selector, count }) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: metadataOf(name, ns), spec: { ...count, selector } }));

/** A Namespace a chart ships, maybe already labelled for Pod Security (stricter or weaker). */
const namespaceObject = fc
  .record({
    name: fc.constantFrom('shop', 'other', 'kube-system'),
    enforce: fc.option(fc.constantFrom('privileged', 'baseline', 'restricted'), { nil: undefined }),
    version: fc.option(fc.constantFrom('latest', 'v1.30'), { nil: undefined }),
  })
  .map(({ name, enforce, version }) => {
    const labels: Record<string, string> = { 'kubernetes.io/metadata.name': name };
    if (enforce) labels['pod-security.kubernetes.io/enforce'] = enforce;
    if (enforce && version) labels['pod-security.kubernetes.io/enforce-version'] = version;
    return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
  });

export const supportingObject: fc.Arbitrary<KubeObject> = fc.oneof(service, configMap, secret, hpa, ingress, budget, namespaceObject);

function identity(object: KubeObject): string {
  const metadata = object.metadata as { name?: string; namespace?: string };
  return `${String(object.kind)}/${metadata.namespace ?? ''}/${metadata.name ?? ''}`;
}

/** An application: workloads and what they refer to, one object per kind/namespace/name. */
export const application: fc.Arbitrary<KubeObject[]> = fc.uniqueArray(fc.oneof({ weight: 3, arbitrary: workload }, { weight: 3, arbitrary: supportingObject }), {
  minLength: 1,
  maxLength: 8,
  selector: identity,
});

/** How one document is written: indentation, list style, comments, quoting. */
const documentStyle = fc.record({
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  comment: fc.option(fc.constantFrom('# Source: shop/templates/x.yaml', '# hand-written', '# -- a comment with: a colon'), { nil: undefined }),
  quote: fc.boolean(),
});

/** An application as a YAML stream, each document written in its own style. */
export const applicationStream: fc.Arbitrary<{ objects: KubeObject[]; text: string }> = application.chain((objects) =>
  fc.tuple(fc.constant(objects), fc.array(documentStyle, { minLength: objects.length, maxLength: objects.length }), fc.boolean()).map(([list, styles, leadingMarker]) => {
    const documents = list.map((object, index) => {
      const style = styles[index] as { indent: number; indentSeq: boolean; comment: string | undefined; quote: boolean };
      const body = stringify(object, { indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0, ...(style.quote ? { defaultStringType: 'QUOTE_DOUBLE' as const, defaultKeyType: 'PLAIN' as const } : {}) });
      return `${style.comment ? `${style.comment}\n` : ''}${body}`;
    });
    const text = documents.map((document, index) => (index === 0 && !leadingMarker ? document : `---\n${document}`)).join('');
    return { objects: list, text };
  }),
);

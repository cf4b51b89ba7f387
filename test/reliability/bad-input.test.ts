/**
 * Bad input, through the bundled binary as users run it. Each row states the input, the
 * category of problem and what the user gets:
 *
 * - refused input: the expected non-zero exit code (2: unusable input or config), nothing
 *   on stdout (a half-written stream must never reach `kubectl apply`), and a message that
 *   names the document index, the resource (kind and name) and the field path;
 * - accepted input (CRLF, BOM, a ResourceList carrying old results): exit 0 and the
 *   documented output.
 *
 * Exit code 3 (internal error) is a krmkit bug and fails every row.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { objectsOf } from '../helpers/objects.js';
import { runCliStreaming, type TimedRun } from '../helpers/cli.js';

type Category =
  | 'yaml syntax'
  | 'not an object'
  | 'identity'
  | 'wrong type'
  | 'config'
  | 'resource exhaustion'
  | 'size limit'
  | 'binary'
  | 'truncated'
  | 'envelope'
  | 'encoding';

interface BadInputCase {
  name: string;
  category: Category;
  args: readonly string[];
  input: string | Buffer | (() => Iterable<Buffer>);
  /** The exit code: 2 for refused input, 0 for input krmkit must accept. */
  status: 0 | 2;
  /** Text stderr must contain: the document index, resource and field path, or the hint. */
  names?: readonly string[];
  /** Further guarantees of the row. */
  check?: (run: TimedRun, input: string) => void;
  timeoutMs?: number;
}

// ---------------------------------------------------------------- configs and targets

const CONFIG_DIR = mkdtempSync(join(tmpdir(), 'krmkit-bad-input-'));
function configFile(name: string, text: string): string {
  const path = join(CONFIG_DIR, name);
  writeFileSync(path, text);
  return path;
}
const V1 = 'apiVersion: krmkit.dev/v1alpha1\n';

/** Every function with a config that reads everything it can, and the prod and dev overlays. */
const TARGETS = {
  'security-context': ['security-context', '--config', configFile('sc.yaml', `${V1}kind: SecurityContext\nprofile: restricted\nmode: enforce\nreadOnlyRootFilesystem: true\nwritableTmp: true\n`)],
  'inject-env': ['inject-env', '--config', configFile('ie.yaml', `${V1}kind: InjectEnv\nenv: [{name: PROD, value: "true"}]\nenvFrom: [{configMapRef: {name: web-config}}]\ninitContainers: true\n`)],
  'anti-affinity': ['anti-affinity', '--config', configFile('aa.yaml', `${V1}kind: AntiAffinity\nrequired: [{topologyKey: kubernetes.io/hostname}]\ntopologySpread: [{topologyKey: topology.kubernetes.io/zone}]\n`)],
  'network-policy': ['network-policy', '--config', configFile('np.yaml', `${V1}kind: NetworkPolicies\ndefaultDeny: [Ingress, Egress]\nallowDNS: true\nallowSameNamespace: true\n`)],
  reloader: ['reloader', '--config', configFile('rl.yaml', `${V1}kind: Reloader\nmode: checksum\n`)],
  'prod pipeline': ['run', 'overlays/prod'],
  'dev pipeline': ['run', 'overlays/dev'],
} as const;
type Target = keyof typeof TARGETS;
const PROD = TARGETS['prod pipeline'];

// ---------------------------------------------------------------- the application the wrong types go into

const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
  annotations: {team: a}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations: {x: y}
    spec:
      securityContext: {runAsUser: 1000}
      affinity: {}
      topologySpreadConstraints: []
      initContainers:
        - name: init
          image: busybox
      containers:
        - name: web
          image: nginx
          env:
            - name: A
              value: b
            - name: PASSWORD
              valueFrom:
                secretKeyRef: {name: web-secret, key: password}
          envFrom:
            - configMapRef: {name: web-config}
          ports:
            - name: http
              containerPort: 8080
          securityContext:
            capabilities: {add: [CHOWN]}
          volumeMounts:
            - name: config
              mountPath: /etc/web
      volumes:
        - name: config
          configMap: {name: web-config}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {a: b}
---
apiVersion: v1
kind: Secret
metadata: {name: web-secret, namespace: shop}
stringData: {password: x}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: web, port: {name: http}}
`;
const BASE_OBJECTS = parseAllDocuments(BASE).map((document) => document.toJS() as Record<string, unknown>);
const RESOURCE_NAMES = ['apps/v1 Deployment shop/web', 'v1 Service shop/web', 'v1 ConfigMap shop/web-config', 'v1 Secret shop/web-secret', 'autoscaling/v2 HorizontalPodAutoscaler shop/web', 'networking.k8s.io/v1 Ingress shop/web'];

/** The base application with one value replaced: `document` and `path` as the user would read them in the message. */
function baseWith(document: number, path: readonly (string | number)[], value: unknown, options: { dropHpa?: boolean } = {}): string {
  const objects = structuredClone(BASE_OBJECTS);
  let node = objects[document] as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = (node[segment] ??= {}) as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return objects
    .filter((object) => !(options.dropHpa && object.kind === 'HorizontalPodAutoscaler'))
    .map((object) => stringify(object))
    .join('---\n');
}

function formatField(path: readonly (string | number)[]): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

interface WrongType {
  what: string;
  document: number;
  path: readonly (string | number)[];
  value: unknown;
  /** The functions that read or write this path (and so must refuse it); the prod pipeline always does. */
  readers: readonly Target[];
  problem: string;
  dropHpa?: boolean;
}

const POD = ['spec', 'template', 'spec'] as const;
const CONTAINER = [...POD, 'containers', 0] as const;

const WRONG_TYPES: WrongType[] = [
  { what: 'containers a mapping', document: 0, path: [...POD, 'containers'], value: { name: 'web' }, readers: ['security-context', 'inject-env', 'network-policy', 'reloader'], problem: 'expected a list of containers, got a mapping' },
  { what: 'initContainers a mapping', document: 0, path: [...POD, 'initContainers'], value: { name: 'init' }, readers: ['security-context', 'inject-env', 'network-policy', 'reloader'], problem: 'expected a list of containers, got a mapping' },
  { what: 'env a map', document: 0, path: [...CONTAINER, 'env'], value: { A: 'b' }, readers: ['inject-env', 'reloader'], problem: 'expected a list, got a mapping' },
  { what: 'env valueFrom.secretKeyRef a string', document: 0, path: [...CONTAINER, 'env', 1, 'valueFrom', 'secretKeyRef'], value: 'web-secret', readers: ['reloader'], problem: 'expected a mapping, got a string' },
  { what: 'envFrom a map', document: 0, path: [...CONTAINER, 'envFrom'], value: { configMapRef: { name: 'x' } }, readers: ['inject-env', 'reloader'], problem: 'expected a list, got a mapping' },
  { what: 'ports a string', document: 0, path: [...CONTAINER, 'ports'], value: '8080', readers: ['security-context', 'network-policy'], problem: 'expected a list, got a string' },
  { what: 'containerPort a string', document: 0, path: [...CONTAINER, 'ports', 0, 'containerPort'], value: '8080', readers: ['network-policy'], problem: 'expected a port number, got a string' },
  { what: 'container securityContext a list', document: 0, path: [...CONTAINER, 'securityContext'], value: ['privileged'], readers: ['security-context'], problem: 'expected a mapping, got a list' },
  { what: 'capabilities.add a string', document: 0, path: [...CONTAINER, 'securityContext', 'capabilities', 'add'], value: 'CHOWN', readers: ['security-context'], problem: 'expected a list, got a string' },
  { what: 'privileged a string', document: 0, path: [...CONTAINER, 'securityContext', 'privileged'], value: 'true', readers: ['security-context'], problem: 'expected true or false, got a string ("true")' },
  { what: 'pod runAsUser a string', document: 0, path: [...POD, 'securityContext', 'runAsUser'], value: '0', readers: ['security-context'], problem: 'expected a whole number, got a string ("0")' },
  { what: 'hostNetwork a string', document: 0, path: [...POD, 'hostNetwork'], value: 'yes', readers: ['security-context'], problem: 'expected true or false, got a string ("yes")' },
  { what: 'seccompProfile.type not in the enum', document: 0, path: [...CONTAINER, 'securityContext', 'seccompProfile', 'type'], value: 'runtime/default', readers: ['security-context'], problem: 'expected one of RuntimeDefault, Localhost, Unconfined, got a string ("runtime/default")' },
  { what: 'volumeMounts a map', document: 0, path: [...CONTAINER, 'volumeMounts'], value: { name: 'config' }, readers: ['security-context'], problem: 'expected a list, got a mapping' },
  { what: 'pod securityContext a list', document: 0, path: [...POD, 'securityContext'], value: ['runAsUser'], readers: ['security-context'], problem: 'expected a mapping, got a list' },
  { what: 'volumes a map', document: 0, path: [...POD, 'volumes'], value: { config: { configMap: { name: 'web-config' } } }, readers: ['security-context', 'reloader'], problem: 'expected a list, got a mapping' },
  { what: 'affinity a list', document: 0, path: [...POD, 'affinity'], value: ['podAntiAffinity'], readers: ['anti-affinity'], problem: 'expected a mapping, got a list' },
  { what: 'topologySpreadConstraints a map', document: 0, path: [...POD, 'topologySpreadConstraints'], value: { maxSkew: 1 }, readers: ['anti-affinity'], problem: 'expected a list, got a mapping' },
  { what: 'pod template annotations a list', document: 0, path: ['spec', 'template', 'metadata', 'annotations'], value: ['x'], readers: ['reloader'], problem: 'expected a mapping, got a list' },
  { what: 'pod template labels a string', document: 0, path: ['spec', 'template', 'metadata', 'labels'], value: 'app=web', readers: ['network-policy'], problem: 'expected a mapping, got a string' },
  { what: 'selector.matchLabels a string', document: 0, path: ['spec', 'selector', 'matchLabels'], value: 'app=web', readers: ['anti-affinity', 'network-policy'], problem: 'expected a mapping, got a string' },
  { what: 'selector a string', document: 0, path: ['spec', 'selector'], value: 'app=web', readers: ['anti-affinity', 'network-policy'], problem: 'expected a mapping, got a string' },
  { what: 'replicas a string', document: 0, path: ['spec', 'replicas'], value: '2', readers: ['anti-affinity'], problem: 'expected a whole number ≥ 0, got a string ("2")', dropHpa: true },
  { what: 'pod template a list', document: 0, path: ['spec', 'template'], value: ['spec'], readers: ['security-context', 'inject-env', 'anti-affinity', 'network-policy', 'reloader'], problem: 'expected a pod template (a mapping), got a list' },
  { what: 'pod spec a string', document: 0, path: [...POD], value: 'containers', readers: ['security-context', 'inject-env', 'anti-affinity', 'network-policy', 'reloader'], problem: 'expected a pod spec (a mapping), got a string' },
  { what: 'Service ports not a list', document: 1, path: ['spec', 'ports'], value: { http: 80 }, readers: ['network-policy'], problem: 'expected a list, got a mapping' },
  { what: 'Service port a string', document: 1, path: ['spec', 'ports', 0, 'port'], value: '80', readers: ['network-policy'], problem: 'expected a port number, got a string ("80")' },
  { what: 'Service targetPort a fraction', document: 1, path: ['spec', 'ports', 0, 'targetPort'], value: 1.5, readers: ['network-policy'], problem: 'expected a port number or name, got a number (1.5)' },
  { what: 'Service selector a list', document: 1, path: ['spec', 'selector'], value: ['app'], readers: ['network-policy'], problem: 'expected a mapping, got a list' },
  { what: 'ConfigMap data a list', document: 2, path: ['data'], value: ['a'], readers: ['inject-env', 'reloader'], problem: 'expected a mapping, got a list' },
  { what: 'Secret stringData a list', document: 3, path: ['stringData'], value: ['password'], readers: ['reloader'], problem: 'expected a mapping, got a list' },
  { what: 'HPA minReplicas a string', document: 4, path: ['spec', 'minReplicas'], value: '2', readers: ['anti-affinity'], problem: 'expected a whole number ≥ 0, got a string ("2")' },
  { what: 'HPA scaleTargetRef a string', document: 4, path: ['spec', 'scaleTargetRef'], value: 'web', readers: ['anti-affinity'], problem: 'expected a mapping, got a string' },
  { what: 'Ingress rules not a list', document: 5, path: ['spec', 'rules'], value: { host: 'x' }, readers: ['network-policy'], problem: 'expected a list, got a mapping' },
  { what: 'Ingress backend.service a string', document: 5, path: ['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service'], value: 'web', readers: ['network-policy'], problem: 'expected a mapping, got a string' },
];

const wrongTypeCases: BadInputCase[] = WRONG_TYPES.flatMap((wrong) =>
  [...wrong.readers, 'prod pipeline' as const].map((target) => ({
    name: `${wrong.what} → ${target}`,
    category: 'wrong type' as const,
    args: TARGETS[target],
    input: baseWith(wrong.document, wrong.path, wrong.value, { dropHpa: wrong.dropHpa ?? false }),
    status: 2 as const,
    names: [`document ${wrong.document}`, RESOURCE_NAMES[wrong.document] as string, `${formatField(wrong.path)}: ${wrong.problem}`],
  })),
);

// The workload's own annotations are read by reloader in auto mode (the dev overlay).
wrongTypeCases.push({
  name: 'workload annotations a list → dev pipeline (reloader auto)',
  category: 'wrong type',
  args: TARGETS['dev pipeline'],
  input: baseWith(0, ['metadata', 'annotations'], ['team']),
  status: 2,
  names: ['document 0', 'apps/v1 Deployment shop/web', 'metadata.annotations: expected a mapping, got a list'],
});

// An opt-out inside malformed annotations must not read as "no annotations": the function
// would then edit a workload its owner asked it to leave alone.
wrongTypeCases.push({
  name: 'workload annotations a list holding the opt-out → security-context enforce',
  category: 'wrong type',
  args: TARGETS['security-context'],
  input: baseWith(0, ['metadata', 'annotations'], ['krmkit.dev/skip: all']),
  status: 2,
  names: ['document 0', 'apps/v1 Deployment shop/web', 'metadata.annotations: expected a mapping, got a list'],
});

const CRONJOB = `apiVersion: v1
kind: ConfigMap
metadata: {name: first}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: {name: job, image: busybox}
`;
wrongTypeCases.push(
  ...(['security-context', 'inject-env', 'reloader', 'prod pipeline'] as const).map((target) => ({
    name: `CronJob containers a mapping → ${target}`,
    category: 'wrong type' as const,
    args: TARGETS[target],
    input: CRONJOB,
    status: 2 as const,
    names: ['document 1', 'batch/v1 CronJob nightly', 'spec.jobTemplate.spec.template.spec.containers: expected a list of containers, got a mapping'],
  })),
  {
    name: 'an item of a v1 List with env a map → prod pipeline',
    category: 'wrong type',
    args: PROD,
    input: `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers:\n    - name: a\n      image: x\n      env: {A: b}\n`,
    status: 2,
    names: ['document 0', 'v1 Pod p', 'spec.containers[0].env: expected a list, got a mapping'],
  },
);

// ---------------------------------------------------------------- the other categories

const RENDERED = readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8');

function billionLaughs(): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb}', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'abcdefghi';
  for (let level = 1; level < names.length; level++) {
    const previous = names[level - 1] as string;
    lines.push(`  ${names[level] as string}: &${names[level] as string} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** A custom resource nested `depth` mappings deep (block style). */
function nested(depth: number): string {
  let text = 'apiVersion: example.com/v1\nkind: Deep\nmetadata:\n  name: deep\nspec:\n';
  for (let level = 1; level <= depth; level++) text += `${'  '.repeat(level)}level${level}:\n`;
  return `${text}${'  '.repeat(depth + 1)}leaf: true\n`;
}

/** `megabytes` of a ConfigMap stream, produced chunk by chunk. */
function* largeStream(megabytes: number): Generator<Buffer> {
  const chunk = Buffer.from(Array.from({ length: 1000 }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  key: ${'x'.repeat(930)}\n`).join(''));
  for (let written = 0; written < megabytes * 1e6; written += chunk.length) yield chunk;
}

/** One Deployment, then a ConfigMap holding `megabytes` in one block scalar. */
function* largeDocument(megabytes: number): Generator<Buffer> {
  yield Buffer.from('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  big: |\n');
  const chunk = Buffer.from(`    ${'x'.repeat(95)}\n`.repeat(10_000));
  for (let written = 0; written < megabytes * 1e6; written += chunk.length) yield chunk;
}

/**
 * `megabytes` streamed to stdin over a size limit (given with --max-input-bytes, or the
 * default): refused with exit 2, naming the limit and the flag, within `withinMs` — long
 * before the whole stream could have been read.
 */
function refusedEarly(megabytes: number, limit: { mebibytes: number; given: boolean }, withinMs: number): BadInputCase {
  return {
    name: `${megabytes} MB streamed to stdin with ${limit.given ? `--max-input-bytes ${limit.mebibytes} MiB` : `the default limit (${limit.mebibytes} MiB)`}: refused early`,
    category: 'size limit',
    args: limit.given ? [...PROD, '--max-input-bytes', String(limit.mebibytes * 1024 * 1024)] : PROD,
    input: () => largeStream(megabytes),
    status: 2,
    names: [`larger than the limit of ${limit.mebibytes} MiB`, '--max-input-bytes'],
    check: (run) => {
      expect(run.ms).toBeLessThan(withinMs);
    },
    timeoutMs: withinMs * 3,
  };
}

const STREAM_WITH_CR = RENDERED.replace(/\n/g, '\r\n');
const RESOURCE_LIST_WITH_RESULTS = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers:
        - name: web
          image: nginx
          securityContext: {privileged: true}
functionConfig:
  apiVersion: krmkit.dev/v1alpha1
  kind: SecurityContext
  mode: audit
results:
- message: a stale error from an earlier function
  severity: error
- message: a stale warning
  severity: warning
`;

const otherCases: BadInputCase[] = [
  // YAML syntax
  { name: 'malformed YAML: an unclosed flow mapping', category: 'yaml syntax', args: PROD, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n', status: 2, names: ['document 0', 'line 4', 'malformed YAML'] },
  { name: 'malformed YAML in the third document', category: 'yaml syntax', args: PROD, input: `${RENDERED.split('---').slice(0, 3).join('---')}---\nkind: ConfigMap\n  metadata: x\n`, status: 2, names: ['document 2', 'malformed YAML'] },
  { name: 'tabs for indentation', category: 'yaml syntax', args: PROD, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n', status: 2, names: ['document 0', 'line 4', 'tab'] },
  { name: 'duplicate keys', category: 'yaml syntax', args: PROD, input: 'apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n', status: 2, names: ['document 1', 'line 8', 'duplicated mapping key'] },
  { name: 'an unclosed quoted string', category: 'yaml syntax', args: PROD, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "x\n', status: 2, names: ['document 0', 'malformed YAML'] },
  // Not an object
  { name: 'a scalar where a mapping belongs (document)', category: 'not an object', args: PROD, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\njust a string\n', status: 2, names: ['document 1', 'expected a Kubernetes object (a mapping), got a string ("just a string")'] },
  { name: 'a list where a mapping belongs (document)', category: 'not an object', args: PROD, input: '- apiVersion: v1\n  kind: ConfigMap\n', status: 2, names: ['document 0', 'expected a Kubernetes object (a mapping), got a list'] },
  { name: 'a scalar where metadata belongs', category: 'not an object', args: PROD, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: web\n', status: 2, names: ['document 0', 'ConfigMap', 'metadata: expected a mapping, got a string'] },
  { name: 'ResourceList items not a list', category: 'envelope', args: PROD, input: 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: {a: b}\n', status: 2, names: ['document 0', 'ResourceList', 'items: expected a list, got a mapping'] },
  { name: 'a ResourceList item that is a scalar', category: 'envelope', args: PROD, input: 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- hello\n', status: 2, names: ['document 1', 'items[1]: expected a Kubernetes object (a mapping), got a string'] },
  // Identity
  { name: 'missing apiVersion', category: 'identity', args: PROD, input: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: ConfigMap\nmetadata:\n  name: x\n', status: 2, names: ['document 1', 'ConfigMap x', 'apiVersion: missing apiVersion'] },
  { name: 'missing kind', category: 'identity', args: PROD, input: 'apiVersion: v1\nmetadata:\n  name: x\n', status: 2, names: ['document 0', 'x', 'kind: missing kind'] },
  { name: 'kind a number', category: 'identity', args: PROD, input: 'apiVersion: v1\nkind: 7\nmetadata:\n  name: x\n', status: 2, names: ['document 0', 'kind: kind must be a non-empty string, got a number (7)'] },
  { name: 'a List item without kind', category: 'identity', args: PROD, input: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  metadata: {name: x}\n', status: 2, names: ['document 0', 'items[0].kind: missing kind'] },
  // Config
  { name: 'security-context: unknown option (typo)', category: 'config', args: ['security-context', '--config', configFile('c1.yaml', `${V1}kind: SecurityContext\nprofil: restricted\n`)], input: RENDERED, status: 2, names: ['profil', 'did you mean "profile"?'] },
  { name: 'security-context: a value not in the enum', category: 'config', args: ['security-context', '--config', configFile('c2.yaml', `${V1}kind: SecurityContext\nmode: enforced\n`)], input: RENDERED, status: 2, names: ['mode', '"enforced" is not one of fill, enforce, audit', 'did you mean "enforce"?'] },
  { name: 'security-context: a string where an integer belongs', category: 'config', args: ['security-context', '--config', configFile('c3.yaml', `${V1}kind: SecurityContext\nrunAsUser: "1000"\n`)], input: RENDERED, status: 2, names: ['runAsUser', 'expected a whole number, got a string ("1000")'] },
  { name: 'inject-env: mistyped field in an env entry', category: 'config', args: ['inject-env', '--config', configFile('c4.yaml', `${V1}kind: InjectEnv\nenv: [{name: A, vaule: x}]\n`)], input: RENDERED, status: 2, names: ['env[0].vaule', 'did you mean "value"?'] },
  { name: 'anti-affinity: mistyped field in a term', category: 'config', args: ['anti-affinity', '--config', configFile('c5.yaml', `${V1}kind: AntiAffinity\npreferred: [{topologykey: x}]\n`)], input: RENDERED, status: 2, names: ['preferred[0].topologykey', 'did you mean "topologyKey"?'] },
  { name: 'anti-affinity: a word where an integer belongs', category: 'config', args: ['anti-affinity', '--config', configFile('c6.yaml', `${V1}kind: AntiAffinity\nminReplicas: two\n`)], input: RENDERED, status: 2, names: ['minReplicas', 'expected a whole number, got a string ("two")'] },
  { name: 'network-policy: unknown option (typo)', category: 'config', args: ['network-policy', '--config', configFile('c7.yaml', `${V1}kind: NetworkPolicies\nalowDNS: true\n`)], input: RENDERED, status: 2, names: ['alowDNS', 'did you mean "allowDNS"?'] },
  { name: 'network-policy: a direction in the wrong case', category: 'config', args: ['network-policy', '--config', configFile('c8.yaml', `${V1}kind: NetworkPolicies\ndefaultDeny: [ingress]\n`)], input: RENDERED, status: 2, names: ['defaultDeny[0]', 'did you mean "Ingress"?'] },
  { name: 'reloader: a value not in the enum', category: 'config', args: ['reloader', '--config', configFile('c9.yaml', `${V1}kind: Reloader\nmode: checksums\n`)], input: RENDERED, status: 2, names: ['mode', 'did you mean "checksum"?'] },
  { name: 'reloader: unknown option (typo)', category: 'config', args: ['reloader', '--config', configFile('c10.yaml', `${V1}kind: Reloader\nignroe: [x]\n`)], input: RENDERED, status: 2, names: ['ignroe', 'did you mean "ignore"?'] },
  { name: 'pipeline: a step of an unknown kind', category: 'config', args: ['run', configFile('p1.yaml', `${V1}kind: Pipeline\nsteps:\n- kind: SecurityContexts\n`)], input: RENDERED, status: 2, names: ['steps[0].kind', 'did you mean "SecurityContext"?'] },
  { name: 'pipeline: a mistyped top-level field', category: 'config', args: ['run', configFile('p2.yaml', `${V1}kind: Pipeline\nstep:\n- kind: SecurityContext\n`)], input: RENDERED, status: 2, names: ['step', 'did you mean "steps"?'] },
  { name: 'pipeline: a mistyped option in a step', category: 'config', args: ['run', configFile('p3.yaml', `${V1}kind: Pipeline\nsteps:\n- kind: SecurityContext\n  mod: enforce\n`)], input: RENDERED, status: 2, names: ['steps[0]', 'mod', 'did you mean "mode"?'] },
  { name: 'CLI: a mistyped flag', category: 'config', args: ['security-context', '--profil', 'restricted'], input: RENDERED, status: 2, names: ['profil', 'did you mean --profile?'] },
  { name: 'ResourceList: ConfigMap functionConfig naming a function with a typo', category: 'config', args: [], input: 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  data: {function: security-contxt}\n', status: 2, names: ['functionConfig.data.function', 'did you mean "security-context"?'] },
  // Resource exhaustion
  { name: 'an alias bomb (billion laughs)', category: 'resource exhaustion', args: PROD, input: billionLaughs(), status: 2, names: ['document 0', 'alias'] },
  {
    name: '50-level nesting in a custom resource passes through untouched',
    category: 'resource exhaustion',
    args: PROD,
    input: nested(50),
    status: 0,
    check: (run, input) => {
      expect(run.stdout.startsWith(input)).toBe(true);
    },
  },
  { name: '50-level nested lists where containers belong', category: 'resource exhaustion', args: PROD, input: `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: ${'['.repeat(50)}${']'.repeat(50)}\n`, status: 2, names: ['document 0', 'v1 Pod p', 'spec.containers[0]'] },
  { name: '100,000-level nesting', category: 'resource exhaustion', args: PROD, input: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nextra: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, status: 2, names: ['document 0', 'nesting'] },
  // Size limit
  refusedEarly(200, { mebibytes: 100, given: true }, 20_000),
  refusedEarly(300, { mebibytes: 256, given: false }, 30_000),
  {
    // Decision: the limit guards memory, it is not a correctness boundary, so a raised limit
    // must give a complete, correct result (≈1.3 GB RSS, ~2 s for 200 MB on a laptop).
    name: '200 MB streamed to stdin with --max-input-bytes raised to 512 MiB: succeeds completely',
    category: 'size limit',
    args: ['security-context', '--max-input-bytes', String(512 * 1024 * 1024)],
    input: () => largeDocument(200),
    status: 0,
    check: (run) => {
      expect(run.stdout.length).toBeGreaterThan(200e6);
      expect(run.stdout).toContain('allowPrivilegeEscalation: false');
      expect(run.stdout.endsWith(`    ${'x'.repeat(95)}\n`)).toBe(true);
    },
    timeoutMs: 90_000,
  },
  // Binary
  { name: 'binary garbage with NUL bytes', category: 'binary', args: PROD, input: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]), status: 2, names: ['not valid UTF-8'] },
  { name: 'binary garbage: invalid UTF-8 without NUL', category: 'binary', args: PROD, input: Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('\n')]), status: 2, names: ['not valid UTF-8'] },
  { name: 'a NUL byte in otherwise valid text', category: 'binary', args: PROD, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  a: "x\u0000y"\n', status: 2, names: ['line 5', 'NUL byte'] },
  // Truncated
  { name: 'base/rendered.yaml cut inside a quoted string', category: 'truncated', args: PROD, input: RENDERED.slice(0, RENDERED.indexOf('"change-me"') + 4), status: 2, names: ['document 0', 'malformed YAML'] },
  { name: 'base/rendered.yaml cut inside a flow mapping', category: 'truncated', args: PROD, input: `${RENDERED}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cut, labels: {a: b`, status: 2, names: [`document ${(RENDERED.match(/^---$/gm) ?? []).length}`, 'malformed YAML'] },
  // Envelope and encoding: accepted
  {
    name: 'a ResourceList that already carries results: they are replaced by this run’s',
    category: 'envelope',
    args: [],
    input: RESOURCE_LIST_WITH_RESULTS,
    status: 0,
    check: (run) => {
      const list = load(run.stdout) as { results: { message: string; tags?: Record<string, string> }[] };
      expect(list.results.length).toBeGreaterThan(0);
      expect(list.results.map((result) => result.message)).not.toContain('a stale error from an earlier function');
      expect(list.results.map((result) => result.message)).not.toContain('a stale warning');
      for (const result of list.results) expect(result.tags?.function).toBe('security-context');
      expect(list.results.map((result) => result.message)).toContain('restricted: privileged must not be true');
    },
  },
  {
    name: 'CRLF line endings: succeeds and keeps CRLF',
    category: 'encoding',
    args: PROD,
    input: STREAM_WITH_CR,
    status: 0,
    check: (run, input) => {
      expect(run.stdout).not.toMatch(/[^\r]\n/);
      expect(run.stdout.startsWith(input.slice(0, input.indexOf('kind: Deployment')))).toBe(true);
      expect(objectsOf(run.stdout).length).toBeGreaterThan(objectsOf(input).length);
    },
  },
  {
    name: 'a UTF-8 byte-order mark: succeeds and keeps it',
    category: 'encoding',
    args: PROD,
    input: `\uFEFF${RENDERED}`,
    status: 0,
    check: (run, input) => {
      expect(run.stdout.charCodeAt(0)).toBe(0xfeff);
      expect(run.stdout.startsWith(input.slice(0, input.indexOf('kind: Deployment')))).toBe(true);
    },
  },
  {
    name: 'BOM and CRLF together, through a function that changes nothing: byte-identical',
    category: 'encoding',
    args: ['security-context', '--mode', 'audit'],
    input: `\uFEFF${STREAM_WITH_CR}`,
    status: 0,
    check: (run, input) => {
      expect(run.stdout).toBe(input);
    },
  },
];

const CASES: BadInputCase[] = [...wrongTypeCases, ...otherCases];

describe('bad input through the bundled CLI', () => {
  it('covers every category of the issue', () => {
    const categories = new Set(CASES.map((row) => row.category));
    for (const category of ['yaml syntax', 'not an object', 'identity', 'wrong type', 'config', 'resource exhaustion', 'size limit', 'binary', 'truncated', 'envelope', 'encoding']) {
      expect(categories).toContain(category);
    }
    for (const target of Object.keys(TARGETS).filter((name) => name !== 'dev pipeline')) {
      expect(wrongTypeCases.some((row) => row.name.endsWith(`→ ${target}`))).toBe(true);
    }
    console.log(`[bad-input] ${CASES.length} cases (${wrongTypeCases.length} wrong-type)`);
  });

  it.concurrent.each(CASES.map((row) => [`${row.category}: ${row.name}`, row] as const))('%s', async (_, row) => {
    const input = typeof row.input === 'function' ? row.input() : row.input;
    const run = await runCliStreaming(row.args, input, { timeoutMs: row.timeoutMs ?? 30_000 });
    expect(run.stderr, 'exit code 3 is a krmkit bug').not.toContain('internal error');
    expect(run.status, run.stderr).not.toBe(3);
    expect(run.status, run.stderr).toBe(row.status);
    if (row.status !== 0) {
      expect(run.stdout, 'nothing on stdout when the run fails').toBe('');
      for (const name of row.names ?? []) expect(run.stderr).toContain(name);
    }
    const text = typeof row.input === 'string' ? row.input : Buffer.isBuffer(row.input) ? row.input.toString('utf8') : '';
    row.check?.(run, text);
  });

  it('base/rendered.yaml cut at any line fails cleanly or succeeds with exactly the objects that survived', async () => {
    const lines = RENDERED.split('\n');
    const cuts = Array.from({ length: 24 }, (_, index) => Math.floor(((index + 1) * lines.length) / 25));
    // A YAML stream has no end marker: a cut at a line end can be a valid, shorter stream.
    // krmkit cannot know; the guarantees are no crash, no partial output on failure, and a
    // complete result for whatever was given.
    for (const cut of cuts) {
      const input = `${lines.slice(0, cut).join('\n')}\n`;
      const run = await runCliStreaming(PROD, input);
      expect(run.status, run.stderr).not.toBe(3);
      expect([0, 1, 2]).toContain(run.status);
      if (run.status === 0) {
        const inputKinds = objectsOf(input).map((object) => `${String(object.kind)}`);
        expect(objectsOf(run.stdout).slice(0, inputKinds.length).map((object) => String(object.kind))).toEqual(inputKinds);
      } else {
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/document \d+/);
      }
    }
  });
});

import { dump } from 'js-yaml';
import { documentsOf, type KubeObject } from '../../helpers/objects.js';
import { barePods, type BarePod } from './bare-pods.js';
import type { ApiServer } from './harness.js';
import { parseViolations, violationList, type Violation } from './verdicts.js';

/**
 * A stream judged by the API server, the way a cluster would judge it at install time:
 * every object server-side applied with --dry-run=server and strict field validation
 * (unknown or duplicate fields are errors, not warnings), and every pod template created as
 * a bare Pod with --dry-run=server in namespaces that *enforce* the profile.
 */
export type Profile = 'baseline' | 'restricted';

export interface PodVerdict {
  workload: string;
  admitted: boolean;
  violations: Violation[];
  /** The server's own words, for failure messages. */
  message: string;
}

export interface StreamVerdict {
  objects: number;
  accepted: number;
  /** Error lines of the apply (one or more per rejected object). */
  rejections: string[];
  /** PodSecurity warnings the apply printed for workloads (`Warning: would violate …`). */
  warnings: string[];
  pods: PodVerdict[];
}

export const FIELD_MANAGER = 'krmkit-suite';
const PSA = 'pod-security.kubernetes.io';

export function namespaceLabels(profile: Profile): Record<string, string> {
  return { [`${PSA}/enforce`]: profile, [`${PSA}/enforce-version`]: 'latest', [`${PSA}/warn`]: profile, [`${PSA}/warn-version`]: 'latest' };
}

function stream(objects: readonly unknown[]): string {
  return objects.map((object) => `---\n${dump(object, { noRefs: true, lineWidth: -1 })}`).join('');
}

function isCrd(object: KubeObject): boolean {
  return object.kind === 'CustomResourceDefinition';
}

function namespaceOf(object: KubeObject): string | undefined {
  const namespace = (object.metadata as { namespace?: unknown } | undefined)?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

/**
 * Labels every namespace the stream uses (and the default one) with the profile, applies
 * its CRDs for real so its custom resources can be judged, then judges it.
 */
export async function judgeStream(server: ApiServer, text: string, options: { namespace: string; profile: Profile }): Promise<StreamVerdict> {
  const objects = documentsOf(text);
  const namespaces = new Set([options.namespace, ...objects.map(namespaceOf).filter((namespace): namespace is string => namespace !== undefined)]);
  await Promise.all([...namespaces].map((namespace) => server.createNamespace(namespace, namespaceLabels(options.profile))));
  await applyCrds(server, objects.filter(isCrd));
  const placed = withNamespace(objects, options.namespace, await clusterScopedKinds(server));

  const apply = await server.kubectl(
    ['apply', '--server-side', '--dry-run=server', '--validate=strict', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-o', 'name', '-f', '-'],
    { input: stream(placed) },
  );
  const stderr = apply.stderr.split('\n').filter((line) => line.trim() !== '');
  const warnings = stderr.filter((line) => line.startsWith('Warning:'));
  const rejections = stderr.filter((line) => !line.startsWith('Warning:'));
  const accepted = apply.stdout.split('\n').filter((line) => line.trim() !== '').length;
  if (apply.code !== 0 && rejections.length === 0) rejections.push(`kubectl apply exited ${apply.code} without an error line`);
  return { objects: objects.length, accepted, rejections, warnings, pods: await judgePods(server, barePods(placed)) };
}

/** `group/Kind` of every cluster-scoped type the server serves (CRDs included once established). */
async function clusterScopedKinds(server: ApiServer): Promise<Set<string>> {
  const list = await server.kubectl(['api-resources', '--namespaced=false', '--no-headers']);
  if (list.code !== 0) throw new Error(`kubectl api-resources failed:\n${list.stderr}`);
  return new Set(
    list.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((columns) => columns.length >= 4)
      .map((columns) => `${groupOf(columns[columns.length - 3] as string)}/${columns[columns.length - 1] as string}`),
  );
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

/**
 * What `helm -n` does for a chart: namespaced objects that name no namespace get the
 * release's. (`kubectl -n` would refuse the objects that name another one.)
 */
function withNamespace(objects: readonly KubeObject[], namespace: string, clusterScoped: ReadonlySet<string>): KubeObject[] {
  return objects.map((object) => {
    const metadata = (object.metadata ?? {}) as Record<string, unknown>;
    if (namespaceOf(object) !== undefined || clusterScoped.has(`${groupOf(String(object.apiVersion))}/${String(object.kind)}`)) return object;
    return { ...object, metadata: { ...metadata, namespace } };
  });
}

async function applyCrds(server: ApiServer, crds: readonly KubeObject[]): Promise<void> {
  if (crds.length === 0) return;
  const apply = await server.kubectl(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', '-'], { input: stream(crds) });
  if (apply.code !== 0) throw new Error(`applying the stream's CRDs failed:\n${apply.stderr}`);
  const names = crds.map((crd) => `crd/${String((crd.metadata as { name: string }).name)}`);
  const wait = await server.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...names]);
  if (wait.code !== 0) throw new Error(`the stream's CRDs did not become established:\n${wait.stderr}`);
}

/**
 * One `kubectl create --dry-run=server` for all pods: the server's error for a refused pod
 * names it (`pods "deployment-x" is forbidden: violates PodSecurity …`), so verdicts are
 * matched back to their workloads by pod name and namespace.
 */
async function judgePods(server: ApiServer, pods: readonly BarePod[]): Promise<PodVerdict[]> {
  if (pods.length === 0) return [];
  const create = await server.kubectl(['create', '--dry-run=server', '-o', 'name', '-f', '-'], { input: stream(pods.map((pod) => pod.pod)) });
  const admitted = new Set(create.stdout.split('\n').map((line) => line.trim().replace(/^pod\//, '')));
  const errors = create.stderr.split('\n').filter((line) => line.startsWith('Error from server'));
  return pods.map((pod) => {
    const name = pod.pod.metadata.name;
    const error = errors.find((line) => line.includes(`pods "${name}"`));
    const verdict = error ? violationList(error) : undefined;
    if (!error && !admitted.has(name)) {
      return { workload: pod.workload, admitted: false, violations: [], message: `neither admitted nor refused by name:\n${create.stderr}` };
    }
    return { workload: pod.workload, admitted: !error, violations: verdict ? parseViolations(verdict.list) : [], message: error ?? 'admitted' };
  });
}

/**
 * Only the bare-Pod check, in namespaces that already exist: for streams whose objects were
 * applied some other way (Helm hooks). Workloads are namespaced, so those naming none get
 * `namespace`.
 */
export function judgeBarePods(server: ApiServer, text: string, namespace: string): Promise<PodVerdict[]> {
  const objects = documentsOf(text).map((object) => (namespaceOf(object) ? object : { ...object, metadata: { ...(object.metadata as object), namespace } }));
  return judgePods(server, barePods(objects));
}

/** Only the bare-Pod check, with the stream's namespaces labelled first (what audit is compared with). */
export async function judgePodTemplates(server: ApiServer, text: string, options: { namespace: string; profile: Profile }): Promise<PodVerdict[]> {
  const namespaces = new Set([options.namespace, ...documentsOf(text).map(namespaceOf).filter((namespace): namespace is string => namespace !== undefined)]);
  await Promise.all([...namespaces].map((namespace) => server.createNamespace(namespace, namespaceLabels(options.profile))));
  return judgeBarePods(server, text, options.namespace);
}

/** A readable line per refused pod, for assertion messages. */
export function refusals(verdict: StreamVerdict): string[] {
  return verdict.pods.filter((pod) => !pod.admitted).map((pod) => `${pod.workload}: ${pod.message}`);
}

import { CORE_SCHEMA, load } from 'js-yaml';
import { KRMKIT_BIN } from '../../helpers/cli.js';
import { documentsOf, type KubeObject } from '../../helpers/objects.js';
import { run } from '../process.js';
import { workloadId } from './bare-pods.js';
import type { Profile, PodVerdict } from './judge.js';
import type { Violation } from './verdicts.js';

/**
 * krmkit's `security-context --mode audit` findings and the API server's PodSecurity
 * verdicts, both brought to the same form so they can be compared one for one:
 *   "<workload> <control>: <what it names>"
 * where the control is the server's label (`allowPrivilegeEscalation != false`, `host
 * namespaces` …) and what it names is the containers, volumes, `pod` or `annotations` the
 * finding is about. A finding on the pod's own securityContext is `pod`: the server words
 * the same thing "pod or containers "a", "b" must set …", and setting it on the pod is the
 * one fix for all of them.
 */
export type Key = string;

const CONTROL_OF_MESSAGE: readonly [RegExp, string][] = [
  [/^(hostNetwork|hostPID|hostIPC) must not be true/, 'host namespaces'],
  [/^hostProcess must not be true/, 'hostProcess'],
  [/^privileged must not be true/, 'privileged'],
  [/^procMount must be Default/, 'procMount'],
  [/^hostPort is not allowed/, 'hostPort'],
  [/^SELinux /, 'seLinuxOptions'],
  [/^(appArmorProfile\.type must not be Unconfined|AppArmor profile .* is not allowed)/, 'forbidden AppArmor profile'],
  [/^runAsNonRoot must/, 'runAsNonRoot != true'],
  [/^seccompProfile\.type must/, 'seccompProfile'],
  [/^runAsUser must not be 0/, 'runAsUser=0'],
  [/^hostPath volumes are not allowed/, 'hostPath volumes'],
  [/^volume type .* is not allowed/, 'restricted volume types'],
  [/^sysctl .* is not allowed/, 'forbidden sysctls'],
  [/^allowPrivilegeEscalation must be false/, 'allowPrivilegeEscalation != false'],
  [/^capabilities\.drop must include ALL/, 'unrestricted capabilities'],
  [/^probe or lifecycle host/, 'probe or lifecycle host'],
];

interface Result {
  message: string;
  resourceRef?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
  field?: { path?: string; currentValue?: unknown };
}

function controlsOf(message: string, profile: Profile): string[] {
  const text = message.replace(/^(restricted|baseline): /, '');
  const added = /^capabilities (.*) may not be added/.exec(text);
  // restricted's own checks replace baseline's: capabilities and volume types.
  if (added) return [profile === 'restricted' ? 'unrestricted capabilities' : 'non-default capabilities'];
  const control = CONTROL_OF_MESSAGE.find(([pattern]) => pattern.test(text))?.[1];
  if (!control) return [`unmapped: ${text}`];
  if (control === 'hostPath volumes' && profile === 'restricted') return ['restricted volume types'];
  return [control];
}

/**
 * What a finding's field path is about: a container by name, a volume, the pod, or the
 * pod's annotations. A legacy AppArmor annotation is also its container's: the server copies
 * it into that container's appArmorProfile when it creates the pod, and names both.
 */
function targetOf(object: KubeObject | undefined, path: string): string[] {
  const appArmor = /annotations.*container\.apparmor\.security\.beta\.kubernetes\.io\/([^"\]\s]+)/.exec(path);
  if (appArmor) return ['annotations', appArmor[1] as string];
  return [containerOrVolume(object, path)];
}

function containerOrVolume(object: KubeObject | undefined, path: string): string {
  const container = /(containers|initContainers|ephemeralContainers)\[(\d+)\]/.exec(path);
  const spec = /^(.*?)\.(containers|initContainers|ephemeralContainers|volumes)\[/.exec(path)?.[1];
  const list = (name: string): unknown[] => {
    const value = spec ? spec.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), object) : undefined;
    const entries = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
    return Array.isArray(entries) ? entries : [];
  };
  if (container) return String((list(container[1] as string)[Number(container[2])] as { name?: unknown } | undefined)?.name);
  const volume = /volumes\[(\d+)\]/.exec(path);
  if (volume) return `volume ${String((list('volumes')[Number(volume[1])] as { name?: unknown } | undefined)?.name)}`;
  return 'pod';
}

function keys(entries: Iterable<[string, string]>): Key[] {
  const targets = new Map<string, Set<string>>();
  for (const [head, target] of entries) {
    const set = targets.get(head) ?? new Set<string>();
    set.add(target);
    targets.set(head, set);
  }
  return [...targets].map(([head, set]) => `${head}: ${[...set].sort().join(', ')}`).sort();
}

/** `krmkit security-context --profile P --mode audit` in KRM function mode: findings with field paths. */
export async function auditKeys(text: string, profile: Profile, defaultNamespace: string): Promise<Key[]> {
  const items = documentsOf(text);
  const resourceList = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, functionConfig: { apiVersion: 'krmkit.dev/v1alpha1', kind: 'SecurityContext', profile, mode: 'audit' } };
  const result = await run(process.execPath, [KRMKIT_BIN], { input: JSON.stringify(resourceList) });
  if (result.status !== 0) throw new Error(`krmkit security-context --mode audit failed (exit ${result.status}):\n${result.stderr}`);
  const output = load(result.stdout, { schema: CORE_SCHEMA }) as { results?: Result[] };
  const byId = new Map(items.map((object) => [workloadId(withNamespace(object, defaultNamespace)), object]));
  const entries: [string, string][] = [];
  for (const finding of output.results ?? []) {
    const ref = finding.resourceRef ?? {};
    const workload = [ref.kind, ref.namespace ?? defaultNamespace, ref.name].join('/');
    const target = targetOf(byId.get(workload), finding.field?.path ?? '');
    for (const control of controlsOf(finding.message, profile)) for (const name of target) entries.push([`${workload} ${control}`, name]);
  }
  return keys(entries);
}

function withNamespace(object: KubeObject, namespace: string): KubeObject {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  return metadata.namespace ? object : { ...object, metadata: { ...metadata, namespace } };
}

/** What a server detail names: "pod or containers …" is the pod; otherwise its setters, containers and volumes. */
function serverTargets(violation: Violation): string[] {
  const { detail } = violation;
  if (detail.startsWith('pod or ')) return ['pod'];
  const targets = new Set<string>(violation.containers);
  if (/(^|and )pod (must|and|set)/.test(detail) || violation.control === 'host namespaces' || violation.control === 'forbidden sysctls') targets.add('pod');
  if (/(^|and )annotations? must/.test(detail)) targets.add('annotations');
  for (const match of detail.matchAll(/volumes? ((?:"[^"]*"(?:, )?)+)/g)) {
    for (const name of (match[1] as string).matchAll(/"([^"]*)"/g)) targets.add(`volume ${name[1] as string}`);
  }
  return [...targets];
}

export function serverKeys(pods: readonly PodVerdict[]): Key[] {
  const entries: [string, string][] = [];
  for (const pod of pods) {
    for (const violation of pod.violations) {
      const control = violation.control.replace(/^forbidden AppArmor profiles$/, 'forbidden AppArmor profile');
      for (const target of serverTargets(violation)) entries.push([`${pod.workload} ${control}`, target]);
    }
  }
  return keys(entries);
}

const EXPLICIT_FIRST_CONTROLS = new Set(['runAsNonRoot != true', 'seccompProfile']);

function split(key: Key): { head: string; targets: string[] } {
  const at = key.lastIndexOf(': ');
  return { head: key.slice(0, at), targets: key.slice(at + 2).split(', ') };
}

/**
 * The one difference between the two that is by design. For runAsNonRoot and seccomp, when
 * the pod or a container sets a forbidden value explicitly, the server names only those
 * setters; containers that merely lack the field are named once they are fixed, on the
 * next try. krmkit's audit names both at once (the latter as `pod`: the pod-level setting
 * that fixes them), so one audit shows everything one enforce run will change. Returns the
 * audit keys with that `pod` taken out where the server named explicit setters instead,
 * and the keys it was taken from.
 */
export function explicitSettersFirst(audited: readonly Key[], judged: readonly Key[]): { keys: Key[]; differences: Key[] } {
  const judgedByHead = new Map(judged.map((key) => [split(key).head, split(key).targets]));
  const differences: Key[] = [];
  const keys = audited.map((key) => {
    const { head, targets } = split(key);
    const control = [...EXPLICIT_FIRST_CONTROLS].find((name) => head.endsWith(` ${name}`));
    const server = judgedByHead.get(head);
    if (!control || !server || server.includes('pod') || !targets.includes('pod')) return key;
    const rest = targets.filter((target) => target !== 'pod');
    if (rest.length === 0 || rest.join(', ') !== server.join(', ')) return key;
    differences.push(key);
    return `${head}: ${rest.join(', ')}`;
  });
  return { keys: keys.sort(), differences };
}

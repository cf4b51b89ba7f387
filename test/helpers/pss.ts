/**
 * A Pod Security Standards checker, written from the definition
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/) and independently
 * of functions/security-context, so that tests can judge that function's output with a
 * second opinion instead of its own rules.
 *
 * Every control of `baseline`, and for `restricted` every baseline control plus the
 * restricted ones, over all containers (`containers`, `initContainers`,
 * `ephemeralContainers`), with the pod/container precedence the standard defines (a
 * container-level value wins; where the standard allows it, an undefined container value
 * is covered by the pod-level one) and the Windows exemptions (`spec.os.name: windows`
 * pods are exempt from Privilege Escalation, Seccomp and Capabilities under restricted).
 */

export type PssLevel = 'baseline' | 'restricted';

export type PssControl =
  | 'HostProcess'
  | 'Host Namespaces'
  | 'Privileged Containers'
  | 'Capabilities'
  | 'HostPath Volumes'
  | 'Host Ports'
  | 'AppArmor'
  | 'SELinux'
  | '/proc Mount Type'
  | 'Seccomp'
  | 'Sysctls'
  | 'Volume Types'
  | 'Privilege Escalation'
  | 'Running as Non-root'
  | 'Running as Non-root user'
  | 'Seccomp (restricted)'
  | 'Capabilities (restricted)';

export const BASELINE_CONTROLS: readonly PssControl[] = [
  'HostProcess', 'Host Namespaces', 'Privileged Containers', 'Capabilities', 'HostPath Volumes', 'Host Ports',
  'AppArmor', 'SELinux', '/proc Mount Type', 'Seccomp', 'Sysctls',
];
export const RESTRICTED_ONLY_CONTROLS: readonly PssControl[] = [
  'Volume Types', 'Privilege Escalation', 'Running as Non-root', 'Running as Non-root user', 'Seccomp (restricted)', 'Capabilities (restricted)',
];

export interface PssViolation {
  control: PssControl;
  /** Where, relative to the pod (`spec.containers[0].securityContext.privileged`). */
  field: string;
  value: unknown;
}

type Json = Record<string, unknown>;

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUME_SOURCES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function map(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

interface ContainerView {
  field: string;
  securityContext: Json;
  container: Json;
}

/** Checks one pod: its `metadata` (for AppArmor annotations) and `spec`. */
export function checkPod(metadata: unknown, spec: unknown, level: PssLevel): PssViolation[] {
  const violations: PssViolation[] = [];
  const flag = (control: PssControl, field: string, value: unknown): void => {
    violations.push({ control, field, value });
  };
  const pod = map(spec);
  const podContext = map(pod.securityContext);
  const windows = map(pod.os).name === 'windows';
  const containers: ContainerView[] = CONTAINER_LISTS.flatMap((listName) =>
    list(pod[listName]).map((entry, index) => {
      const container = map(entry);
      return { field: `spec.${listName}[${index}]`, container, securityContext: map(container.securityContext) };
    }),
  );

  // HostProcess: pod and container windowsOptions.hostProcess must be undefined or false.
  if (isSet(map(podContext.windowsOptions).hostProcess) && map(podContext.windowsOptions).hostProcess !== false) {
    flag('HostProcess', 'spec.securityContext.windowsOptions.hostProcess', map(podContext.windowsOptions).hostProcess);
  }
  for (const c of containers) {
    const hostProcess = map(c.securityContext.windowsOptions).hostProcess;
    if (isSet(hostProcess) && hostProcess !== false) flag('HostProcess', `${c.field}.securityContext.windowsOptions.hostProcess`, hostProcess);
  }

  // Host Namespaces.
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (isSet(pod[field]) && pod[field] !== false) flag('Host Namespaces', `spec.${field}`, pod[field]);
  }

  for (const c of containers) {
    const sc = c.securityContext;
    // Privileged Containers.
    if (isSet(sc.privileged) && sc.privileged !== false) flag('Privileged Containers', `${c.field}.securityContext.privileged`, sc.privileged);
    // Capabilities (baseline): only the listed ones may be added.
    list(map(sc.capabilities).add).forEach((capability, index) => {
      if (!BASELINE_CAPABILITIES.has(String(capability))) flag('Capabilities', `${c.field}.securityContext.capabilities.add[${index}]`, capability);
    });
    // Host Ports: undefined or 0.
    list(c.container.ports).forEach((port, index) => {
      const hostPort = map(port).hostPort;
      if (isSet(hostPort) && hostPort !== 0) flag('Host Ports', `${c.field}.ports[${index}].hostPort`, hostPort);
    });
    // /proc Mount Type.
    if (isSet(sc.procMount) && sc.procMount !== 'Default') flag('/proc Mount Type', `${c.field}.securityContext.procMount`, sc.procMount);
  }

  // HostPath Volumes, and (restricted) Volume Types.
  list(pod.volumes).forEach((entry, index) => {
    const volume = map(entry);
    if (isSet(volume.hostPath)) flag('HostPath Volumes', `spec.volumes[${index}].hostPath`, volume.hostPath);
    if (level === 'restricted') {
      for (const source of Object.keys(volume)) {
        if (source === 'name' || !isSet(volume[source])) continue;
        if (!RESTRICTED_VOLUME_SOURCES.has(source)) flag('Volume Types', `spec.volumes[${index}].${source}`, volume[source]);
      }
    }
  });

  // AppArmor: profile type undefined, RuntimeDefault or Localhost; legacy annotations runtime/default or localhost/*.
  const appArmorTypeOk = (type: unknown): boolean => !isSet(type) || type === 'RuntimeDefault' || type === 'Localhost';
  if (!appArmorTypeOk(map(podContext.appArmorProfile).type)) flag('AppArmor', 'spec.securityContext.appArmorProfile.type', map(podContext.appArmorProfile).type);
  for (const c of containers) {
    const type = map(c.securityContext.appArmorProfile).type;
    if (!appArmorTypeOk(type)) flag('AppArmor', `${c.field}.securityContext.appArmorProfile.type`, type);
  }
  for (const [key, value] of Object.entries(map(map(metadata).annotations))) {
    if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
    if (value !== 'runtime/default' && !(typeof value === 'string' && value.startsWith('localhost/'))) flag('AppArmor', `metadata.annotations["${key}"]`, value);
  }

  // SELinux: type from the allowed list; user and role not set.
  const checkSeLinux = (options: Json, field: string): void => {
    if (isSet(options.type) && !SELINUX_TYPES.has(String(options.type))) flag('SELinux', `${field}.type`, options.type);
    for (const key of ['user', 'role']) if (isSet(options[key]) && options[key] !== '') flag('SELinux', `${field}.${key}`, options[key]);
  };
  checkSeLinux(map(podContext.seLinuxOptions), 'spec.securityContext.seLinuxOptions');
  for (const c of containers) checkSeLinux(map(c.securityContext.seLinuxOptions), `${c.field}.securityContext.seLinuxOptions`);

  // Seccomp (baseline): Unconfined is forbidden anywhere.
  if (map(podContext.seccompProfile).type === 'Unconfined') flag('Seccomp', 'spec.securityContext.seccompProfile.type', 'Unconfined');
  for (const c of containers) {
    if (map(c.securityContext.seccompProfile).type === 'Unconfined') flag('Seccomp', `${c.field}.securityContext.seccompProfile.type`, 'Unconfined');
  }

  // Sysctls: only the safe set.
  list(podContext.sysctls).forEach((sysctl, index) => {
    const name = map(sysctl).name;
    if (!SAFE_SYSCTLS.has(String(name))) flag('Sysctls', `spec.securityContext.sysctls[${index}].name`, name);
  });

  if (level === 'baseline') return violations;

  // Running as Non-root: the pod sets runAsNonRoot true and no container sets false, or every container sets true.
  const podNonRoot = podContext.runAsNonRoot;
  if (isSet(podNonRoot) && podNonRoot !== true) flag('Running as Non-root', 'spec.securityContext.runAsNonRoot', podNonRoot);
  for (const c of containers) {
    const value = c.securityContext.runAsNonRoot;
    if (isSet(value) ? value !== true : podNonRoot !== true) flag('Running as Non-root', `${c.field}.securityContext.runAsNonRoot`, value);
  }

  // Running as Non-root user: runAsUser, where set, is not 0.
  if (podContext.runAsUser === 0) flag('Running as Non-root user', 'spec.securityContext.runAsUser', 0);
  for (const c of containers) if (c.securityContext.runAsUser === 0) flag('Running as Non-root user', `${c.field}.securityContext.runAsUser`, 0);

  // The rest of restricted is Linux-only: Windows pods are exempt.
  if (windows) return violations;

  // Privilege Escalation: every container sets allowPrivilegeEscalation false.
  for (const c of containers) {
    if (c.securityContext.allowPrivilegeEscalation !== false) flag('Privilege Escalation', `${c.field}.securityContext.allowPrivilegeEscalation`, c.securityContext.allowPrivilegeEscalation);
  }

  // Seccomp (restricted): RuntimeDefault or Localhost; a container may leave it undefined only when the pod sets it.
  const seccompOk = (type: unknown): boolean => type === 'RuntimeDefault' || type === 'Localhost';
  const podSeccomp = map(podContext.seccompProfile).type;
  if (isSet(podSeccomp) && !seccompOk(podSeccomp)) flag('Seccomp (restricted)', 'spec.securityContext.seccompProfile.type', podSeccomp);
  for (const c of containers) {
    const type = map(c.securityContext.seccompProfile).type;
    if (isSet(type) ? !seccompOk(type) : !seccompOk(podSeccomp)) flag('Seccomp (restricted)', `${c.field}.securityContext.seccompProfile.type`, type);
  }

  // Capabilities (restricted): drop ALL; add nothing but NET_BIND_SERVICE.
  for (const c of containers) {
    const capabilities = map(c.securityContext.capabilities);
    if (!list(capabilities.drop).includes('ALL')) flag('Capabilities (restricted)', `${c.field}.securityContext.capabilities.drop`, capabilities.drop);
    list(capabilities.add).forEach((capability, index) => {
      if (capability !== 'NET_BIND_SERVICE') flag('Capabilities (restricted)', `${c.field}.securityContext.capabilities.add[${index}]`, capability);
    });
  }
  return violations;
}

/**
 * Where each kind keeps its pod (`metadata` + `spec`), by API group and kind, independent
 * of krm/pod-template.ts. A `Deployment` of another group is not a Deployment.
 */
const POD_PATHS: Record<string, readonly string[]> = {
  '/Pod': [],
  '/PodTemplate': ['template'],
  '/ReplicationController': ['spec', 'template'],
  'apps/Deployment': ['spec', 'template'],
  'apps/StatefulSet': ['spec', 'template'],
  'apps/DaemonSet': ['spec', 'template'],
  'apps/ReplicaSet': ['spec', 'template'],
  'batch/Job': ['spec', 'template'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
  'argoproj.io/Rollout': ['spec', 'template'],
};

/** The pod of a workload object, or undefined for kinds without one (or a Rollout with workloadRef). */
export function podOf(object: Json): { metadata: unknown; spec: unknown } | undefined {
  const apiVersion = String(object.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const path = POD_PATHS[`${group}/${String(object.kind)}`];
  if (!path) return undefined;
  let node: unknown = object;
  for (const key of path) node = map(node)[key];
  const pod = map(node);
  if (!isSet(pod.spec)) return undefined;
  return { metadata: pod.metadata, spec: pod.spec };
}

/** Violations of a workload object's pod; [] for objects without a pod. */
export function checkObject(object: Json, level: PssLevel): PssViolation[] {
  const pod = podOf(object);
  return pod ? checkPod(pod.metadata, pod.spec, level) : [];
}

import { describeValue } from '../../krm/base/messages.js';
import type { ContainerRef, PodTemplate } from '../../krm/kube/pod-template.js';
import { isWindowsPod } from '../../krm/kube/pod-template.js';
import type { Path } from '../../krm/base/path.js';
import { optionalMap, optionalMapList, optionalStringList } from '../../krm/model/shape.js';
import { NON_ROOT_ID, type SecurityContextConfig } from './config.js';
import {
  ALLOWED_SECCOMP_TYPES,
  ALLOWED_SELINUX_TYPES,
  APPARMOR_ANNOTATION_PREFIX,
  BASELINE_ALLOWED_CAPABILITIES,
  RESTRICTED_ALLOWED_CAPABILITIES,
  RESTRICTED_VOLUME_TYPES,
  SAFE_SYSCTLS,
} from './pod-security-standards.js';

/**
 * One thing the function wants of a field. The mode decides what happens to it:
 * fill sets it only where absent, enforce makes it hold, audit reports violations.
 */
export interface Desire {
  path: Path;
  current: unknown;
  /** What makes it right; undefined when krmkit cannot repair it safely (a hostPath volume). */
  proposed?: unknown;
  /** The current value breaks a rule of the profile (an absent required value does too). */
  violation: boolean;
  /** A value the user configured explicitly (enforce overwrites it). */
  configured: boolean;
  message: string;
}

/** What the profile and the config want of one pod template's fields. */
export function planPodTemplate(template: PodTemplate, containers: readonly ContainerRef[], config: SecurityContextConfig): Desire[] {
  const desires: Desire[] = [];
  const resource = template.resource;
  const restricted = config.profile === 'restricted';
  const linux = !isWindowsPod(template);
  const spec = template.spec;
  const podContextPath = [...template.specPath, 'securityContext'];
  const podContext = optionalMap(resource, podContextPath, spec.securityContext) ?? {};
  const containerContexts = containers.map((container) => {
    const path = [...container.path, 'securityContext'];
    return { container, path, context: optionalMap(resource, path, container.container.securityContext) ?? {} };
  });
  requireTypes(resource, template.specPath, spec, { boolean: ['hostNetwork', 'hostPID', 'hostIPC'] });
  requireTypes(resource, podContextPath, podContext, { boolean: ['runAsNonRoot'], integer: ['runAsUser', 'runAsGroup', 'fsGroup'] });
  for (const { path, context } of containerContexts) requireTypes(resource, path, context, CONTAINER_FIELD_TYPES);
  for (const { path, context } of [{ path: podContextPath, context: podContext }, ...containerContexts]) {
    const windowsOptionsPath = [...path, 'windowsOptions'];
    requireTypes(resource, windowsOptionsPath, optionalMap(resource, windowsOptionsPath, context.windowsOptions) ?? {}, { boolean: ['hostProcess'] });
    for (const profile of ['seccompProfile', 'appArmorProfile'] as const) {
      const profilePath = [...path, profile];
      requireTypes(resource, profilePath, optionalMap(resource, profilePath, context[profile]) ?? {}, { oneOf: { type: PROFILE_TYPES } });
    }
  }

  const want = (path: Path, current: unknown, proposed: unknown, message: string, violation = true, configured = false): void => {
    desires.push({ path, current, proposed, violation, configured, message });
  };
  const cannotFix = (path: Path, current: unknown, message: string): void => {
    desires.push({ path, current, violation: true, configured: false, message });
  };

  // Host namespaces and Windows HostProcess: both profiles.
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field] === true) want([...template.specPath, field], true, false, `${config.profile}: ${field} must not be true`);
  }
  const podWindowsOptions = optionalMap(resource, [...podContextPath, 'windowsOptions'], podContext.windowsOptions);
  if (podWindowsOptions?.hostProcess === true) {
    want([...podContextPath, 'windowsOptions', 'hostProcess'], true, false, `${config.profile}: hostProcess must not be true`);
  }

  // Running as non-root (restricted): the pod says so, or every container does.
  if (restricted && podContext.runAsNonRoot !== true) {
    const everyContainer = containerContexts.length > 0 && containerContexts.every(({ context }) => context.runAsNonRoot === true);
    if (podContext.runAsNonRoot === false || !everyContainer) {
      want([...podContextPath, 'runAsNonRoot'], podContext.runAsNonRoot, true, 'restricted: runAsNonRoot must be true');
    }
  }

  // Seccomp: restricted requires RuntimeDefault or Localhost; baseline forbids Unconfined.
  if (linux) {
    const podSeccomp = optionalMap(resource, [...podContextPath, 'seccompProfile'], podContext.seccompProfile);
    const podType = podSeccomp?.type;
    if (podType === 'Unconfined') {
      want([...podContextPath, 'seccompProfile', 'type'], podType, 'RuntimeDefault', `${config.profile}: seccompProfile.type must not be Unconfined`);
    } else if (restricted && !ALLOWED_SECCOMP_TYPES.has(String(podType))) {
      const everyContainer =
        containerContexts.length > 0 &&
        containerContexts.every(({ context, path }) => ALLOWED_SECCOMP_TYPES.has(String(optionalMap(resource, [...path, 'seccompProfile'], context.seccompProfile)?.type)));
      if (podType !== undefined) {
        want([...podContextPath, 'seccompProfile', 'type'], podType, 'RuntimeDefault', 'restricted: seccompProfile.type must be RuntimeDefault or Localhost');
      } else if (!everyContainer) {
        want([...podContextPath, 'seccompProfile'], podSeccomp, { type: 'RuntimeDefault' }, 'restricted: seccompProfile.type must be RuntimeDefault or Localhost');
      }
    }
  }

  // AppArmor (both profiles): no Unconfined profile, in the field or the legacy annotation.
  if (linux) {
    const podAppArmor = optionalMap(resource, [...podContextPath, 'appArmorProfile'], podContext.appArmorProfile);
    if (podAppArmor?.type === 'Unconfined') {
      want([...podContextPath, 'appArmorProfile', 'type'], 'Unconfined', 'RuntimeDefault', `${config.profile}: appArmorProfile.type must not be Unconfined`);
    }
    const metadata = optionalMap(resource, template.metadataPath, resource.get(template.metadataPath));
    const annotationsPath = [...template.metadataPath, 'annotations'];
    for (const [key, value] of Object.entries(optionalMap(resource, annotationsPath, metadata?.annotations) ?? {})) {
      if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'))) continue;
      want([...annotationsPath, key], value, 'runtime/default', `${config.profile}: AppArmor profile ${String(value)} is not allowed`);
    }
  }
  checkSeLinux(resource, [...podContextPath, 'seLinuxOptions'], podContext.seLinuxOptions, config.profile, cannotFix);

  // Pod-level IDs: configured values, or non-root defaults for restricted. Linux only.
  if (linux) {
    for (const field of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
      const configured = config[field];
      const current = podContext[field];
      const path = [...podContextPath, field];
      if (configured !== undefined) {
        want(path, current, configured, `${field} is configured as ${configured}`, restricted && field === 'runAsUser' && current === 0, true);
      } else if (restricted) {
        if (field === 'runAsUser' && current === 0) want(path, current, NON_ROOT_ID, 'restricted: runAsUser must not be 0');
        else want(path, current, NON_ROOT_ID, `restricted: ${field} defaults to ${NON_ROOT_ID}`, false);
      }
    }
  }

  // Volumes and sysctls: violations krmkit reports but cannot repair without breaking the pod.
  const volumesPath = [...template.specPath, 'volumes'];
  (optionalMapList(resource, volumesPath, spec.volumes) ?? []).forEach((volume, index) => {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (type === 'hostPath') cannotFix([...volumesPath, index, 'hostPath'], volume.hostPath, `${config.profile}: hostPath volumes are not allowed`);
    else if (restricted && type !== undefined && !RESTRICTED_VOLUME_TYPES.has(type)) {
      cannotFix([...volumesPath, index, type], volume[type], `restricted: volume type ${type} is not allowed`);
    }
  });
  const sysctlsPath = [...podContextPath, 'sysctls'];
  (optionalMapList(resource, sysctlsPath, podContext.sysctls) ?? []).forEach((sysctl, index) => {
    if (!SAFE_SYSCTLS.has(String(sysctl.name))) cannotFix([...sysctlsPath, index, 'name'], sysctl.name, `${config.profile}: sysctl ${String(sysctl.name)} is not allowed`);
  });

  for (const { container, path, context } of containerContexts) {
    planContainer(container, path, context, { config, restricted, linux, want, cannotFix, template });
  }
  return desires;
}

const CONTAINER_FIELD_TYPES: FieldTypes = {
  boolean: ['privileged', 'allowPrivilegeEscalation', 'runAsNonRoot', 'readOnlyRootFilesystem'],
  integer: ['runAsUser', 'runAsGroup'],
  string: ['procMount'],
};

/** The values Kubernetes accepts for seccompProfile.type and appArmorProfile.type. */
const PROFILE_TYPES = ['RuntimeDefault', 'Localhost', 'Unconfined'];

interface FieldTypes {
  boolean?: readonly string[];
  integer?: readonly string[];
  string?: readonly string[];
  oneOf?: Record<string, readonly string[]>;
}

/**
 * The plan compares fields with `=== true`, `=== 0`, `=== 'Default'`: a value of another
 * type (`privileged: "true"`) or outside the API's enum (`seccompProfile.type: x`) would
 * pass as "not set" and leave the pod non-compliant, so it is refused as malformed input.
 */
function requireTypes(resource: PodTemplate['resource'], path: Path, object: Record<string, unknown>, types: FieldTypes): void {
  const check = (fields: readonly string[] | undefined, ok: (value: unknown) => boolean, expected: string): void => {
    for (const field of fields ?? []) {
      const value = object[field];
      if (value !== undefined && value !== null && !ok(value)) throw resource.errorAt([...path, field], `expected ${expected}, got ${describeValue(value)}`);
    }
  };
  check(types.boolean, (value) => typeof value === 'boolean', 'true or false');
  check(types.integer, (value) => Number.isInteger(value), 'a whole number');
  check(types.string, (value) => typeof value === 'string', 'a string');
  for (const [field, allowed] of Object.entries(types.oneOf ?? {})) check([field], (value) => allowed.includes(value as string), `one of ${allowed.join(', ')}`);
}

/** SELinux (both profiles): an allowed type, no user or role. Changing a label could lock the pod out of its files, so it is reported, not repaired. */
function checkSeLinux(resource: PodTemplate['resource'], path: Path, value: unknown, profile: string, cannotFix: (path: Path, current: unknown, message: string) => void): void {
  const options = optionalMap(resource, path, value);
  if (!options) return;
  if (options.type !== undefined && options.type !== null && !ALLOWED_SELINUX_TYPES.has(String(options.type))) {
    cannotFix([...path, 'type'], options.type, `${profile}: SELinux type ${String(options.type)} is not allowed`);
  }
  for (const field of ['user', 'role'] as const) {
    if (options[field] !== undefined && options[field] !== null && options[field] !== '') cannotFix([...path, field], options[field], `${profile}: SELinux ${field} must not be set`);
  }
}

/**
 * Probes and lifecycle handlers must not name a `host` (baseline since Kubernetes 1.34: a
 * kubelet probing another address can be pointed at anything on the node's network). Not
 * repaired: without the host the probe checks the pod itself, a different check.
 */
const PROBE_HANDLERS: readonly (readonly string[])[] = [
  ['livenessProbe'],
  ['readinessProbe'],
  ['startupProbe'],
  ['lifecycle', 'postStart'],
  ['lifecycle', 'preStop'],
];

function checkProbeHosts(container: ContainerRef, profile: string, cannotFix: (path: Path, current: unknown, message: string) => void, resource: PodTemplate['resource']): void {
  for (const handlerPath of PROBE_HANDLERS) {
    let path: Path = container.path;
    let handler: Record<string, unknown> | undefined = container.container;
    for (const key of handlerPath) {
      path = [...path, key];
      handler = optionalMap(resource, path, handler?.[key]);
    }
    for (const action of ['httpGet', 'tcpSocket'] as const) {
      const host = optionalMap(resource, [...path, action], handler?.[action])?.host;
      if (host !== undefined && host !== null && host !== '') cannotFix([...path, action, 'host'], host, `${profile}: probe or lifecycle host must not be set (${String(host)})`);
    }
  }
}

interface ContainerPlanning {
  config: SecurityContextConfig;
  restricted: boolean;
  linux: boolean;
  template: PodTemplate;
  want: (path: Path, current: unknown, proposed: unknown, message: string, violation?: boolean, configured?: boolean) => void;
  cannotFix: (path: Path, current: unknown, message: string) => void;
}

function planContainer(container: ContainerRef, contextPath: Path, context: Record<string, unknown>, planning: ContainerPlanning): void {
  const { config, restricted, linux, want, cannotFix, template } = planning;
  const resource = template.resource;
  const profile = config.profile;
  if (context.privileged === true) want([...contextPath, 'privileged'], true, false, `${profile}: privileged must not be true`);
  const windowsOptions = optionalMap(resource, [...contextPath, 'windowsOptions'], context.windowsOptions);
  if (windowsOptions?.hostProcess === true) want([...contextPath, 'windowsOptions', 'hostProcess'], true, false, `${profile}: hostProcess must not be true`);
  if (context.procMount !== undefined && context.procMount !== null && context.procMount !== 'Default') {
    want([...contextPath, 'procMount'], context.procMount, 'Default', `${profile}: procMount must be Default`);
  }
  const portsPath = [...container.path, 'ports'];
  (optionalMapList(resource, portsPath, container.container.ports) ?? []).forEach((port, index) => {
    if (port.hostPort !== undefined && port.hostPort !== null && port.hostPort !== 0) {
      cannotFix([...portsPath, index, 'hostPort'], port.hostPort, `${profile}: hostPort is not allowed`);
    }
  });
  checkSeLinux(resource, [...contextPath, 'seLinuxOptions'], context.seLinuxOptions, profile, cannotFix);
  checkProbeHosts(container, profile, cannotFix, resource);
  if (linux && optionalMap(resource, [...contextPath, 'appArmorProfile'], context.appArmorProfile)?.type === 'Unconfined') {
    want([...contextPath, 'appArmorProfile', 'type'], 'Unconfined', 'RuntimeDefault', `${profile}: appArmorProfile.type must not be Unconfined`);
  }
  if (restricted && context.runAsNonRoot === false) want([...contextPath, 'runAsNonRoot'], false, true, 'restricted: runAsNonRoot must not be false');

  if (linux) {
    const seccomp = optionalMap(resource, [...contextPath, 'seccompProfile'], context.seccompProfile);
    if (seccomp?.type === 'Unconfined') want([...contextPath, 'seccompProfile', 'type'], 'Unconfined', 'RuntimeDefault', `${profile}: seccompProfile.type must not be Unconfined`);
    if (restricted && context.runAsUser === 0) want([...contextPath, 'runAsUser'], 0, config.runAsUser || NON_ROOT_ID, 'restricted: runAsUser must not be 0');

    const capabilitiesPath = [...contextPath, 'capabilities'];
    const capabilities = optionalMap(resource, capabilitiesPath, context.capabilities) ?? {};
    const added = optionalStringList(resource, [...capabilitiesPath, 'add'], capabilities.add);
    if (added) {
      const allowed = restricted ? RESTRICTED_ALLOWED_CAPABILITIES : BASELINE_ALLOWED_CAPABILITIES;
      const kept = added.filter((capability) => allowed.has(capability.replace(/^CAP_/, '')));
      if (kept.length !== added.length) {
        const removed = added.filter((capability) => !kept.includes(capability));
        want([...capabilitiesPath, 'add'], added, kept, `${profile}: capabilities ${removed.join(', ')} may not be added`);
      }
    }
    if (restricted) {
      if (context.allowPrivilegeEscalation !== false) {
        want([...contextPath, 'allowPrivilegeEscalation'], context.allowPrivilegeEscalation, false, 'restricted: allowPrivilegeEscalation must be false');
      }
      const dropped = optionalStringList(resource, [...capabilitiesPath, 'drop'], capabilities.drop);
      if (!dropped?.includes('ALL')) {
        want([...capabilitiesPath, 'drop'], dropped, [...(dropped ?? []), 'ALL'], 'restricted: capabilities.drop must include ALL');
      }
    }
  }
  if (config.readOnlyRootFilesystem !== undefined && linux) {
    want([...contextPath, 'readOnlyRootFilesystem'], context.readOnlyRootFilesystem, config.readOnlyRootFilesystem, `readOnlyRootFilesystem is configured as ${config.readOnlyRootFilesystem}`, false, true);
  }
}

import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import type { PodTemplate } from '../../krm/kube/pod-template.js';
import { optionalMap } from '../../krm/model/shape.js';
import type { ContainerSecurityContext, SecurityContextAt } from './desire.js';

/**
 * The rules compare fields with `=== true`, `=== 0`, `=== 'Default'`: a value of another
 * type (`privileged: "true"`) or outside the API's enum (`seccompProfile.type: x`) would
 * pass as "not set" and leave the pod non-compliant, so it is refused as malformed input
 * before any rule runs.
 */
export function refuseMalformedFields(template: PodTemplate, pod: SecurityContextAt, containers: readonly ContainerSecurityContext[]): void {
  const resource = template.resource;
  requireTypes(resource, template.specPath, template.spec, { boolean: ['hostNetwork', 'hostPID', 'hostIPC'] });
  requireTypes(resource, pod.path, pod.context, { boolean: ['runAsNonRoot'], integer: ['runAsUser', 'runAsGroup', 'fsGroup'] });
  for (const { path, context } of containers) requireTypes(resource, path, context, CONTAINER_FIELD_TYPES);
  for (const { path, context } of [pod, ...containers]) {
    const windowsOptionsPath = [...path, 'windowsOptions'];
    requireTypes(resource, windowsOptionsPath, optionalMap(resource, windowsOptionsPath, context.windowsOptions) ?? {}, { boolean: ['hostProcess'] });
    for (const profile of ['seccompProfile', 'appArmorProfile'] as const) {
      const profilePath = [...path, profile];
      requireTypes(resource, profilePath, optionalMap(resource, profilePath, context[profile]) ?? {}, { oneOf: { type: PROFILE_TYPES } });
    }
  }
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

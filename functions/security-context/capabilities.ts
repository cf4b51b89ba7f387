import { optionalMap, optionalStringList } from '../../krm/model/shape.js';
import type { ContainerSecurityContext, Planning } from './desire.js';
import { BASELINE_ALLOWED_CAPABILITIES, RESTRICTED_ALLOWED_CAPABILITIES } from './pod-security-standards.js';

/**
 * Added capabilities (Linux only): only those the profile allows stay in `add` (baseline's
 * list; restricted: NET_BIND_SERVICE), with or without the `CAP_` prefix.
 */
export function planAddedCapabilities({ linux, restricted, resource, profile, want }: Planning, { path, context }: ContainerSecurityContext): void {
  if (!linux) return;
  const capabilitiesPath = [...path, 'capabilities'];
  const capabilities = optionalMap(resource, capabilitiesPath, context.capabilities) ?? {};
  const added = optionalStringList(resource, [...capabilitiesPath, 'add'], capabilities.add);
  if (!added) return;
  const allowed = restricted ? RESTRICTED_ALLOWED_CAPABILITIES : BASELINE_ALLOWED_CAPABILITIES;
  const kept = added.filter((capability) => allowed.has(capability.replace(/^CAP_/, '')));
  if (kept.length !== added.length) {
    const removed = added.filter((capability) => !kept.includes(capability));
    want([...capabilitiesPath, 'add'], added, kept, `${profile}: capabilities ${removed.join(', ')} may not be added`);
  }
}

/** Dropped capabilities (restricted, Linux only): `drop` includes ALL; an existing list keeps its entries and gains ALL. */
export function planDroppedCapabilities({ linux, restricted, resource, want }: Planning, { path, context }: ContainerSecurityContext): void {
  if (!linux || !restricted) return;
  const capabilitiesPath = [...path, 'capabilities'];
  const capabilities = optionalMap(resource, capabilitiesPath, context.capabilities) ?? {};
  const dropped = optionalStringList(resource, [...capabilitiesPath, 'drop'], capabilities.drop);
  if (!dropped?.includes('ALL')) {
    want([...capabilitiesPath, 'drop'], dropped, [...(dropped ?? []), 'ALL'], 'restricted: capabilities.drop must include ALL');
  }
}

/** No privilege escalation (restricted, Linux only): without it, setuid binaries could regain what `drop: [ALL]` took. */
export function planNoPrivilegeEscalation({ linux, restricted, want }: Planning, { path, context }: ContainerSecurityContext): void {
  if (linux && restricted && context.allowPrivilegeEscalation !== false) {
    want([...path, 'allowPrivilegeEscalation'], context.allowPrivilegeEscalation, false, 'restricted: allowPrivilegeEscalation must be false');
  }
}

import { optionalMap } from '../../krm/model/shape.js';
import type { ContainerSecurityContext, Planning } from './desire.js';
import { ALLOWED_SECCOMP_TYPES } from './pod-security-standards.js';

/**
 * Seccomp (Linux only): baseline forbids Unconfined; restricted requires RuntimeDefault or
 * Localhost, from the pod or from every container. The pod-level profile is the one fix, so
 * containers that already have an allowed profile of their own need nothing.
 */
export function planPodSeccomp({ linux, restricted, resource, pod, containers, profile, want }: Planning): void {
  if (!linux) return;
  const podSeccomp = optionalMap(resource, [...pod.path, 'seccompProfile'], pod.context.seccompProfile);
  const podType = podSeccomp?.type;
  if (podType === 'Unconfined') {
    want([...pod.path, 'seccompProfile', 'type'], podType, 'RuntimeDefault', `${profile}: seccompProfile.type must not be Unconfined`);
  } else if (restricted && !ALLOWED_SECCOMP_TYPES.has(String(podType))) {
    const everyContainer =
      containers.length > 0 &&
      containers.every(({ context, path }) => ALLOWED_SECCOMP_TYPES.has(String(optionalMap(resource, [...path, 'seccompProfile'], context.seccompProfile)?.type)));
    if (podType !== undefined) {
      want([...pod.path, 'seccompProfile', 'type'], podType, 'RuntimeDefault', 'restricted: seccompProfile.type must be RuntimeDefault or Localhost');
    } else if (!everyContainer) {
      want([...pod.path, 'seccompProfile'], podSeccomp, { type: 'RuntimeDefault' }, 'restricted: seccompProfile.type must be RuntimeDefault or Localhost');
    }
  }
}

/** A container's own Unconfined overrides the pod's profile, so it becomes RuntimeDefault (both profiles). */
export function planContainerSeccomp({ linux, resource, profile, want }: Planning, { path, context }: ContainerSecurityContext): void {
  if (!linux) return;
  const seccomp = optionalMap(resource, [...path, 'seccompProfile'], context.seccompProfile);
  if (seccomp?.type === 'Unconfined') want([...path, 'seccompProfile', 'type'], 'Unconfined', 'RuntimeDefault', `${profile}: seccompProfile.type must not be Unconfined`);
}

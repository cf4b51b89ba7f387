import { NON_ROOT_ID } from './config.js';
import type { ContainerSecurityContext, Planning } from './desire.js';

/**
 * Running as non-root (restricted): the pod says so, or every container does. One pod-level
 * `runAsNonRoot: true` is the fix either way, so that is what is wanted.
 */
export function planPodRunAsNonRoot({ restricted, pod, containers, want }: Planning): void {
  if (!restricted || pod.context.runAsNonRoot === true) return;
  const everyContainer = containers.length > 0 && containers.every(({ context }) => context.runAsNonRoot === true);
  if (pod.context.runAsNonRoot === false || !everyContainer) {
    want([...pod.path, 'runAsNonRoot'], pod.context.runAsNonRoot, true, 'restricted: runAsNonRoot must be true');
  }
}

/**
 * Pod-level IDs (Linux only): configured values, or NON_ROOT_ID defaults for restricted, so
 * `runAsNonRoot` holds even for an image whose USER is root. A default is not a violation;
 * only `runAsUser: 0` is.
 */
export function planPodIds({ linux, restricted, config, pod, want }: Planning): void {
  if (!linux) return;
  for (const field of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    const configured = config[field];
    const current = pod.context[field];
    const path = [...pod.path, field];
    if (configured !== undefined) {
      want(path, current, configured, `${field} is configured as ${configured}`, restricted && field === 'runAsUser' && current === 0, true);
    } else if (restricted) {
      if (field === 'runAsUser' && current === 0) want(path, current, NON_ROOT_ID, 'restricted: runAsUser must not be 0');
      else want(path, current, NON_ROOT_ID, `restricted: ${field} defaults to ${NON_ROOT_ID}`, false);
    }
  }
}

/** A container's own `runAsNonRoot: false` overrides the pod's true, so it must go too (restricted). */
export function planContainerRunAsNonRoot({ restricted, want }: Planning, { path, context }: ContainerSecurityContext): void {
  if (restricted && context.runAsNonRoot === false) want([...path, 'runAsNonRoot'], false, true, 'restricted: runAsNonRoot must not be false');
}

/** A container's own `runAsUser: 0` overrides the pod's ID (restricted, Linux): it becomes the configured or default one. */
export function planContainerRunAsUser({ linux, restricted, config, want }: Planning, { path, context }: ContainerSecurityContext): void {
  if (linux && restricted && context.runAsUser === 0) want([...path, 'runAsUser'], 0, config.runAsUser || NON_ROOT_ID, 'restricted: runAsUser must not be 0');
}

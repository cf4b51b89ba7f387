import { optionalMap } from '../../krm/model/shape.js';
import type { ContainerSecurityContext, Planning } from './desire.js';
import { APPARMOR_ANNOTATION_PREFIX } from './pod-security-standards.js';

/**
 * AppArmor (both profiles, Linux only): no Unconfined profile, in the field or in the legacy
 * per-container annotation, which the API server still copies into the field on create.
 */
export function planPodAppArmor({ linux, resource, template, pod, profile, want }: Planning): void {
  if (!linux) return;
  const podAppArmor = optionalMap(resource, [...pod.path, 'appArmorProfile'], pod.context.appArmorProfile);
  if (podAppArmor?.type === 'Unconfined') {
    want([...pod.path, 'appArmorProfile', 'type'], 'Unconfined', 'RuntimeDefault', `${profile}: appArmorProfile.type must not be Unconfined`);
  }
  const metadata = optionalMap(resource, template.metadataPath, resource.get(template.metadataPath));
  const annotationsPath = [...template.metadataPath, 'annotations'];
  for (const [key, value] of Object.entries(optionalMap(resource, annotationsPath, metadata?.annotations) ?? {})) {
    if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'))) continue;
    want([...annotationsPath, key], value, 'runtime/default', `${profile}: AppArmor profile ${String(value)} is not allowed`);
  }
}

export function planContainerAppArmor({ linux, resource, profile, want }: Planning, { path, context }: ContainerSecurityContext): void {
  if (linux && optionalMap(resource, [...path, 'appArmorProfile'], context.appArmorProfile)?.type === 'Unconfined') {
    want([...path, 'appArmorProfile', 'type'], 'Unconfined', 'RuntimeDefault', `${profile}: appArmorProfile.type must not be Unconfined`);
  }
}

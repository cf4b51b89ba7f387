import { optionalMap } from '../../krm/model/shape.js';
import type { Planning, SecurityContextAt } from './desire.js';
import { ALLOWED_SELINUX_TYPES } from './pod-security-standards.js';

/**
 * SELinux (both profiles), pod and container alike: an allowed type, no user or role.
 * Changing a label could lock the pod out of its files, so it is reported, not repaired.
 */
export function checkSeLinux({ resource, profile, cannotFix }: Planning, { path: contextPath, context }: SecurityContextAt): void {
  const path = [...contextPath, 'seLinuxOptions'];
  const options = optionalMap(resource, path, context.seLinuxOptions);
  if (!options) return;
  if (options.type !== undefined && options.type !== null && !ALLOWED_SELINUX_TYPES.has(String(options.type))) {
    cannotFix([...path, 'type'], options.type, `${profile}: SELinux type ${String(options.type)} is not allowed`);
  }
  for (const field of ['user', 'role'] as const) {
    if (options[field] !== undefined && options[field] !== null && options[field] !== '') cannotFix([...path, field], options[field], `${profile}: SELinux ${field} must not be set`);
  }
}

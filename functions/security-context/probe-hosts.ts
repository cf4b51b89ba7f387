import type { Path } from '../../krm/base/path.js';
import { optionalMap } from '../../krm/model/shape.js';
import type { ContainerSecurityContext, Planning } from './desire.js';

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

export function checkProbeHosts({ resource, profile, cannotFix }: Planning, { container }: ContainerSecurityContext): void {
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

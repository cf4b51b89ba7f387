import { optionalMap, optionalMapList } from '../../krm/model/shape.js';
import type { ContainerSecurityContext, Planning } from './desire.js';

/**
 * Host access (both profiles): each of these hands a pod a piece of the node — its network,
 * process and IPC namespaces, a Windows host process, every device (`privileged`), an unmasked
 * /proc, a port on the node's address. All but the host port are switched off; a host port
 * cannot be, as clients reach the pod through it.
 */
export function planPodHostAccess(planning: Planning): void {
  const { template, resource, pod, profile, want } = planning;
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (template.spec[field] === true) want([...template.specPath, field], true, false, `${profile}: ${field} must not be true`);
  }
  const windowsOptions = optionalMap(resource, [...pod.path, 'windowsOptions'], pod.context.windowsOptions);
  if (windowsOptions?.hostProcess === true) {
    want([...pod.path, 'windowsOptions', 'hostProcess'], true, false, `${profile}: hostProcess must not be true`);
  }
}

export function planContainerHostAccess(planning: Planning, { container, path, context }: ContainerSecurityContext): void {
  const { resource, profile, want, cannotFix } = planning;
  if (context.privileged === true) want([...path, 'privileged'], true, false, `${profile}: privileged must not be true`);
  const windowsOptions = optionalMap(resource, [...path, 'windowsOptions'], context.windowsOptions);
  if (windowsOptions?.hostProcess === true) want([...path, 'windowsOptions', 'hostProcess'], true, false, `${profile}: hostProcess must not be true`);
  if (context.procMount !== undefined && context.procMount !== null && context.procMount !== 'Default') {
    want([...path, 'procMount'], context.procMount, 'Default', `${profile}: procMount must be Default`);
  }
  const portsPath = [...container.path, 'ports'];
  (optionalMapList(resource, portsPath, container.container.ports) ?? []).forEach((port, index) => {
    if (port.hostPort !== undefined && port.hostPort !== null && port.hostPort !== 0) {
      cannotFix([...portsPath, index, 'hostPort'], port.hostPort, `${profile}: hostPort is not allowed`);
    }
  });
}

import type { Resource } from '../../krm/model/resource.js';
import { optionalList, optionalMap, optionalMapList, optionalStringList } from '../../krm/model/shape.js';
import type { Workload } from './workloads.js';

/** What a workload's RBAC in the stream says about whom it calls. */
export interface ApiAccess {
  /** The binding that grants its ServiceAccount something: it talks to the API server. */
  binding?: Resource;
  /** A role rule on nodes/metrics, nodes/stats or nodes/proxy: it talks to kubelets. */
  nodeRole?: Resource;
  serviceAccount: string;
}

const KUBELET_RESOURCES = new Set(['nodes/metrics', 'nodes/stats', 'nodes/proxy', 'nodes/*', '*']);

/**
 * RoleBindings and ClusterRoleBindings of the stream, and the roles they point to. A
 * workload calls the API server when its ServiceAccount is bound and its pods mount the
 * token (`automountServiceAccountToken` not false on the pod, nor on a ServiceAccount of
 * the stream, or a projected serviceAccountToken volume).
 */
export class RbacIndex {
  private readonly bindings: Resource[] = [];
  private readonly roles = new Map<string, Resource>();
  private readonly serviceAccounts = new Map<string, Resource>();

  constructor(resources: readonly Resource[]) {
    for (const resource of resources) {
      if (resource.group !== 'rbac.authorization.k8s.io' && !(resource.kind === 'ServiceAccount' && resource.apiVersion === 'v1')) continue;
      if (resource.kind === 'RoleBinding' || resource.kind === 'ClusterRoleBinding') this.bindings.push(resource);
      else if (resource.kind === 'Role' || resource.kind === 'ClusterRole') this.roles.set(JSON.stringify([resource.kind, resource.kind === 'Role' ? (resource.namespace ?? '') : '', resource.name]), resource);
      else if (resource.kind === 'ServiceAccount') this.serviceAccounts.set(JSON.stringify([resource.namespace ?? '', resource.name]), resource);
    }
  }

  accessOf(workload: Workload): ApiAccess {
    const spec = workload.podSpec;
    const serviceAccount = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '' ? spec.serviceAccountName : typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '' ? spec.serviceAccount : 'default';
    const access: ApiAccess = { serviceAccount };
    if (!this.mountsToken(workload, serviceAccount)) return access;
    for (const binding of this.bindings) {
      const subjects = optionalMapList(binding, ['subjects'], binding.object.subjects) ?? [];
      const bound = subjects.some((subject) => subject.kind === 'ServiceAccount' && subject.name === serviceAccount && sameNamespace(subject.namespace, binding, workload));
      if (!bound) continue;
      access.binding ??= binding;
      const role = this.roleOf(binding);
      if (role && grantsKubelet(role)) {
        access.nodeRole ??= role;
      }
    }
    return access;
  }

  private mountsToken(workload: Workload, serviceAccount: string): boolean {
    const spec = workload.podSpec;
    const projectsToken = (Array.isArray(spec.volumes) ? (spec.volumes as unknown[]) : []).some((volume) => {
      if (typeof volume !== 'object' || volume === null) return false;
      const sources = ((volume as Record<string, unknown>).projected as Record<string, unknown> | undefined)?.sources;
      return Array.isArray(sources) && sources.some((source) => typeof source === 'object' && source !== null && 'serviceAccountToken' in source);
    });
    if (projectsToken) return true;
    if (spec.automountServiceAccountToken === false) return false;
    if (spec.automountServiceAccountToken === true) return true;
    const account = this.serviceAccounts.get(JSON.stringify([workload.namespace, serviceAccount])) ?? this.serviceAccounts.get(JSON.stringify(['', serviceAccount]));
    return account?.object.automountServiceAccountToken !== false;
  }

  private roleOf(binding: Resource): Resource | undefined {
    const ref = optionalMap(binding, ['roleRef'], binding.object.roleRef);
    if (!ref || typeof ref.name !== 'string') return undefined;
    if (ref.kind === 'ClusterRole') return this.roles.get(JSON.stringify(['ClusterRole', '', ref.name]));
    return this.roles.get(JSON.stringify(['Role', binding.namespace ?? '', ref.name]));
  }
}

/**
 * A subject names the workload's ServiceAccount when its namespace is the workload's, or
 * when either is left to the release namespace (rendered without one), which may be it.
 */
function sameNamespace(subjectNamespace: unknown, binding: Resource, workload: Workload): boolean {
  const namespace = typeof subjectNamespace === 'string' && subjectNamespace !== '' ? subjectNamespace : binding.kind === 'RoleBinding' ? binding.namespace : undefined;
  return namespace === undefined || workload.namespace === '' || namespace === workload.namespace;
}

function grantsKubelet(role: Resource): boolean {
  return (optionalMapList(role, ['rules'], role.object.rules) ?? []).some((rule, index) => {
    const resources = optionalStringList(role, ['rules', index, 'resources'], rule.resources) ?? [];
    const groups = optionalList(role, ['rules', index, 'apiGroups'], rule.apiGroups) ?? [];
    return resources.some((name) => KUBELET_RESOURCES.has(name)) && (groups.includes('') || groups.includes('*'));
  });
}

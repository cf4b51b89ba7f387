import type { Resource } from '../../krm/resource.js';

/**
 * The namespace a generated policy lands in: a name, or '' for "no namespace" — beside
 * resources rendered without `metadata.namespace` (Helm, `kubectl -n`), which the
 * namespace they are applied to decides.
 */
export type NamespaceKey = string;

export function namespaceKeyOf(resource: Resource): NamespaceKey {
  return resource.namespace ?? '';
}

/** Built-in kinds that live outside namespaces: a missing namespace on them means nothing. */
const CLUSTER_SCOPED_KINDS = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeAttributesClass',
]);

/** `group/Kind` of custom kinds whose CustomResourceDefinition in the stream says `scope: Cluster`. */
function clusterScopedCustomKinds(resources: readonly Resource[]): Set<string> {
  const kinds = new Set<string>();
  for (const resource of resources) {
    if (resource.kind !== 'CustomResourceDefinition') continue;
    const spec = resource.object.spec as Record<string, unknown> | undefined;
    const names = spec?.names as Record<string, unknown> | undefined;
    if (spec?.scope === 'Cluster' && typeof spec.group === 'string' && typeof names?.kind === 'string') kinds.add(`${spec.group}/${names.kind}`);
  }
  return kinds;
}

/**
 * Every namespace the stream puts something in, in order of first appearance: Namespace
 * objects, namespaced resources, and '' when a namespaced resource has no namespace.
 * Only resources `counts` accepts are looked at (the function's select/exclude).
 */
export function namespacesOf(resources: readonly Resource[], counts: (resource: Resource) => boolean): NamespaceKey[] {
  const customClusterKinds = clusterScopedCustomKinds(resources);
  const isClusterScoped = (resource: Resource): boolean =>
    CLUSTER_SCOPED_KINDS.has(resource.kind) ||
    customClusterKinds.has(`${resource.group}/${resource.kind}`) ||
    // cert-manager's ClusterIssuer, Kyverno's ClusterPolicy…: a convention for custom kinds.
    (resource.group !== '' && resource.kind.startsWith('Cluster'));
  const seen = new Set<NamespaceKey>();
  const note = (key: NamespaceKey): void => {
    seen.add(key);
  };
  for (const resource of resources) {
    if (!counts(resource) || resource.kind === '') continue;
    if (resource.kind === 'Namespace' && resource.apiVersion === 'v1') {
      if (resource.name !== '') note(resource.name);
    } else if (resource.namespace !== undefined) {
      note(resource.namespace);
    } else if (!isClusterScoped(resource)) {
      note('');
    }
  }
  return [...seen];
}

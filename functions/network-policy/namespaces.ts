import type { Resource } from '../../krm/model/resource.js';

/**
 * The namespace a generated policy lands in: a name, or '' for "no namespace" — beside
 * resources rendered without `metadata.namespace` (Helm, `kubectl -n`), which the
 * namespace they are applied to decides.
 */
export type NamespaceKey = string;

export function namespaceKeyOf(resource: Resource): NamespaceKey {
  return resource.namespace ?? '';
}

/**
 * Whether two objects may end up in one namespace: the same name, or either rendered without
 * one — that object goes to the release namespace, which may be any namespace the stream
 * names. Matching on this, not on equality, is what lets a Service without a namespace
 * select a Deployment templated with `namespace: {{ .Release.Namespace }}`.
 */
export function mayShareNamespace(a: NamespaceKey, b: NamespaceKey): boolean {
  return a === b || a === '' || b === '';
}

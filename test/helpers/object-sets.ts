import { documentsOf, type KubeObject } from './objects.js';

/**
 * What two delivery paths must agree on: the set of objects, not bytes. Each tool orders
 * and formats documents its own way and adds bookkeeping annotations, which are dropped
 * here; everything else must be equal.
 */
const TOOL_ANNOTATION_PREFIXES = ['config.kubernetes.io/', 'internal.config.kubernetes.io/', 'kustomize.config.k8s.io/', 'postrenderer.helm.sh/'];
const TOOL_ANNOTATIONS = new Set(['config.k8s.io/id']);

export function withoutToolAnnotations(object: KubeObject): KubeObject {
  const metadata = object.metadata as Record<string, unknown> | undefined;
  const annotations = metadata?.annotations as Record<string, string> | undefined;
  if (!metadata || !annotations) return object;
  const kept = Object.fromEntries(
    Object.entries(annotations).filter(([key]) => !TOOL_ANNOTATIONS.has(key) && !TOOL_ANNOTATION_PREFIXES.some((prefix) => key.startsWith(prefix))),
  );
  const { annotations: _dropped, ...rest } = metadata;
  return { ...object, metadata: Object.keys(kept).length > 0 ? { ...rest, annotations: kept } : rest };
}

export interface SetOptions {
  /** Objects to leave out of the comparison. */
  drop?: (object: KubeObject) => boolean;
  /** Rewrites an object before comparing (e.g. masks content a chart generates at random). */
  mask?: (object: KubeObject) => KubeObject;
}

/** Canonical JSON (sorted keys) of each object, sorted: equal arrays mean equal multisets. */
export function objectSet(text: string, options: SetOptions = {}): string[] {
  return documentsOf(text)
    .filter((object) => !(options.drop?.(object) ?? false))
    .map((object) => canonical(withoutToolAnnotations(options.mask ? options.mask(object) : object)))
    .sort();
}

/**
 * Charts that generate certificates while rendering (metrics-server with tls.type=helm)
 * differ on every render: their Secret data, the CA bundle and the checksums krmkit takes
 * of them are replaced by placeholders, so the comparison checks everything else.
 */
export function maskGeneratedCertificates(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  if (copy.kind === 'Secret' && copy.data && typeof copy.data === 'object') {
    copy.data = Object.fromEntries(Object.keys(copy.data).map((key) => [key, '<generated>']));
  }
  const spec = copy.spec as Record<string, unknown> | undefined;
  if (copy.kind === 'APIService' && spec && typeof spec.caBundle === 'string') spec.caBundle = '<generated>';
  const template = (spec?.template as { metadata?: { annotations?: Record<string, string> } } | undefined)?.metadata?.annotations;
  if (template) {
    for (const key of Object.keys(template)) if (key.startsWith('checksum.krmkit.dev/')) template[key] = '<checksum>';
  }
  return copy;
}

export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

import type { KubeObject } from './resource.js';
import { isPlainMap } from '../base/path.js';

/**
 * Helm 4 annotates every document it sends a post-renderer with the template file it came
 * from, and regroups the output into files by it (dropping the annotation again). Documents
 * krmkit generates get a file of their own, so `helm template` shows where they came from
 * and they never join a chart template's file.
 */
export const HELM_FILENAME_ANNOTATION = 'postrenderer.helm.sh/postrender-filename';

/** `krmkit/generated/networkpolicy-<name>.yaml` (namespace included when set). */
export function generatedFilename(object: KubeObject): string {
  const metadata = isPlainMap(object.metadata) ? object.metadata : {};
  const kind = typeof object.kind === 'string' ? object.kind.toLowerCase() : 'object';
  const name = typeof metadata.name === 'string' ? metadata.name : 'unnamed';
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? `${metadata.namespace}-` : '';
  return `krmkit/generated/${namespace}${kind}-${name}.yaml`.replace(/[^A-Za-z0-9._/-]/g, '_');
}

/** The object with a Helm filename annotation, unless the function already gave it one. */
export function withHelmFilename(object: KubeObject): KubeObject {
  const metadata = isPlainMap(object.metadata) ? object.metadata : {};
  const annotations = isPlainMap(metadata.annotations) ? metadata.annotations : {};
  if (typeof annotations[HELM_FILENAME_ANNOTATION] === 'string') return object;
  return { ...object, metadata: { ...metadata, annotations: { ...annotations, [HELM_FILENAME_ANNOTATION]: generatedFilename(object) } } };
}

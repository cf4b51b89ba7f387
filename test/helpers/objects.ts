import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { isPlainMap } from '../../krm/base/path.js';

/** A Kubernetes object as plain data, the way tests look at streams. */
export type KubeObject = Record<string, unknown>;

/** Every document of a stream that is a mapping, as written: a `List` stays one object. */
export function documentsOf(stream: string): KubeObject[] {
  return loadAll(stream, undefined, { schema: CORE_SCHEMA }).filter(isPlainMap);
}

/** Every Kubernetes object of a stream (List items flattened), as plain data. */
export function objectsOf(stream: string): KubeObject[] {
  return documentsOf(stream).flatMap((document) =>
    String(document.kind).endsWith('List') && Array.isArray(document.items) ? document.items.filter(isPlainMap) : [document],
  );
}

/** A deep copy without the keys `drop` selects, at any depth. */
export function withoutPaths(value: unknown, drop: (key: string) => boolean): unknown {
  if (Array.isArray(value)) return value.map((entry) => withoutPaths(entry, drop));
  if (!isPlainMap(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) if (!drop(key)) out[key] = withoutPaths(entry, drop);
  return out;
}

/** A Helm hook (`helm.sh/hook`): Helm 3 never sends these to a post-renderer. */
export function isHook(object: KubeObject): boolean {
  const annotations = (object.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
  return annotations?.['helm.sh/hook'] !== undefined;
}

/** kpt's package bookkeeping (Kptfile, local-config function configs) is not output. */
export function isLocalConfig(object: KubeObject): boolean {
  const annotations = (object.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
  return object.kind === 'Kptfile' || annotations?.['config.kubernetes.io/local-config'] === 'true';
}

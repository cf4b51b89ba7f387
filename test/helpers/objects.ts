import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { isPlainMap } from '../../krm/base/path.js';

/** Every Kubernetes object of a stream (List items flattened), as plain data. */
export function objectsOf(stream: string): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const document of loadAll(stream, null, { schema: CORE_SCHEMA })) {
    if (!isPlainMap(document)) continue;
    if (String(document.kind).endsWith('List') && Array.isArray(document.items)) {
      for (const item of document.items) if (isPlainMap(item)) objects.push(item);
    } else {
      objects.push(document);
    }
  }
  return objects;
}

/** A deep copy without the keys `drop` selects, at any depth. */
export function withoutPaths(value: unknown, drop: (key: string) => boolean): unknown {
  if (Array.isArray(value)) return value.map((entry) => withoutPaths(entry, drop));
  if (!isPlainMap(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) if (!drop(key)) out[key] = withoutPaths(entry, drop);
  return out;
}

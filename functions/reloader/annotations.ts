import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap } from '../../krm/model/shape.js';

/** The workload annotations Stakater Reloader reads (its defaults). */
export const RELOADER_ANNOTATIONS = {
  auto: 'reloader.stakater.com/auto',
  configMapReload: 'configmap.reloader.stakater.com/reload',
  secretReload: 'secret.reloader.stakater.com/reload',
  configMapExclude: 'configmaps.exclude.reloader.stakater.com/reload',
  secretExclude: 'secrets.exclude.reloader.stakater.com/reload',
} as const;

/**
 * The annotations at `metadataPath` (a workload's or a pod template's). Only the values this
 * function reads are checked, through `annotationValue`, so an unrelated malformed annotation
 * is left for the API server to reject.
 */
export function annotationsAt(resource: Resource, metadataPath: Path): Record<string, unknown> {
  const metadata = optionalMap(resource, metadataPath, resource.get(metadataPath));
  return optionalMap(resource, [...metadataPath, 'annotations'], metadata?.annotations) ?? {};
}

/** One annotation's value, which must be a string when present. */
export function annotationValue(resource: Resource, metadataPath: Path, annotations: Record<string, unknown>, key: string): string | undefined {
  const value = annotations[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw resource.errorAt([...metadataPath, 'annotations', key], `annotation values must be strings, got ${describeValue(value)}`);
  return value;
}

/** `"b, a,,c"` → `['b', 'a', 'c']`: Reloader's comma-separated name lists, as written. */
export function parseNameList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** Names already in the annotation plus new ones: sorted, each once, comma-separated. */
export function mergeNameList(existing: string | undefined, names: Iterable<string>): string {
  return [...new Set([...parseNameList(existing), ...names])].sort().join(',');
}

import { describeValue } from '../base/messages.js';
import { isPlainMap, type Path } from '../base/path.js';
import type { Resource } from './resource.js';

/**
 * Readers that check the shape of what a function is about to use, so that malformed input
 * (`containers` as a mapping, `env` as a string…) fails with the document and field named
 * instead of a TypeError deep in a function.
 */
export function optionalMap(resource: Resource, path: Path, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainMap(value)) throw resource.errorAt(path, `expected a mapping, got ${describeValue(value)}`);
  return value;
}

export function optionalList(resource: Resource, path: Path, value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw resource.errorAt(path, `expected a list, got ${describeValue(value)}`);
  return value;
}

export function optionalStringList(resource: Resource, path: Path, value: unknown): string[] | undefined {
  const list = optionalList(resource, path, value);
  if (!list) return undefined;
  list.forEach((entry, index) => {
    if (typeof entry !== 'string') throw resource.errorAt([...path, index], `expected a string, got ${describeValue(entry)}`);
  });
  return list as string[];
}

/** A list of mappings (volumes, ports, env…): each entry checked. */
export function optionalMapList(resource: Resource, path: Path, value: unknown): Record<string, unknown>[] | undefined {
  const list = optionalList(resource, path, value);
  if (!list) return undefined;
  list.forEach((entry, index) => {
    if (!isPlainMap(entry)) throw resource.errorAt([...path, index], `expected a mapping, got ${describeValue(entry)}`);
  });
  return list as Record<string, unknown>[];
}

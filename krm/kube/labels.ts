import { describeValue } from '../base/messages.js';
import type { Path } from '../base/path.js';
import type { Resource } from '../model/resource.js';
import { optionalMap } from '../model/shape.js';

/** A label map as Kubernetes defines it (`metadata.labels`, `matchLabels`, a Service's selector): string keys to string values. */
export type Labels = Record<string, string>;

/**
 * The one rule for a label value, wherever labels are read: a string, or a located input
 * error (exit 2) naming the field. Kubernetes requires strings — the API server rejects
 * `tier: 1` — and reading `1` as `"1"` in one place but not another made functions disagree
 * about which pods a selector picks (README.md, "Non-string label values").
 */
export function requireLabelValue(resource: Resource, path: Path, value: unknown): string {
  if (typeof value === 'string') return value;
  const key = path[path.length - 1];
  let hint = '';
  if ((typeof value === 'number' || typeof value === 'boolean') && typeof key === 'string') hint = ` — quote it: ${key}: "${String(value)}"`;
  // `tier:` reads as null: the API server stores "" on create, but a patch reads null as "remove the key".
  if (value === null) hint = ' — write "" for an empty value, or leave the key out';
  throw resource.errorAt(path, `expected a label value (a string), got ${describeValue(value)}${hint}`);
}

/** A label map read from input, checked: a mapping (or absent: no labels) whose values are strings. */
export function readLabels(resource: Resource, path: Path, value: unknown): Labels {
  const map = optionalMap(resource, path, value) ?? {};
  const labels: Labels = {};
  for (const [key, entry] of Object.entries(map)) labels[key] = requireLabelValue(resource, [...path, key], entry);
  return labels;
}

/** A resource's own `metadata.labels`, checked. */
export function labelsOf(resource: Resource): Labels {
  return readLabels(resource, ['metadata', 'labels'], resource.metadata.labels);
}

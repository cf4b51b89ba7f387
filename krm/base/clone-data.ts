/**
 * A copy of plain data (what YAML and JSON read into: maps, lists, scalars) that shares its
 * strings instead of copying them. Strings cannot change, so sharing is safe, and
 * `structuredClone` copies every one: on 100k objects, the same `kubernetes.io/hostname`,
 * `pod-template-hash` and label values written into each workload were tens of MB. Lists
 * come out exactly as long as they are (no spare room). Anything that is not plain data
 * (a Date, a Map) is left to `structuredClone`.
 */
export function cloneData<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneData) as T;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const entry = cloneData(source[key]);
    // A `__proto__` key is data here; assigning it would set the copy's prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: entry, writable: true, enumerable: true, configurable: true });
    else copy[key] = entry;
  }
  return copy as T;
}

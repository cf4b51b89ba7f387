import { applyOperation, type Operation } from 'fast-json-patch';
import { deepEqual } from '../../krm/base/deep-equal.js';
import { isPlainMap } from '../../krm/base/path.js';

/**
 * Turns the RFC 6902 operations the pipeline applied to one resource (as the engine records
 * them for --explain) into a patch that is safe to commit: every operation is preceded by
 * `test` operations on what it relies on, checked against the resource as it is at that
 * point of the patch:
 *
 * - the `name` of every named list item the path goes through (a container, an env var, a
 *   volume at an index), so a chart that reorders containers fails the build instead of
 *   having the wrong container edited;
 * - the value a `replace` or `remove` overwrites, so a chart that changed that value fails
 *   the build instead of having its new value silently overwritten.
 *
 * An item appended to a list is added at `-` (the end) rather than at the index it happened
 * to get, so an item the chart adds later does not shift it. RFC 6902 cannot test that a key
 * is absent; an `add` of a key the chart starts to set overwrites it. `krmkit patches --check`
 * is the gate for that: it fails when the committed patches no longer match.
 */
export function guardedOperations(original: unknown, operations: readonly Operation[]): Operation[] {
  const state = structuredClone(original);
  const out: Operation[] = [];
  // Tests already emitted, by path, while nothing has touched that path since.
  const verified = new Map<string, unknown>();
  const guard = (path: string, value: unknown): void => {
    if (verified.has(path) && deepEqual(verified.get(path), value)) return;
    verified.set(path, value);
    out.push({ op: 'test', path, value: structuredClone(value) });
  };
  for (const operation of operations) {
    const segments = parsePointer(operation.path);
    for (const { pointer, name } of namedItemsOnPath(state, segments, operation)) guard(`${pointer}/name`, name);
    if (operation.op === 'replace' || operation.op === 'remove') guard(operation.path, valueAt(state, segments));
    const written = appendsAtEnd(state, segments, operation) ? { ...operation, path: `${formatPointer(segments.slice(0, -1))}/-` } : operation;
    const inList = Array.isArray(valueAt(state, segments.slice(0, -1)));
    applyOperation(state, structuredClone(written), false, true);
    forgetTouched(verified, segments, inList);
    out.push(written);
  }
  return out;
}

/** List items with a string `name` that `segments` passes through (not the item an `add` creates). */
function namedItemsOnPath(root: unknown, segments: readonly string[], operation: Operation): { pointer: string; name: string }[] {
  const found: { pointer: string; name: string }[] = [];
  let node = root;
  for (let depth = 0; depth < segments.length; depth++) {
    const segment = segments[depth] as string;
    if (Array.isArray(node)) {
      const item: unknown = node[Number(segment)];
      const createsItem = operation.op === 'add' && depth === segments.length - 1;
      if (!createsItem && isPlainMap(item) && typeof item.name === 'string') found.push({ pointer: formatPointer(segments.slice(0, depth + 1)), name: item.name });
      node = item;
    } else if (isPlainMap(node)) {
      node = node[segment];
    } else {
      break;
    }
  }
  return found;
}

function appendsAtEnd(root: unknown, segments: readonly string[], operation: Operation): boolean {
  if (operation.op !== 'add' || segments.length === 0) return false;
  const parent = valueAt(root, segments.slice(0, -1));
  return Array.isArray(parent) && segments[segments.length - 1] === String(parent.length);
}

/**
 * After an operation at `segments`, earlier tests on that path, under it and on its
 * ancestors (they contain it) no longer describe the resource; inside a list, neither do
 * tests on its siblings (an insert or removal shifts their indices).
 */
function forgetTouched(verified: Map<string, unknown>, segments: readonly string[], inList: boolean): void {
  const path = formatPointer(segments);
  const scope = inList ? formatPointer(segments.slice(0, -1)) : path;
  for (const key of [...verified.keys()]) {
    if (key === scope || key.startsWith(`${scope}/`) || path.startsWith(`${key}/`)) verified.delete(key);
  }
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let node = root;
  for (const segment of segments) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isPlainMap(node)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** RFC 6901: `/a~1b/0` → ['a/b', '0']. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPointer(segments: readonly string[]): string {
  return segments.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

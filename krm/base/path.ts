/** A path into a Kubernetes object: map keys and list indices, e.g. ['spec', 'containers', 0]. */
export type Path = readonly (string | number)[];

/** `spec.template.spec.containers[0].securityContext` — the form kubectl and the KRM spec print. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a value at `path`, or undefined when any step is missing or of the wrong shape. */
export function getAt(root: unknown, path: Path): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[segment];
    } else {
      if (!isPlainMap(node) || !Object.prototype.hasOwnProperty.call(node, segment)) return undefined;
      node = node[segment];
    }
  }
  return node;
}

/**
 * Sets `value` at `path` in a plain object, creating maps (or lists, before a numeric
 * segment) on the way. Keys are defined as own data properties so that `__proto__` stays data.
 */
export function setAt(root: Record<string, unknown>, path: Path, value: unknown): void {
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string | number;
    const container = node as Record<string | number, unknown>;
    if (i === path.length - 1) {
      defineData(container, segment, value);
      return;
    }
    let next = childContainer(container, segment);
    if (next === undefined) {
      next = typeof path[i + 1] === 'number' ? [] : {};
      defineData(container, segment, next);
    }
    node = next;
  }
}

/**
 * The index of the first segment of `path` whose value `setAt` creates (or replaces, when it
 * is not a map or list); the last segment's index when every one before it exists.
 */
export function firstCreatedIndex(root: unknown, path: Path): number {
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const next = childContainer(node, path[i] as string | number);
    if (next === undefined) return i;
    node = next;
  }
  return path.length - 1;
}

/** `value` under `path`, in maps (or lists, before a numeric segment) as `setAt` creates them. */
export function nestedValue(path: Path, value: unknown): unknown {
  let nested = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i] as string | number;
    if (typeof segment === 'number') {
      // A list's first item as a literal: a list grown from empty keeps room for 17.
      if (segment === 0) {
        nested = [nested];
        continue;
      }
      const list: unknown[] = [];
      list[segment] = nested;
      nested = list;
    } else {
      // A computed key is an own property, also `__proto__`.
      nested = { [segment]: nested };
    }
  }
  return nested;
}

/** The map or list at `segment` of a map or list, or undefined when there is none. */
function childContainer(node: unknown, segment: string | number): object | undefined {
  const child: unknown = Array.isArray(node) || isPlainMap(node) ? (node as Record<string | number, unknown>)[segment] : undefined;
  return child !== null && typeof child === 'object' ? child : undefined;
}

export function deleteAt(root: unknown, path: Path): void {
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
  else if (isPlainMap(parent) && typeof key === 'string') delete parent[key];
}

function defineData(container: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * js-yaml appends a terminator to the text it reads (`input += '\0'`), which makes V8 copy
 * the whole document, and every string value of 13 or more characters it returns is a slice
 * of that copy. Kept for the whole run, those slices keep a second copy of every document's
 * text alive: 64 MB on a 64 MB stream, whose original text the writer keeps anyway.
 * `detachStrings` replaces each such value by a string of its own, so the copy is garbage as
 * soon as the document is read; it returns the value with its lists copied (see below) and
 * its maps changed in place.
 *
 * A stream repeats the same values in every document (`release`, `v1`, `ClusterIP`, an
 * image, a label key used as a value): given the same `shared` table for all of a stream's
 * documents, each distinct value is kept once. On 10k objects, 190k of the 226k strings
 * alive after the prod steps were copies of another (5.6 of 46 MB); the table is garbage
 * once the stream is read.
 */
export function detachStrings(value: unknown, shared: Map<string, string> = new Map()): unknown {
  if (typeof value === 'string') return ownString(value, shared);
  if (Array.isArray(value)) {
    // A copy of exactly its length: js-yaml grows each list item by item, and a grown array
    // keeps its spare room (a list of 2 holds 17 slots).
    const list: unknown[] = value.slice();
    for (let i = 0; i < list.length; i++) list[i] = detachStrings(list[i], shared);
    return list;
  }
  if (value !== null && typeof value === 'object') {
    const map = value as Record<string, unknown>;
    for (const key of Object.keys(map)) {
      const entry = map[key];
      // Only strings and containers can hold a slice; numbers and booleans need no write.
      if (entry !== null && typeof entry === 'object') replace(map, key, detachStrings(entry, shared));
      else if (typeof entry === 'string') replace(map, key, ownString(entry, shared));
    }
  }
  return value;
}

/** V8 slices strings of 13 characters or more; shorter ones are copies already. */
const SLICE_MIN_LENGTH = 13;

/**
 * Longer values are rarely repeated (a checksum, a config file's text) and a table entry
 * costs about as much as a short string: those are only detached.
 */
const SHARED_MAX_LENGTH = 64;

function ownString(text: string, shared: Map<string, string>): string {
  if (text.length > SHARED_MAX_LENGTH) return detached(text);
  const known = shared.get(text);
  if (known !== undefined) return known;
  const own = detached(text);
  shared.set(own, own);
  return own;
}

/**
 * Flattening a concatenation allocates a new string of exactly its length: the result (a
 * slice of that new string, one character in) keeps only its own characters alive.
 */
function detached(text: string): string {
  return text.length < SLICE_MIN_LENGTH ? text : ` ${text}`.slice(1);
}

/** An own `__proto__` key (js-yaml defines it as data) would be the prototype to `=`. */
function replace(map: Record<string, unknown>, key: string, entry: unknown): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value: entry, writable: true, enumerable: true, configurable: true });
  else map[key] = entry;
}

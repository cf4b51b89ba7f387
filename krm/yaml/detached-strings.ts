/**
 * js-yaml appends a terminator to the text it reads (`input += '\0'`), which makes V8 copy
 * the whole document, and every string value of 13 or more characters it returns is a slice
 * of that copy. Kept for the whole run, those slices keep a second copy of every document's
 * text alive: 64 MB on a 64 MB stream, whose original text the writer keeps anyway.
 * `detachStrings` replaces each such value by a string of its own, so the copy is garbage as
 * soon as the document is read; it returns the value with its lists copied (see below) and
 * its maps changed in place.
 */
export function detachStrings(value: unknown): unknown {
  if (typeof value === 'string') return ownString(value);
  if (Array.isArray(value)) {
    // A copy of exactly its length: js-yaml grows each list item by item, and a grown array
    // keeps its spare room (a list of 2 holds 17 slots).
    const list: unknown[] = value.slice();
    for (let i = 0; i < list.length; i++) list[i] = detachStrings(list[i]);
    return list;
  }
  if (value !== null && typeof value === 'object') {
    const map = value as Record<string, unknown>;
    for (const key of Object.keys(map)) {
      const entry = map[key];
      // Only strings and containers can hold a slice; numbers and booleans need no write.
      if (entry !== null && typeof entry === 'object') replace(map, key, detachStrings(entry));
      else if (typeof entry === 'string') replace(map, key, ownString(entry));
    }
  }
  return value;
}

/** V8 slices strings of 13 characters or more; shorter ones are copies already. */
const SLICE_MIN_LENGTH = 13;

/**
 * Flattening a concatenation allocates a new string of exactly its length: the result (a
 * slice of that new string, one character in) keeps only its own characters alive.
 */
function ownString(text: string): string {
  return text.length < SLICE_MIN_LENGTH ? text : ` ${text}`.slice(1);
}

/** An own `__proto__` key (js-yaml defines it as data) would be the prototype to `=`. */
function replace(map: Record<string, unknown>, key: string, entry: unknown): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value: entry, writable: true, enumerable: true, configurable: true });
  else map[key] = entry;
}

/**
 * The words every message is built from: how a value is described, the "did you mean"
 * suggestion for a mistyped name, and the refusal of an unknown key. Imports nothing, so
 * every layer may use it.
 */

/** `a string ("abc")`, `a list`, `a mapping`: what a user wrote, in a message about it. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  return `a ${typeof value} (${String(value)})`;
}

/** The nearest of `candidates` to a mistyped `word`, if one is close enough to be a likely typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/**
 * ` — did you mean "word"?` when a candidate is near `word`, else `otherwise` (a list of the
 * valid names, or nothing): the one ending every message about a mistyped name has.
 */
export function didYouMean(word: string, candidates: readonly string[], otherwise = ''): string {
  const suggestion = nearest(word, candidates);
  return suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : otherwise;
}

/**
 * `unknown field "vaule" — did you mean "value"?`, or, with nothing near and a `listed` label,
 * `unknown field "x" (valid fields: name, value)` (`listed` is the words before the list, `valid fields:`).
 */
export function unknownName(noun: string, name: string, known: readonly string[], listed?: string): string {
  return `unknown ${noun} ${JSON.stringify(name)}${didYouMean(name, known, listed === undefined ? '' : ` (${listed} ${known.join(', ')})`)}`;
}

/** The first key of `map` that is not one of `known`, for a mapping that takes only those. */
export function firstUnknownKey(map: Readonly<Record<string, unknown>>, known: readonly string[]): string | undefined {
  return Object.keys(map).find((key) => !known.includes(key));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

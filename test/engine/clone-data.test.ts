/**
 * `cloneData` copies what `Resource.set` writes and what functions generate: the copy equals
 * the original, shares no map or list with it (an edit of one never shows in the other),
 * keeps `__proto__` as a key, and makes lists exactly as long as they are.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneData } from '../../krm/base/clone-data.js';

function containers(value: unknown, found: object[] = []): object[] {
  if (value === null || typeof value !== 'object') return found;
  found.push(value);
  for (const entry of Object.values(value)) containers(entry, found);
  return found;
}

describe('cloneData', () => {
  it('gives an equal copy that shares no map or list with the original', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = cloneData(value);
        expect(copy).toStrictEqual(value);
        const originals = new Set(containers(value));
        expect(containers(copy).some((container) => originals.has(container))).toBe(false);
      }),
    );
  });

  it('keeps a __proto__ key as data', () => {
    const value = JSON.parse('{"metadata": {"__proto__": {"polluted": true}, "name": "x"}}') as Record<string, Record<string, unknown>>;
    const copy = cloneData(value);
    expect(Object.keys(copy.metadata ?? {})).toEqual(['__proto__', 'name']);
    expect(Object.getPrototypeOf(copy.metadata)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('copies what is not plain data with structuredClone', () => {
    const date = new Date(0);
    const copy = cloneData({ at: date });
    expect(copy.at).not.toBe(date);
    expect(copy.at.getTime()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detachStrings } from '../../krm/yaml/detached-strings.js';

describe('detachStrings', () => {
  it('returns data equal to what it was given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(detachStrings(structuredClone(value), new Map())).toEqual(value);
      }),
    );
  });

  it('keeps one copy of a value repeated across documents read with one table', () => {
    const shared = new Map<string, string>();
    const first = detachStrings({ metadata: { labels: { instance: 'release-of-the-demo' } } }, shared);
    const second = detachStrings({ spec: { selector: ['release-of-the-demo'] } }, shared);
    expect(second).toEqual({ spec: { selector: ['release-of-the-demo'] } });
    expect(shared.get('release-of-the-demo')).toBe('release-of-the-demo');
    expect([...shared.keys()]).toEqual(['release-of-the-demo']);
    expect(first).toEqual({ metadata: { labels: { instance: 'release-of-the-demo' } } });
  });

  it('does not keep long values in the table', () => {
    const shared = new Map<string, string>();
    detachStrings({ data: { 'nginx.conf': 'x'.repeat(65) } }, shared);
    expect(shared.size).toBe(0);
  });

  it('keeps an own __proto__ key as data', () => {
    const value = JSON.parse('{"__proto__": "a-value-of-some-length"}') as Record<string, unknown>;
    const detached = detachStrings(value, new Map()) as Record<string, unknown>;
    expect(Object.getPrototypeOf(detached)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(detached, '__proto__')?.value).toBe('a-value-of-some-length');
  });
});

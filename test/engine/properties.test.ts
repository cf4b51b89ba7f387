/** Invariants of the engine over generated streams: untouched bytes, idempotency, nothing lost. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stream } from '../helpers/arbitraries.js';
import { objectsOf, withoutPaths } from '../helpers/objects.js';
import { transform } from '../helpers/transform.js';

const EMPTY = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'Pipeline', steps: [] };
const runs = Number(process.env.KRMKIT_PROPERTY_RUNS ?? 150);

describe('engine properties', () => {
  it('an empty pipeline returns the exact bytes of any stream', () => {
    fc.assert(fc.property(stream, (text) => transform(text, EMPTY).output === text), { numRuns: runs });
  });

  it.each(['fill', 'enforce'])('security-context (%s) is idempotent and loses nothing', (mode) => {
    const config = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'SecurityContext', mode };
    fc.assert(
      fc.property(stream, (text) => {
        const once = transform(text, config).output;
        expect(transform(once, config).output).toBe(once);
        const strip = (value: unknown): unknown => withoutPaths(value, (key) => key === 'securityContext');
        expect(objectsOf(once).map(strip)).toEqual(objectsOf(text).map(strip));
      }),
      { numRuns: runs },
    );
  });

  it('security-context in audit mode changes no byte', () => {
    const config = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'SecurityContext', mode: 'audit' };
    fc.assert(fc.property(stream, (text) => transform(text, config).output === text), { numRuns: runs });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasLabels, isEmptySelector, matchesRequirements, matchesSelector, renderSelector, type LabelSelector, type MatchExpression } from '../../krm/kube/label-selector.js';
import { parseLabelSelector } from '../../krm/kube/label-selector-string.js';
import type { Labels } from '../../krm/kube/labels.js';

/** The one label-selector matcher (krm/kube/label-selector.ts), for both the object and the `-l` string form. */

const pod: Labels = { app: 'web', tier: 'frontend', track: 'stable' };

describe('matchesSelector', () => {
  it.each<[string, LabelSelector, boolean]>([
    ['an empty selector picks every pod', {}, true],
    ['matchLabels all present with the same values', { matchLabels: { app: 'web', tier: 'frontend' } }, true],
    ['matchLabels with one value different', { matchLabels: { app: 'web', tier: 'backend' } }, false],
    ['matchLabels with a key the pod lacks', { matchLabels: { team: 'a' } }, false],
    ['In with the value listed', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'frontend'] }] }, true],
    ['In with the value not listed', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }] }, false],
    ['In on a key the pod lacks', { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] }, false],
    ['NotIn with the value not listed', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['backend'] }] }, true],
    ['NotIn with the value listed', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] }, false],
    ['NotIn on a key the pod lacks (Kubernetes: matches)', { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] }, true],
    ['Exists on a present key', { matchExpressions: [{ key: 'track', operator: 'Exists' }] }, true],
    ['Exists on an absent key', { matchExpressions: [{ key: 'team', operator: 'Exists' }] }, false],
    ['DoesNotExist on an absent key', { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, true],
    ['DoesNotExist on a present key', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    ['matchLabels and expressions both met', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['stable'] }] }, true],
    ['matchLabels met, an expression not', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['canary'] }] }, false],
  ])('%s', (_, selector, expected) => {
    expect(matchesSelector(pod, selector)).toBe(expected);
  });

  it('never reads a label off the prototype (constructor, __proto__)', () => {
    expect(hasLabels({}, { constructor: 'x' })).toBe(false);
    expect(matchesSelector({}, { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] })).toBe(false);
    expect(matchesSelector({}, { matchExpressions: [{ key: 'toString', operator: 'NotIn', values: ['x'] }] })).toBe(true);
  });

  it('is empty only without a single requirement', () => {
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector({ matchLabels: {}, matchExpressions: [] })).toBe(true);
    expect(isEmptySelector({ matchExpressions: [{ key: 'a', operator: 'Exists' }] })).toBe(false);
  });

  it('renders a selector with its empty parts left out, sharing nothing with it', () => {
    const selector: LabelSelector = { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] };
    const rendered = renderSelector(selector);
    expect(rendered).toEqual({ matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] });
    (rendered.matchExpressions as MatchExpression[])[0]?.values?.push('y');
    expect(selector.matchExpressions?.[0]?.values).toEqual(['x']);
  });
});

describe('the -l string form', () => {
  it.each<[string, MatchExpression[]]>([
    ['app=web', [{ key: 'app', operator: 'In', values: ['web'] }]],
    ['app==web', [{ key: 'app', operator: 'In', values: ['web'] }]],
    ['tier!=db', [{ key: 'tier', operator: 'NotIn', values: ['db'] }]],
    ['env in (prod, staging)', [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }]],
    ['env notin (dev)', [{ key: 'env', operator: 'NotIn', values: ['dev'] }]],
    ['team', [{ key: 'team', operator: 'Exists' }]],
    ['!legacy', [{ key: 'legacy', operator: 'DoesNotExist' }]],
    ['app=web,env in (a,b),!legacy', [
      { key: 'app', operator: 'In', values: ['web'] },
      { key: 'env', operator: 'In', values: ['a', 'b'] },
      { key: 'legacy', operator: 'DoesNotExist' },
    ]],
    ['', []],
  ])('reads %j as matchExpressions', (text, expected) => {
    expect(parseLabelSelector(text)).toEqual(expected);
  });

  it('refuses a clause it cannot read, naming it', () => {
    expect(() => parseLabelSelector('app=web,env in prod')).toThrow(/cannot read selector clause "env in prod"/);
  });

  const key = fc.constantFrom('app', 'tier', 'team');
  const value = fc.constantFrom('web', 'db', 'a1');
  const expression: fc.Arbitrary<MatchExpression> = fc.oneof(
    fc.record({ key, operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.uniqueArray(value, { minLength: 1, maxLength: 2 }) }),
    fc.record({ key, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
  );
  const selector: fc.Arbitrary<LabelSelector> = fc.record({ matchLabels: fc.dictionary(key, value, { maxKeys: 2 }), matchExpressions: fc.array(expression, { maxLength: 3 }) });
  const labels = fc.dictionary(key, value, { maxKeys: 3 });

  /** A selector written as `kubectl -l` takes it. */
  function asString(written: LabelSelector): string {
    const clauses = Object.entries(written.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
    for (const requirement of written.matchExpressions ?? []) {
      if (requirement.operator === 'Exists') clauses.push(requirement.key);
      else if (requirement.operator === 'DoesNotExist') clauses.push(`!${requirement.key}`);
      else clauses.push(`${requirement.key} ${requirement.operator.toLowerCase()} (${(requirement.values ?? []).join(',')})`);
    }
    return clauses.join(',');
  }

  it('picks exactly the pods the same selector written as an object picks', () => {
    fc.assert(
      fc.property(selector, labels, (written, podLabels) => {
        expect(matchesRequirements(podLabels, parseLabelSelector(asString(written)))).toBe(matchesSelector(podLabels, written));
      }),
    );
  });

  it('In and NotIn on the same values split the pods that carry the key', () => {
    fc.assert(
      fc.property(key, fc.uniqueArray(value, { maxLength: 3 }), labels, (k, values, podLabels) => {
        const inside = matchesSelector(podLabels, { matchExpressions: [{ key: k, operator: 'In', values }] });
        const outside = matchesSelector(podLabels, { matchExpressions: [{ key: k, operator: 'NotIn', values }] });
        expect(inside !== outside).toBe(true);
      }),
    );
  });
});

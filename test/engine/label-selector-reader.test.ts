import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KrmInputError } from '../../krm/base/errors.js';
import type { Path } from '../../krm/base/path.js';
import { checkLabelValues } from '../../krm/kube/label-values.js';
import { labelsOf, readLabels } from '../../krm/kube/labels.js';
import { podTemplatePathOf } from '../../krm/kube/pod-template.js';
import { readLabelSelector } from '../../krm/kube/read-label-selector.js';
import { workloadSelectorOf } from '../../krm/kube/workload-selector.js';
import type { Resource } from '../../krm/model/resource.js';
import { readInput } from '../../krm/stream/input.js';
import { thrownBy } from '../helpers/errors.js';

/** The checked readers of krm/kube: label maps, label selectors, a workload's own selector. */

function resourceOf(object: Record<string, unknown>): Resource {
  const [resource] = readInput(stringify({ metadata: { name: 'p', namespace: 'shop' }, ...object })).resources;
  if (!resource) throw new Error('no resource');
  return resource;
}

const policy = (podSelector: unknown): Resource => resourceOf({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', spec: { podSelector } });
const SELECTOR: Path = ['spec', 'podSelector'];

/** The located error `action` throws: its field and problem. */
function inputError(action: () => unknown): { field: Path | undefined; message: string } {
  const error = thrownBy(action);
  expect(error).toBeInstanceOf(KrmInputError);
  return { field: (error as KrmInputError).location.field, message: (error as Error).message };
}

describe('readLabels and labelsOf', () => {
  it('reads string values, and no labels as none', () => {
    expect(labelsOf(resourceOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { app: 'web', empty: '' } } }))).toEqual({ app: 'web', empty: '' });
    expect(labelsOf(resourceOf({ apiVersion: 'v1', kind: 'ConfigMap' }))).toEqual({});
  });

  it.each<[string, unknown, RegExp]>([
    ['a number', 1, /got a number \(1\) — quote it: tier: "1"$/],
    ['a boolean', false, /got a boolean \(false\) — quote it: tier: "false"$/],
    ['null (an empty value, as YAML reads `tier:`)', null, /got null — write "" for an empty value, or leave the key out$/],
    ['a list', ['a'], /got a list$/],
  ])('refuses %s as a value, naming the field', (_, value, problem) => {
    const resource = resourceOf({ apiVersion: 'v1', kind: 'ConfigMap' });
    const error = inputError(() => readLabels(resource, ['data', 'labels'], { app: 'web', tier: value }));
    expect(error.field).toEqual(['data', 'labels', 'tier']);
    expect(error.message).toMatch(/document 0, v1 ConfigMap shop\/p, line 1: data\.labels\.tier: expected a label value \(a string\), /);
    expect(error.message).toMatch(problem);
  });

  it('refuses a label map that is not a mapping', () => {
    const resource = resourceOf({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(inputError(() => readLabels(resource, ['x'], 'app=web')).field).toEqual(['x']);
  });
});

describe('readLabelSelector', () => {
  it('is undefined when absent, and a copy of what is written otherwise', () => {
    expect(readLabelSelector(policy(null), SELECTOR, undefined)).toBeUndefined();
    const written = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'Exists' }] };
    const resource = policy(written);
    const read = readLabelSelector(resource, SELECTOR, resource.get(SELECTOR));
    expect(read).toEqual(written);
    expect(read?.matchExpressions?.[0]?.values).not.toBe((resource.get([...SELECTOR, 'matchExpressions', 0, 'values'])));
  });

  it('keeps parts written empty: whether an empty selector picks all or none is the caller’s to say', () => {
    const resource = policy({ matchLabels: {}, matchExpressions: [] });
    expect(readLabelSelector(resource, SELECTOR, resource.get(SELECTOR))).toEqual({ matchLabels: {}, matchExpressions: [] });
  });

  it.each<[string, unknown, Path, RegExp]>([
    ['a selector that is not a mapping', 'app=web', [], /expected a mapping, got a string/],
    ['a non-string matchLabels value', { matchLabels: { tier: 1 } }, ['matchLabels', 'tier'], /expected a label value \(a string\), got a number \(1\)/],
    ['matchExpressions that are not a list', { matchExpressions: { key: 'a' } }, ['matchExpressions'], /expected a list/],
    ['an expression that is not a mapping', { matchExpressions: ['a'] }, ['matchExpressions', 0], /expected a mapping/],
    ['an expression without a string key', { matchExpressions: [{ key: 3, operator: 'Exists' }] }, ['matchExpressions', 0, 'key'], /expected a label key \(a string\), got a number/],
    ['an operator Kubernetes does not have', { matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] }, ['matchExpressions', 0, 'operator'], /expected In, NotIn, Exists or DoesNotExist, got a string \("in"\)/],
    ['values that are not a list', { matchExpressions: [{ key: 'a', operator: 'In', values: 'x' }] }, ['matchExpressions', 0, 'values'], /expected a list/],
    ['a non-string value in values', { matchExpressions: [{ key: 'a', operator: 'In', values: ['x', true] }] }, ['matchExpressions', 0, 'values', 1], /expected a label value \(a string\), got a boolean/],
  ])('refuses %s, naming the field', (_, written, field, problem) => {
    const resource = policy(written);
    const error = inputError(() => readLabelSelector(resource, SELECTOR, resource.get(SELECTOR)));
    expect(error.field).toEqual([...SELECTOR, ...field]);
    expect(error.message).toContain('networking.k8s.io/v1 NetworkPolicy shop/p');
    expect(error.message).toMatch(problem);
  });
});

describe('workloadSelectorOf', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [] } };
  const of = (object: Record<string, unknown>) => {
    const resource = resourceOf(object);
    return workloadSelectorOf(resource, podTemplatePathOf(resource));
  };

  it.each<[string, Record<string, unknown>, Path, unknown]>([
    ['a Deployment: spec.selector, a LabelSelector', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { selector: { matchLabels: { app: 'web' } }, template } }, ['spec', 'selector'], { matchLabels: { app: 'web' } }],
    ['a StatefulSet with expressions', { apiVersion: 'apps/v1', kind: 'StatefulSet', spec: { selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, template } }, ['spec', 'selector'], { matchExpressions: [{ key: 'app', operator: 'Exists' }] }],
    ['a Job', { apiVersion: 'batch/v1', kind: 'Job', spec: { selector: { matchLabels: { app: 'web' } }, template } }, ['spec', 'selector'], { matchLabels: { app: 'web' } }],
    ['a CronJob: beside its job’s template', { apiVersion: 'batch/v1', kind: 'CronJob', spec: { jobTemplate: { spec: { selector: { matchLabels: { app: 'web' } }, template } } } }, ['spec', 'jobTemplate', 'spec', 'selector'], { matchLabels: { app: 'web' } }],
    ['a ReplicationController: a bare label map', { apiVersion: 'v1', kind: 'ReplicationController', spec: { selector: { app: 'web' }, template } }, ['spec', 'selector'], { matchLabels: { app: 'web' } }],
    ['a Service: a bare label map', { apiVersion: 'v1', kind: 'Service', spec: { selector: { app: 'web' } } }, ['spec', 'selector'], { matchLabels: { app: 'web' } }],
    ['a Deployment without a selector', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template } }, ['spec', 'selector'], undefined],
    ['a Deployment with an empty selector (it selects nothing to go by)', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { selector: {}, template } }, ['spec', 'selector'], undefined],
  ])('%s', (_, object, path, selector) => {
    expect(of(object)).toEqual({ path, selector });
  });

  it('is undefined for a bare Pod and for objects without pods', () => {
    expect(of({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [] } })).toBeUndefined();
    expect(of({ apiVersion: 'v1', kind: 'ConfigMap' })).toBeUndefined();
  });

  it('reads a kind it does not know in the form its selector is written in', () => {
    const kinds = [{ group: 'example.com', kind: 'Web', path: ['spec', 'template'] }];
    const read = (selector: unknown) => {
      const resource = resourceOf({ apiVersion: 'example.com/v1', kind: 'Web', spec: { selector, template } });
      return workloadSelectorOf(resource, podTemplatePathOf(resource, kinds))?.selector;
    };
    expect(read({ app: 'web' })).toEqual({ matchLabels: { app: 'web' } });
    expect(read({ matchLabels: { app: 'web' } })).toEqual({ matchLabels: { app: 'web' } });
  });

  it('refuses a non-string value in a ReplicationController’s selector, naming the field', () => {
    const error = inputError(() => of({ apiVersion: 'v1', kind: 'ReplicationController', spec: { selector: { tier: 2 }, template } }));
    expect(error.field).toEqual(['spec', 'selector', 'tier']);
  });
});

describe('checkLabelValues (what the engine applies to every input resource)', () => {
  const deployment = (spec: Record<string, unknown>) => resourceOf({ apiVersion: 'apps/v1', kind: 'Deployment', spec });

  it.each<[string, Resource, Path]>([
    ['own labels', resourceOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p', labels: { a: 1 } } }), ['metadata', 'labels', 'a']],
    ['pod template labels', deployment({ template: { metadata: { labels: { a: true } } } }), ['spec', 'template', 'metadata', 'labels', 'a']],
    ['a workload selector', deployment({ selector: { matchLabels: { a: null } } }), ['spec', 'selector', 'matchLabels', 'a']],
    ['a selector expression’s values', deployment({ selector: { matchExpressions: [{ key: 'a', operator: 'In', values: [1] }] } }), ['spec', 'selector', 'matchExpressions', 0, 'values', 0]],
    ['a PodDisruptionBudget’s selector', resourceOf({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { selector: { matchLabels: { a: 1 } } } }), ['spec', 'selector', 'matchLabels', 'a']],
    ['a NetworkPolicy’s podSelector', policy({ matchLabels: { a: 1.5 } }), ['spec', 'podSelector', 'matchLabels', 'a']],
  ])('refuses a non-string value in %s', (_, resource, field) => {
    expect(inputError(() => checkLabelValues(resource)).field).toEqual(field);
  });

  it('leaves a malformed structure to the function that reads it (only values are its concern)', () => {
    expect(() => checkLabelValues(deployment({ selector: ['app'], template: 'web' }))).not.toThrow();
    expect(() => checkLabelValues(deployment({ selector: { matchExpressions: 'x' }, template: { metadata: { labels: 'app=web' } } }))).not.toThrow();
  });
});

/**
 * The engine's shared lookup (krm/resource-index.ts): its answers are what a scan of the
 * pipeline's resources gives, also after functions add resources or change what identifies
 * one — checked directly, as a property over random edit sequences, and through a pipeline.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defineFunction, type FunctionContext } from '../../krm/function/function.js';
import { readInput } from '../../krm/stream/input.js';
import { compileStep, runSteps } from '../../krm/function/pipeline.js';
import { ResourceIndex } from '../../krm/model/resource-index.js';
import { Resource, type KubeObject } from '../../krm/model/resource.js';
import * as v from 'valibot';

function resource(apiVersion: string, kind: string, name: string, namespace?: string): Resource {
  const object: KubeObject = { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } };
  return new Resource(object, { documentIndex: 0 }, undefined);
}

/** What a scan gives: the reference the index must agree with. */
function scanKind(resources: readonly Resource[], group: string, kind: string): Resource[] {
  return resources.filter((candidate) => candidate.group === group && candidate.kind === kind);
}
function scanNamed(resources: readonly Resource[], group: string, kind: string, name: string): Resource[] {
  return scanKind(resources, group, kind).filter((candidate) => candidate.name === name);
}

describe('ResourceIndex', () => {
  it('finds resources by group and kind, and by name in every namespace, in stream order', () => {
    const resources = [
      resource('v1', 'ConfigMap', 'settings', 'shop'),
      resource('apps/v1', 'Deployment', 'settings', 'shop'),
      resource('v1', 'ConfigMap', 'settings'),
      resource('v1', 'ConfigMap', 'other', 'shop'),
      resource('example.com/v1', 'ConfigMap', 'settings', 'shop'),
    ];
    const index = new ResourceIndex(resources);
    expect(index.named('', 'ConfigMap', 'settings')).toEqual([resources[0], resources[2]]);
    expect(index.named('example.com', 'ConfigMap', 'settings')).toEqual([resources[4]]);
    expect(index.ofKind('', 'ConfigMap')).toEqual([resources[0], resources[2], resources[3]]);
    expect(index.ofKind('apps', 'Deployment')).toEqual([resources[1]]);
    expect(index.named('', 'Secret', 'settings')).toEqual([]);
  });

  it('files resources appended after the first question (generated ones)', () => {
    const resources = [resource('v1', 'ConfigMap', 'a')];
    const index = new ResourceIndex(resources);
    expect(index.named('', 'ConfigMap', 'b')).toEqual([]);
    resources.push(resource('v1', 'ConfigMap', 'b'));
    expect(index.named('', 'ConfigMap', 'b')).toEqual([resources[1]]);
    expect(index.ofKind('', 'ConfigMap')).toEqual(resources);
  });

  it.each([
    [['metadata', 'name'], 'renamed'],
    [['metadata'], { name: 'renamed' }],
    [['kind'], 'Secret'],
    [['apiVersion'], 'example.com/v1'],
    [['metadata', 'namespace'], 'elsewhere'],
  ])('files a resource again after an edit of %j', (path, value) => {
    const resources = [resource('v1', 'ConfigMap', 'a', 'shop'), resource('v1', 'ConfigMap', 'b', 'shop')];
    const index = new ResourceIndex(resources);
    expect(index.named('', 'ConfigMap', 'a')).toEqual([resources[0]]);
    resources[0]!.set(path, value);
    for (const [group, kind, name] of [['', 'ConfigMap', 'a'], ['', 'ConfigMap', 'renamed'], ['', 'Secret', 'a'], ['example.com', 'ConfigMap', 'a']] as const) {
      expect(index.named(group, kind, name)).toEqual(scanNamed(resources, group, kind, name));
    }
    expect(index.ofKind('', 'ConfigMap')).toEqual(scanKind(resources, '', 'ConfigMap'));
  });

  it('agrees with a scan after any sequence of additions, renames and deletions (property)', () => {
    const name = fc.constantFrom('a', 'b', 'c');
    const kind = fc.constantFrom<[string, string]>(['v1', 'ConfigMap'], ['v1', 'Secret'], ['apps/v1', 'Deployment']);
    const operation = fc.oneof(
      fc.record({ op: fc.constant('add' as const), kind, name }),
      fc.record({ op: fc.constant('rename' as const), at: fc.nat(), name }),
      fc.record({ op: fc.constant('rekind' as const), at: fc.nat(), kind }),
      fc.record({ op: fc.constant('unname' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('ask' as const), kind, name }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
        const resources: Resource[] = [resource('v1', 'ConfigMap', 'a')];
        const index = new ResourceIndex(resources);
        for (const step of operations) {
          const target = 'at' in step ? resources[step.at % resources.length]! : undefined;
          if (step.op === 'add') resources.push(resource(step.kind[0], step.kind[1], step.name));
          else if (step.op === 'rename') target!.set(['metadata', 'name'], step.name);
          else if (step.op === 'rekind') {
            target!.set(['apiVersion'], step.kind[0]);
            target!.set(['kind'], step.kind[1]);
          } else if (step.op === 'unname') target!.delete(['metadata', 'name']);
          for (const [apiVersion, kindName] of [['v1', 'ConfigMap'], ['v1', 'Secret'], ['apps/v1', 'Deployment']] as const) {
            const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
            expect(index.ofKind(group, kindName)).toEqual(scanKind(resources, group, kindName));
            for (const candidate of ['a', 'b', 'c', '']) expect(index.named(group, kindName, candidate)).toEqual(scanNamed(resources, group, kindName, candidate));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the lookup in a pipeline', () => {
  // Two test-only functions: one generates a ConfigMap and renames a Secret, the next reports what the lookup sees.
  const seen: string[] = [];
  const testFunction = (kind: string, run: (context: FunctionContext<Record<string, never>>) => void) =>
    defineFunction({ name: kind.toLowerCase(), kind, summary: '', example: '', options: v.strictObject({}), commonOptionDocs: { select: '', podTemplateKinds: '' }, parseConfig: (): Record<string, never> => ({}), run });
  const generate = testFunction('TestGenerate', (context) => {
    expect(context.lookup.named('', 'ConfigMap', 'generated')).toEqual([]);
    context.add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generated' }, data: {} });
    context.lookup.named('', 'Secret', 'old')[0]!.set(['metadata', 'name'], 'new');
  });
  const observe = testFunction('TestObserve', (context) => {
    for (const [kind, name] of [['ConfigMap', 'generated'], ['Secret', 'old'], ['Secret', 'new']] as const) {
      seen.push(`${kind}/${name}: ${context.lookup.named('', kind, name).length}`);
    }
  });

  it('is shared by the steps of a run and sees what earlier steps generated and renamed', () => {
    const input = readInput(stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'old' } }));
    runSteps(input, [compileStep(generate, {}), compileStep(observe, {})]);
    expect(seen).toEqual(['ConfigMap/generated: 1', 'Secret/old: 0', 'Secret/new: 1']);
  });
});

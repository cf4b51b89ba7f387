/** Properties of the guards `krmkit patches` puts before every operation (cli/patches/guarded-patch.ts). */
import { applyPatch, compare, getValueByPointer, type Operation } from 'fast-json-patch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardedOperations } from '../../cli/patches/guarded-patch.js';
import { workload } from '../helpers/arbitraries.js';

const runs = Number(process.env.KRMKIT_PROPERTY_RUNS ?? 150);

function apply(document: unknown, operations: readonly Operation[]): unknown {
  return applyPatch(structuredClone(document), structuredClone(operations) as Operation[], true, true).newDocument;
}

function valueAt(document: unknown, pointer: string): unknown {
  try {
    return getValueByPointer(document, pointer);
  } catch {
    return undefined;
  }
}

/** Two workloads sharing identity, so `compare` yields the edits of one into the other. */
const pair = fc.tuple(workload, workload).map(([before, after]) => [before, { ...after, kind: (before as { kind: unknown }).kind }] as const);

describe('guarded patches', () => {
  it('apply to the original and give exactly what the unguarded operations give', () => {
    fc.assert(
      fc.property(pair, ([before, after]) => {
        const guarded = guardedOperations(before, compare(before, after));
        expect(apply(before, guarded)).toEqual(after);
      }),
      { numRuns: runs },
    );
  });

  it('fail when a list item the patch goes through was renamed (a container at another index)', () => {
    fc.assert(
      fc.property(pair, ([before, after]) => {
        const operations = compare(before, after);
        const guarded = guardedOperations(before, operations);
        // A container-name test that checks the original (not an item an earlier operation made).
        const tested = guarded.find(
          (operation) => operation.op === 'test' && /\/containers\/\d+\/name$/.test(operation.path) && valueAt(before, operation.path) === (operation as { value: unknown }).value,
        );
        fc.pre(tested !== undefined);
        const renamed = apply(before, [{ op: 'replace', path: (tested as Operation).path, value: 'someone-else' }]);
        expect(() => apply(renamed, guarded)).toThrow(/Test operation failed/);
      }),
      { numRuns: runs },
    );
  });

  it('fail when a value a replace overwrites has changed', () => {
    const before = { spec: { replicas: 2, template: { spec: { containers: [{ name: 'api', image: 'api:1' }] } } } };
    const after = { spec: { replicas: 2, template: { spec: { containers: [{ name: 'api', image: 'api:2' }] } } } };
    const guarded = guardedOperations(before, compare(before, after));
    expect(guarded).toEqual([
      { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'api' },
      { op: 'test', path: '/spec/template/spec/containers/0/image', value: 'api:1' },
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'api:2' },
    ]);
    const changedByChart = { spec: { replicas: 2, template: { spec: { containers: [{ name: 'api', image: 'api:1.5' }] } } } };
    expect(() => apply(changedByChart, guarded)).toThrow(/Test operation failed/);
  });

  it('append list items at the end, so items a chart adds later do not shift them', () => {
    const before = { env: [{ name: 'A', value: '1' }] };
    const after = { env: [{ name: 'A', value: '1' }, { name: 'PROD', value: 'true' }] };
    const guarded = guardedOperations(before, compare(before, after));
    expect(guarded).toEqual([{ op: 'add', path: '/env/-', value: { name: 'PROD', value: 'true' } }]);
    expect(apply({ env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, guarded)).toEqual({ env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'PROD', value: 'true' }] });
  });
});

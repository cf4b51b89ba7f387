/**
 * A document's host keeps each value a set wrote without copying it: edits inside it later
 * are held by that value and get no record of their own, and a set that creates maps on its
 * way is recorded as the set of the first one (krm/yaml/yaml-host.ts, Resource.set). When
 * the splice writer gives up and the host replays its edits on the parsed document, the
 * result must still be the data: also after list items were deleted and others moved to
 * their indexes.
 */
import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { readInput } from '../../krm/stream/input.js';
import { takeOutputParts, writeOutput } from '../../krm/stream/output.js';
import type { Resource } from '../../krm/model/resource.js';

// The tab-indented line in the block scalar makes the splice writer give up: the document
// is re-printed from its replayed edits.
const replayed = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  script: |
    \techo hello
`;

const withList = `${replayed}spec:
  list:
    - a: 0
    - a: 1
    - a: 2
`;

function written(text: string, edits: (resource: Resource) => void): unknown {
  const input = readInput(text);
  const resource = input.resources[0] as Resource;
  edits(resource);
  const expected = structuredClone(resource.object);
  const output = writeOutput(input, [], []);
  expect(load(output)).toEqual(expected);
  return load(output);
}

describe('edit values kept by a document host', () => {
  it('are replayed as they were set, after edits inside them and deletes of list items', () => {
    const out = written(replayed, (resource) => {
      resource.set(['spec', 'items'], [{ a: 1 }, { a: 2 }, { a: 3 }]);
      resource.delete(['spec', 'items', 1]);
      resource.set(['spec', 'items', 1, 'b'], 2);
      resource.set(['spec', 'map'], { y: 1 });
      resource.set(['spec', 'map', 'z'], 2);
      resource.delete(['spec', 'map', 'y']);
    });
    expect(out).toMatchObject({ spec: { items: [{ a: 1 }, { a: 3, b: 2 }], map: { z: 2 } } });
  });

  it('are replayed as set for any sequence of sets and deletes on a list of maps', () => {
    // The list is set first (edits inside it are then held by its value), or is in the
    // document as read (sets of its items are recorded, and moved by deletes before them).
    const operation = fc.oneof(
      fc.record({ op: fc.constant('set' as const), index: fc.nat(4), key: fc.constantFrom('a', 'b'), value: fc.nat(9) }),
      fc.record({ op: fc.constant('setItem' as const), index: fc.nat(4), value: fc.nat(9) }),
      fc.record({ op: fc.constant('delete' as const), index: fc.nat(4) }),
      fc.record({ op: fc.constant('deleteKey' as const), index: fc.nat(4), key: fc.constantFrom('a', 'b') }),
      fc.record({ op: fc.constant('deleteInner' as const), index: fc.nat(4) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 12 }), fc.boolean(), (operations, listInDocument) => {
        written(listInDocument ? withList : replayed, (resource) => {
          if (!listInDocument) resource.set(['spec', 'list'], [{ a: 0 }, { a: 1 }, { a: 2 }]);
          for (const operation of operations) {
            const list = resource.get(['spec', 'list']) as unknown[];
            const index = Math.min(operation.index, list.length);
            if (operation.op === 'set' && index < list.length) resource.set(['spec', 'list', index, operation.key], operation.value);
            if (operation.op === 'setItem') resource.set(['spec', 'list', index], { a: operation.value, l: [1, 2] });
            if (operation.op === 'delete' && index < list.length) resource.delete(['spec', 'list', index]);
            if (operation.op === 'deleteKey' && index < list.length) resource.delete(['spec', 'list', index, operation.key]);
            // A delete inside a moved item's own list: replayed on the item as it ended, it would delete twice.
            if (operation.op === 'deleteInner' && index < list.length) resource.delete(['spec', 'list', index, 'l', 0]);
          }
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('are replayed as set when sets create maps on their way and later edits land inside them', () => {
    // A set under missing keys is recorded as the set of the first map it creates, and
    // edits inside a value set earlier get no record of their own (the value holds them).
    const key = fc.constantFrom('a', 'b');
    const path = fc.array(key, { maxLength: 3 });
    const operation = fc.oneof(
      fc.record({ op: fc.constant('set' as const), path, value: fc.oneof(fc.nat(9), fc.constant({ k: 1 })) }),
      fc.record({ op: fc.constant('delete' as const), path }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 12 }), fc.boolean(), (operations, splice) => {
        const text = splice ? replayed.replace('\techo hello', 'echo hello') : replayed;
        written(text, (resource) => {
          for (const operation of operations) {
            if (operation.op === 'set') resource.set(['spec', ...operation.path], operation.value);
            else resource.delete(['spec', ...operation.path]);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('are replayed as set in a ResourceList, one host for many items (values filed by item)', () => {
    const items = Array.from({ length: 40 }, (_, index) => `  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: c${index}\n`).join('');
    const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}functionConfig:\n  script: |\n    \techo hello\n`;
    const input = readInput(list);
    expect(input.resources).toHaveLength(40);
    for (const resource of input.resources) {
      resource.set(['data'], { list: ['a', 'b', 'c'] });
      resource.delete(['data', 'list', 0]);
      resource.set(['data', 'list', 2], 'd');
      resource.set(['data', 'more'], { k: 'v' });
      resource.set(['data', 'more', 'k2'], 'v2');
    }
    const expected = input.resources.map((resource) => structuredClone(resource.object));
    const output = load(writeOutput(input, [], [])) as { items: unknown[] };
    expect(output.items).toEqual(expected);
    expect(expected[39]).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c39' }, data: { list: ['b', 'c', 'd'], more: { k: 'v', k2: 'v2' } } });
  });

  it('leave the objects to the writer that consumes the input: each document is dropped once printed', () => {
    const input = readInput(`${replayed}---\n${replayed.replace('settings', 'other')}`);
    for (const resource of input.resources) resource.set(['data', 'mode'], 'on');
    const expected = writeOutput(input, [], []);
    const parts = takeOutputParts(input, [], []);
    expect(parts.join('')).toBe(expected);
    expect(input.resources).toHaveLength(0);
    expect(input.documents.every((document) => document.host === undefined)).toBe(true);
  });
});

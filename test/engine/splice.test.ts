/**
 * The splice writer: edits change only the lines they must. Whatever it writes re-reads as
 * exactly the edited object (it verifies itself and otherwise defers to the `yaml` printer).
 */
import fc from 'fast-check';
import { load } from 'js-yaml';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readInput } from '../../krm/stream/input.js';
import { writeOutput } from '../../krm/stream/output.js';
import type { Path } from '../../krm/base/path.js';
import { spliceEdits } from '../../krm/yaml/splice-edits.js';
import { workload } from '../helpers/arbitraries.js';

const style = { indent: 2, indentSequences: false };

/** Applies `edits` through the Resource API and writes the stream back. */
function edit(text: string, edits: (resource: ReturnType<typeof readInput>['resources'][number]) => void): string {
  const input = readInput(text);
  for (const resource of input.resources) edits(resource);
  return writeOutput(input, [], []);
}

describe('splice writer', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # the site
  labels: {app: web}
spec:
  template:
    spec:
      containers:
      - name: nginx
        image: 'nginx:1.27'
        args:
          - --port=80 # indented list, unlike the containers list
      # the exporter sidecar
      - name: exporter
        image: exporter:1
`;

  it('adds a key at the end of its mapping, leaving every other line as written', () => {
    const output = edit(deployment, (resource) => resource.set(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'], false));
    expect(output).toBe(deployment.replace("          - --port=80 # indented list, unlike the containers list\n", "          - --port=80 # indented list, unlike the containers list\n        securityContext:\n          privileged: false\n"));
  });

  it('replaces a scalar keeping its quotes and trailing comment', () => {
    const output = edit(deployment, (resource) => {
      resource.set(['metadata', 'name'], 'site');
      resource.set(['spec', 'template', 'spec', 'containers', 0, 'image'], 'nginx:1.28');
    });
    expect(output).toContain('  name: site   # the site\n');
    expect(output).toContain("        image: 'nginx:1.28'\n");
  });

  it('keeps a flow mapping a flow mapping', () => {
    expect(edit(deployment, (resource) => resource.set(['metadata', 'labels', 'tier'], 'frontend'))).toContain('  labels: {app: web, tier: frontend}\n');
  });

  it('appends list items in the list’s own indentation', () => {
    const output = edit(deployment, (resource) => {
      resource.set(['spec', 'template', 'spec', 'containers', 0, 'args', 1], '--workers=2');
      resource.set(['spec', 'template', 'spec', 'containers', 2], { name: 'third', image: 'x:1' });
    });
    expect(output).toContain('          - --port=80 # indented list, unlike the containers list\n          - --workers=2\n');
    expect(output).toContain('        image: exporter:1\n      - name: third\n        image: x:1\n');
  });

  it('turns an empty or null value into a block when it receives entries (lists indented when the document shows no style)', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {}\nspec:\n  securityContext:\n  containers: []\n';
    const output = edit(text, (resource) => {
      resource.set(['metadata', 'annotations', 'a'], 'b');
      resource.set(['spec', 'securityContext', 'runAsNonRoot'], true);
      resource.set(['spec', 'containers', 0], { name: 'c', image: 'i' });
    });
    expect(output).toBe('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    a: b\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: c\n      image: i\n');
  });

  it('writes valid YAML when edits fill an empty list and empty it again (yaml printer fallback)', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: i\n    env: []\n    ports: []\n';
    const output = edit(text, (resource) => {
      resource.set(['spec', 'containers', 0, 'env', 0], 'a');
      resource.delete(['spec', 'containers', 0, 'env', 0]);
    });
    expect(load(output)).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'i', env: [], ports: [] }] } });
    expect(output).toContain('    env: []\n');
  });

  it('deletes an entry with the comment right above it', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    keep: "1"\n    # stale, from an earlier run\n    stale: "2"\n';
    expect(edit(text, (resource) => resource.delete(['metadata', 'annotations', 'stale']))).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    keep: "1"\n');
  });

  it('quotes strings that a YAML 1.1 reader would take for another type', () => {
    const output = edit('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: x\n', (resource) => {
      for (const [key, value] of Object.entries({ on: 'on', octal: '0644', number: '1.5', date: '2024-01-01', plain: '1Mi', ref: '$(HOST):8080' })) resource.set(['data', key], value);
    });
    expect(load(output)).toMatchObject({ data: { on: 'on', octal: '0644', number: '1.5', date: '2024-01-01', plain: '1Mi', ref: '$(HOST):8080' } });
    // The key too: Kubernetes reads an unquoted `on:` key as the boolean true.
    expect(output).toContain('  "on": "on"\n');
    expect(output).toContain('  octal: "0644"\n');
    expect(output).toContain('  plain: 1Mi\n');
  });

  it('declines what it does not handle, so the yaml printer takes over', () => {
    const withComment = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c # keep me\n    image: i\n';
    expect(spliceEdits(withComment, [{ op: 'set', path: ['spec', 'containers'] }], { spec: { containers: [] } }, style)).toBeUndefined();
    const tagged = 'apiVersion: v1\nkind: Pod\nmetadata: !!map\n  name: p\n';
    expect(spliceEdits(tagged, [{ op: 'set', path: ['metadata', 'name'] }], { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' } }, style)).toBeUndefined();
  });
});

describe('splice writer properties', () => {
  /** A random edit: a path into the object (existing or one level new) and a value. */
  const anyValue = fc.oneof(fc.boolean(), fc.integer(), fc.constantFrom('a', 'on', '0644', 'x: y', 'a #b', '', 'multi\nline', '1Mi'), fc.constant(null), fc.dictionary(fc.constantFrom('k', 'l'), fc.string({ maxLength: 5 }), { maxKeys: 2 }), fc.array(fc.constantFrom('p', 'q,r'), { maxLength: 2 }));

  function pathsOf(value: unknown, prefix: Path = []): Path[] {
    const paths: Path[] = [prefix];
    if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...prefix, index])));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
    return paths;
  }

  it('any edits: the output re-reads as the edited object, and unedited documents keep their bytes', () => {
    fc.assert(
      fc.property(workload, fc.boolean(), fc.array(fc.tuple(fc.nat(), anyValue, fc.constantFrom('set', 'add', 'delete')), { minLength: 1, maxLength: 6 }), (object, indentSeq, edits) => {
        const text = `# Source: x.yaml\n${stringify(object, { indentSeq, lineWidth: 0 })}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: untouched}\n`;
        const input = readInput(text);
        const resource = input.resources[0];
        if (!resource) return;
        for (const [pick, value, op] of edits) {
          const paths = pathsOf(resource.object).filter((path) => path.length > 0 && path[0] !== 'apiVersion' && path[0] !== 'kind');
          const path = paths[pick % paths.length];
          if (!path) continue;
          if (op === 'delete') resource.delete(path);
          else if (op === 'add') {
            const target = resource.get(path);
            if (Array.isArray(target)) resource.set([...path, target.length], value);
            else if (target && typeof target === 'object') resource.set([...path, 'added'], value);
            else resource.set(path, value);
          } else resource.set(path, value);
        }
        const output = writeOutput(input, [], []);
        const [first, second] = output.split(/^---\n/m);
        expect(load(first as string)).toEqual(resource.object);
        expect(first?.startsWith('# Source: x.yaml\n')).toBe(true);
        expect(second).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: untouched}\n');
      }),
      { numRuns: Number(process.env.KRMKIT_PROPERTY_RUNS ?? 300) },
    );
  });
});

/** The engine reads any stream or ResourceList and writes it back in the same envelope. */
import { describe, expect, it } from 'vitest';
import { KrmInputError } from '../../krm/base/errors.js';
import { labelsOf } from '../../krm/kube/labels.js';
import { load } from 'js-yaml';
import { readInput } from '../../krm/stream/input.js';
import { writeOutput } from '../../krm/stream/output.js';
import { transform } from '../helpers/transform.js';

const EMPTY = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'Pipeline', steps: [] };
const FILL_RESTRICTED = { apiVersion: 'krmkit.dev/v1alpha1', kind: 'SecurityContext', mode: 'fill' };

const pod = (name: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: app:1
`;

function roundTrip(text: string): string {
  return transform(text, EMPTY).output;
}

function inputError(text: string): KrmInputError {
  try {
    readInput(text);
  } catch (error) {
    if (error instanceof KrmInputError) return error;
    throw error;
  }
  throw new Error('expected a KrmInputError');
}

describe('untouched documents come out byte-for-byte', () => {
  it.each([
    ['a Helm render with # Source: comments', `---\n# Source: a/templates/x.yaml\n${pod('a')}---\n# Source: a/templates/y.yaml\n${pod('b')}`],
    ['a license block before a first document without ---', `# Copyright 2024 The Authors.\n#\n# Licensed under the Apache License.\n\n${pod('a')}---\n${pod('b')}`],
    ['empty and comment-only documents', `---\n---\n# only a comment\n---\n${pod('a')}---\n\n---\n`],
    ['CRLF line endings', `---\r\n${pod('a').replace(/\n/g, '\r\n')}`],
    ['a UTF-8 byte-order mark', `\uFEFF${pod('a')}`],
    ['a final document without a trailing newline', `${pod('a')}---\n${pod('b').trimEnd()}`],
    ['explicit document ends (...)', `${pod('a')}...\n---\n${pod('b')}...\n`],
    ['odd but valid formatting', `apiVersion:   v1\nkind: "ConfigMap"\nmetadata: {name: x,   labels: {a: 'b'}}\ndata:\n  key: |+\n    keep\n\n`],
  ])('%s', (_name, text) => {
    expect(roundTrip(text)).toBe(text);
  });

  it('keeps other documents byte-identical when one is edited', () => {
    const untouched = `---\n# Source: a/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:   {name: cfg}\ndata: {a: "1"}\n`;
    const output = transform(`${untouched}---\n${pod('a')}${untouched}`, FILL_RESTRICTED).output;
    expect(output.startsWith(untouched)).toBe(true);
    expect(output.endsWith(untouched)).toBe(true);
  });
});

describe('edited documents keep comments, key order and scalar styles', () => {
  const source = `---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api # the API
  annotations:
    config.kubernetes.io/path: "deploy.yaml"
    internal.config.kubernetes.io/path: 'deploy.yaml'
    kustomize.config.k8s.io/id: |
      kind: Deployment
    postrenderer.helm.sh/postrender-filename: shop/templates/deployment.yaml
spec:
  replicas: 3 # scaled by HPA
  template:
    spec:
      volumes:
      - name: cfg
        configMap:
          name: cfg
          defaultMode: 0644
      containers:
      # the main container
      - name: api
        image: 'shop/api:1.0'
        args: ["--port", "8080"]
`;
  const output = transform(source, FILL_RESTRICTED).output;

  it('keeps comments', () => {
    for (const comment of ['# Source: shop/templates/deployment.yaml', '# the API', '# scaled by HPA', '# the main container']) {
      expect(output).toContain(comment);
    }
  });

  it('keeps key order and quoting', () => {
    expect(output.indexOf('apiVersion')).toBeLessThan(output.indexOf('kind'));
    expect(output).toContain(`image: 'shop/api:1.0'`);
    expect(output).toContain(`args: ["--port", "8080"]`);
    expect(output).toContain('config.kubernetes.io/path: "deploy.yaml"');
  });

  it('keeps number spellings that YAML 1.1 readers interpret differently (0644 is octal to Kubernetes)', () => {
    expect(output).toContain('defaultMode: 0644');
  });

  it('passes tracking annotations through untouched', () => {
    expect(output).toContain(`internal.config.kubernetes.io/path: 'deploy.yaml'`);
    expect(output).toContain('kustomize.config.k8s.io/id: |\n      kind: Deployment\n');
    expect(output).toContain('postrenderer.helm.sh/postrender-filename: shop/templates/deployment.yaml');
  });

  it('did edit the document', () => {
    expect(output).toContain('runAsNonRoot: true');
  });

  it('keeps CRLF in edited documents', () => {
    const crlf = transform(source.replace(/\n/g, '\r\n'), FILL_RESTRICTED).output;
    expect(crlf).toContain('runAsNonRoot: true\r\n');
    expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describe('envelopes', () => {
  it('detects a ResourceList and answers with one', () => {
    const list = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- ${pod('a').replace(/\n(?=.)/g, '\n  ')}`;
    const input = readInput(list);
    expect(input.envelope).toBe('resourceList');
    expect(input.resources.map((resource) => resource.name)).toEqual(['a']);
    expect(transform(list, FILL_RESTRICTED).output).toMatch(/^apiVersion: config.kubernetes.io\/v1\nkind: ResourceList\nitems:/);
  });

  it('accepts config.kubernetes.io/v1beta1 ResourceLists', () => {
    expect(readInput('apiVersion: config.kubernetes.io/v1beta1\nkind: ResourceList\nitems: []\n').envelope).toBe('resourceList');
  });

  it('treats items of *List documents as resources that stay in their List', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- ${pod('p').replace(/\n(?=.)/g, '\n  ')}`;
    expect(readInput(list).resources.map((resource) => resource.kind)).toEqual(['ConfigMap', 'Pod']);
    const output = transform(list, FILL_RESTRICTED).output;
    expect(output.startsWith('apiVersion: v1\nkind: List\nitems:\n')).toBe(true);
    expect(output).toContain('runAsNonRoot: true');
  });

  it('reads JSON, and writes JSON back', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'i' }] } }, null, 2);
    expect(roundTrip(json)).toBe(json);
    const edited = transform(json, FILL_RESTRICTED).output;
    expect(JSON.parse(edited).spec.securityContext.runAsNonRoot).toBe(true);
  });

  it('reads a JSON ResourceList', () => {
    const json = JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }] });
    expect(readInput(json).envelope).toBe('resourceList');
    expect(JSON.parse(transform(json, EMPTY).output).items).toHaveLength(1);
  });
});

describe('bad input fails closed with a located message', () => {
  it('names the document and line of malformed YAML', () => {
    const error = inputError(`${pod('a')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n`);
    expect(error.location.documentIndex).toBe(1);
    expect(error.message).toMatch(/document 1.*line \d+.*malformed YAML/);
  });

  it('refuses duplicate keys', () => {
    expect(inputError('apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n').message).toMatch(/duplicate|duplicated/i);
  });

  it('refuses a document that is not a mapping', () => {
    expect(inputError(`${pod('a')}---\n- just\n- a list\n`).message).toMatch(/document 1.*expected a Kubernetes object/);
  });

  it('refuses objects without apiVersion or kind, naming the field', () => {
    const error = inputError('kind: ConfigMap\nmetadata: {name: cfg}\n');
    expect(error.message).toMatch(/ConfigMap cfg.*apiVersion: missing apiVersion/);
  });

  it('refuses labels or annotations that are not mappings (an opt-out inside must not read as absent)', () => {
    const error = inputError('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations: ["krmkit.dev/skip: all"]\n');
    expect(error.message).toContain('apps/v1 Deployment web, line 1: metadata.annotations: expected a mapping, got a list');
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb}', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 10; level++) {
      bomb.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9).fill(`*${String.fromCharCode(96 + level)}`).join(',')}]`);
    }
    expect(inputError(`${bomb.join('\n')}\n`).message).toMatch(/alias/i);
  });

  it('refuses binary data', () => {
    expect(inputError('apiVersion: v1\u0000\u0001kind').message).toMatch(/NUL byte/);
  });

  it('refuses inputs over the size limit before parsing them', () => {
    expect(() => readInput('x'.repeat(2048), { maxBytes: 1024 })).toThrow(/limit/);
  });

  it('keeps __proto__ and constructor keys as plain data', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    __proto__: polluted\n    constructor: x\n';
    const [resource] = readInput(text).resources;
    expect(resource && labelsOf(resource)).toEqual({ __proto__: 'polluted', constructor: 'x' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(resource?.metadata.labels)).toBe(Object.prototype);
    expect(roundTrip(text)).toBe(text);
  });
});

describe('anchors and aliases', () => {
  it('edits a document whose anchored node an alias shares (the alias becomes a copy)', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: a
    image: i
    env:
    - name: X
      valueFrom: &shared
        fieldRef: {fieldPath: metadata.name}
    - name: Y
      valueFrom: *shared
`;
    const input = readInput(text);
    const [pod] = input.resources;
    pod?.set(['spec', 'containers', 0, 'env', 0, 'valueFrom'], { fieldRef: { fieldPath: 'metadata.namespace' } });
    const output = writeOutput(input, [], []);
    expect(load(output)).toEqual(pod?.object);
    expect(output).not.toContain('*shared');
  });
});

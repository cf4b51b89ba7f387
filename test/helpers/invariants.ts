import { CORE_SCHEMA, load } from 'js-yaml';
import { deepEqual } from '../../krm/base/deep-equal.js';
import { KrmInputError } from '../../krm/base/errors.js';
import { readInput } from '../../krm/stream/input.js';
import { formatPath, isPlainMap, type Path } from '../../krm/base/path.js';
import type { Result } from '../../krm/model/results.js';
import { splitDocuments } from '../../krm/yaml/split-documents.js';
import { objectsOf } from './objects.js';
import { checkObject, type PssControl } from './pss.js';
import { transform } from './transform.js';
import type { SuiteConfig } from './suite-configs.js';
import { validateObject } from './kube-schemas.js';

/**
 * The guarantees every run must keep (docs/reliability.md), checked on one input and one
 * config. A violation throws an Error that says which guarantee broke and where.
 */

export type Verdict = { rejected: true; message: string } | { rejected: false; edited: number; generated: number; schemaChecked: number };

/** Controls security-context cannot repair without breaking the pod: it reports them as errors instead. */
const UNREPAIRABLE: ReadonlySet<PssControl> = new Set(['HostPath Volumes', 'Volume Types', 'Host Ports', 'Sysctls', 'SELinux']);

export function checkInvariants(input: string, suite: SuiteConfig, options: { inputMayBeMalformed?: boolean } = {}): Verdict {
  let first;
  try {
    first = transform(input, suite.config);
  } catch (error) {
    // A located input error is the documented answer to malformed input; anything else is a bug.
    if (error instanceof KrmInputError && options.inputMayBeMalformed) return { rejected: true, message: error.message };
    throw new Error(`${suite.name}: ${error instanceof KrmInputError ? 'rejected valid input' : 'threw'}: ${(error as Error).stack ?? String(error)}`, { cause: error });
  }
  const { output, results } = first;
  const fail = (guarantee: string, detail: string): never => {
    throw new Error(`${suite.name}: ${guarantee}: ${detail}`);
  };

  // Output re-parses, through the engine's reader and as plain YAML.
  try {
    readInput(output);
  } catch (error) {
    fail('output re-parses', (error as Error).message);
  }
  const before = objectsOf(input);
  const after = objectsOf(output);

  // Idempotence: a second run gives the same bytes.
  const second = transform(output, suite.config).output;
  if (second !== output) fail('idempotence', firstDifference(output, second));

  // Nothing lost: every input object, in order, with every field it had unless documented.
  if (after.length < before.length) fail('nothing lost', `${before.length} objects in, ${after.length} out`);
  let edited = 0;
  let schemaChecked = 0;
  before.forEach((object, index) => {
    const out = after[index] as Record<string, unknown>;
    if (identity(out) !== identity(object)) fail('nothing lost', `object ${index} was ${identity(object)}, is ${identity(out)}`);
    const lost = lostFields(object, out, [], suite.changes);
    if (lost.length > 0) fail('nothing lost', `${identity(object)}: ${lost.slice(0, 5).join('; ')}`);
    if (suite.injects) {
      const dropped = droppedEnvEntries(object, out, suite.injects);
      if (dropped.length > 0) fail('nothing lost', `${identity(object)}: env entries not injected by the function disappeared: ${dropped.join('; ')}`);
    }
    if (!deepEqual(object, out)) {
      edited++;
      // Edited objects stay valid Kubernetes objects (when they were valid to begin with).
      if (validateObject(object).status === 'valid') {
        const verdict = validateObject(out);
        schemaChecked++;
        if (verdict.status === 'invalid') fail('edited objects validate', `${identity(out)}: ${verdict.problems}`);
      }
    }
  });
  // Generated objects validate.
  for (const object of after.slice(before.length)) {
    const verdict = validateObject(object);
    if (verdict.status === 'invalid') fail('generated objects validate', `${identity(object)}: ${verdict.problems}`);
    if (verdict.status === 'valid') schemaChecked++;
  }

  // Untouched documents come out byte-identical.
  if (isYamlStream(input)) checkUntouchedDocuments(input, output, fail);

  // Restricted output passes the Pod Security Standard, except what the function reports it cannot repair.
  if (suite.restricted) {
    for (const object of after.slice(0, before.length)) {
      if (optedOut(object)) continue;
      const violations = checkObject(object, 'restricted');
      const repairable = violations.filter((violation) => !UNREPAIRABLE.has(violation.control));
      if (repairable.length > 0) fail('restricted output passes PSS', `${identity(object)}: ${repairable.map((v) => `${v.control} at ${v.field} = ${JSON.stringify(v.value)}`).join('; ')}`);
      if (violations.length > 0 && !hasErrorFor(results, object)) {
        fail('unrepairable PSS violations are reported as errors', `${identity(object)}: ${violations.map((v) => `${v.control} at ${v.field}`).join('; ')}`);
      }
    }
  }
  return { rejected: false, edited, generated: after.length - before.length, schemaChecked };
}

export function identity(object: Record<string, unknown>): string {
  const metadata = isPlainMap(object.metadata) ? object.metadata : {};
  return `${String(object.apiVersion)} ${String(object.kind)} ${String(metadata.namespace ?? '')}/${String(metadata.name ?? '')}`;
}

/** Paths whose input value is missing or different in the output, outside what the config may change. */
export function lostFields(before: unknown, after: unknown, path: Path, changes: (path: Path) => boolean): string[] {
  if (changes(path)) return [];
  // null carries nothing to lose: Helm renders empty values as null, and functions fill them in.
  if (before === null || before === undefined) return [];
  if (Array.isArray(before)) {
    if (!Array.isArray(after)) return [`${formatPath(path)}: was a list`];
    return before.flatMap((entry, index) => (index < after.length ? lostFields(entry, after[index], [...path, index], changes) : changes([...path, index]) ? [] : [`${formatPath([...path, index])}: removed`]));
  }
  if (isPlainMap(before)) {
    if (!isPlainMap(after)) return [`${formatPath(path)}: was a mapping`];
    return Object.entries(before).flatMap(([key, value]) => {
      if (key in after) return lostFields(value, after[key], [...path, key], changes);
      // A removed map or list is fine when everything in it was the function's to remove
      // (reloader drops its last stale checksum annotation, and the emptied map with it).
      const emptied = isPlainMap(value) ? {} : Array.isArray(value) ? [] : undefined;
      if (emptied !== undefined && lostFields(value, emptied, [...path, key], changes).length === 0) return [];
      return changes([...path, key]) ? [] : [`${formatPath([...path, key])}: removed`];
    });
  }
  return before === after ? [] : [`${formatPath(path)}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`];
}

/** Container env entries whose name the function does not inject, missing from the output. */
function droppedEnvEntries(before: Record<string, unknown>, after: Record<string, unknown>, injected: ReadonlySet<string>): string[] {
  const dropped: string[] = [];
  for (const { path, container } of containersIn(before)) {
    const out = containerAt(after, path);
    const outEnv = Array.isArray(out?.env) ? out.env : [];
    for (const entry of Array.isArray(container.env) ? container.env : []) {
      if (!isPlainMap(entry) || injected.has(String(entry.name))) continue;
      if (!outEnv.some((candidate) => deepEqual(candidate, entry))) dropped.push(`${formatPath(path)}.env ${String(entry.name)}`);
    }
  }
  return dropped;
}

function containersIn(object: unknown, path: Path = []): { path: Path; container: Record<string, unknown> }[] {
  if (!isPlainMap(object)) return [];
  const found: { path: Path; container: Record<string, unknown> }[] = [];
  for (const [key, value] of Object.entries(object)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
      value.forEach((container, index) => {
        if (isPlainMap(container)) found.push({ path: [...path, key, index], container });
      });
    } else if (isPlainMap(value)) {
      found.push(...containersIn(value, [...path, key]));
    }
  }
  return found;
}

function containerAt(object: unknown, path: Path): Record<string, unknown> | undefined {
  let node: unknown = object;
  for (const segment of path) node = Array.isArray(node) || isPlainMap(node) ? (node as Record<string | number, unknown>)[segment] : undefined;
  return isPlainMap(node) ? node : undefined;
}

function isYamlStream(input: string): boolean {
  const first = /\S/.exec(input.replace(/^\uFEFF/, ''))?.[0];
  if (first === '{' || first === '[') return false;
  const objects = objectsOf(input);
  return !(objects.length > 0 && objects.every((object) => object.kind === 'ResourceList'));
}

function parseDocument(text: string): unknown {
  try {
    return load(text, { schema: CORE_SCHEMA });
  } catch {
    return Symbol('unparseable');
  }
}

function checkUntouchedDocuments(input: string, output: string, fail: (guarantee: string, detail: string) => never): void {
  const inputDocuments = splitDocuments(input);
  const outputDocuments = splitDocuments(output);
  inputDocuments.forEach((document, index) => {
    const out = outputDocuments[index];
    if (!out) fail('nothing lost', `document ${index} is missing from the output`);
    const same = deepEqual(parseDocument(document.text), parseDocument((out as { text: string }).text));
    if (!same) return;
    let expected = document.text;
    // The last input document may gain the line break that separates it from generated ones.
    if (index === inputDocuments.length - 1 && outputDocuments.length > inputDocuments.length && !expected.endsWith('\n')) expected += '\n';
    if ((out as { text: string }).text !== expected) fail('untouched documents are byte-identical', `document ${index}: ${firstDifference(expected, (out as { text: string }).text)}`);
  });
}

/**
 * The "untouched bytes" guarantee alone, for a function's own spec: every document whose
 * object the run did not change comes out exactly as it went in — the check checkInvariants
 * makes. Documents are paired by position (generated ones, appended at the end, are ignored).
 */
export function expectUnchangedDocumentsKeepTheirBytes(input: string, output: string): void {
  checkUntouchedDocuments(input, output, (guarantee, detail) => {
    throw new Error(`${guarantee}: ${detail}`);
  });
}

function optedOut(object: Record<string, unknown>): boolean {
  const annotations = isPlainMap(object.metadata) && isPlainMap(object.metadata.annotations) ? object.metadata.annotations : {};
  const skip = annotations['krmkit.dev/skip'];
  return typeof skip === 'string' && skip.split(',').some((entry) => ['all', 'security-context'].includes(entry.trim()));
}

function hasErrorFor(results: readonly Result[], object: Record<string, unknown>): boolean {
  const metadata = isPlainMap(object.metadata) ? object.metadata : {};
  return results.some((result) => result.severity === 'error' && result.resourceRef?.kind === object.kind && result.resourceRef?.name === metadata.name);
}

export function firstDifference(a: string, b: string): string {
  let index = 0;
  while (index < a.length && a[index] === b[index]) index++;
  return `first difference at offset ${index}: ${JSON.stringify(a.slice(Math.max(0, index - 60), index + 60))} vs ${JSON.stringify(b.slice(Math.max(0, index - 60), index + 60))}`;
}

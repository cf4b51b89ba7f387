/**
 * Validity against the Kubernetes schemas (kubernetes-models) of what krmkit edits and
 * generates: in every golden fixture's expected output, and in both overlays applied to the
 * example application (base/rendered.yaml). The prod overlay's output also passes the Pod
 * Security Standard `restricted` (test/helpers/pss.ts), checked independently of
 * functions/security-context. The fuzz suites apply the same checks to generated input.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deepEqual } from '../../krm/base/deep-equal.js';
import { isPlainMap } from '../../krm/base/path.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { objectsOf } from '../helpers/objects.js';
import { checkObject, podOf } from '../helpers/pss.js';
import { transform } from '../helpers/transform.js';
import { SUITE_CONFIGS } from '../helpers/suite-configs.js';
import { identity } from '../helpers/invariants.js';
import { validateObject } from '../helpers/kube-schemas.js';

const FIXTURES = join(REPO_ROOT, 'fixtures');

/** Objects of a stream or of a ResourceList's items. */
function objectsIn(text: string): Record<string, unknown>[] {
  return objectsOf(text).flatMap((object) => (object.kind === 'ResourceList' && Array.isArray(object.items) ? object.items.filter(isPlainMap) : [object]));
}

/** Edited (changed from the input at the same position) and generated objects. */
function changedObjects(input: Record<string, unknown>[], output: Record<string, unknown>[]): { object: Record<string, unknown>; before?: Record<string, unknown> }[] {
  return output.flatMap((object, index) => {
    const before = input[index];
    if (index >= input.length) return [{ object }];
    return deepEqual(before, object) ? [] : [{ object, before: before as Record<string, unknown> }];
  });
}

function schemaProblems(changed: { object: Record<string, unknown>; before?: Record<string, unknown> }[]): string[] {
  return changed.flatMap(({ object, before }) => {
    // An edited object is held to the schema only when its input was valid: fixtures may
    // hold deliberately odd input, and krmkit does not repair what it does not own.
    if (before && validateObject(before).status !== 'valid') return [];
    const verdict = validateObject(object);
    return verdict.status === 'invalid' ? [`${identity(object)}: ${verdict.problems}`] : [];
  });
}

const goldenCases = readdirSync(FIXTURES).flatMap((fn) =>
  readdirSync(join(FIXTURES, fn))
    .filter((name) => existsSync(join(FIXTURES, fn, name, 'expected.yaml')))
    .map((name) => ({ name: `${fn}/${name}`, dir: join(FIXTURES, fn, name) })),
);

describe('golden fixtures: edited and generated objects validate against the Kubernetes schemas', () => {
  it.each(goldenCases)('$name', ({ dir }) => {
    const input = objectsIn(readFileSync(join(dir, 'input.yaml'), 'utf8'));
    const expected = objectsIn(readFileSync(join(dir, 'expected.yaml'), 'utf8'));
    expect(schemaProblems(changedObjects(input, expected))).toEqual([]);
  });
});

describe('overlays on base/rendered.yaml', () => {
  const rendered = readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8');
  const overlays = SUITE_CONFIGS.filter((suite) => suite.name.startsWith('overlay'));

  it.each(overlays)('$name: every edited and generated object validates', (suite) => {
    const before = objectsIn(rendered);
    const after = objectsIn(transform(rendered, suite.config).output);
    const changed = changedObjects(before, after);
    expect(changed.length).toBeGreaterThan(0);
    expect(schemaProblems(changed)).toEqual([]);
    // Argo Rollouts and CRD instances have no model; everything in this application has one.
    expect(after.filter((object) => validateObject(object).status === 'unchecked').map(identity)).toEqual([]);
  });

  it('prod: every workload passes the Pod Security Standard restricted, with no error result', () => {
    const prod = SUITE_CONFIGS.find((suite) => suite.name === 'overlay prod');
    const outcome = transform(rendered, prod?.config);
    const workloads = objectsIn(outcome.output).filter((object) => podOf(object));
    expect(workloads.length).toBeGreaterThan(3);
    for (const workload of workloads) expect({ workload: identity(workload), violations: checkObject(workload, 'restricted') }).toEqual({ workload: identity(workload), violations: [] });
    expect(outcome.results.filter((result) => result.severity === 'error')).toEqual([]);
  });

  it('dev: every workload passes the Pod Security Standard baseline', () => {
    const dev = SUITE_CONFIGS.find((suite) => suite.name === 'overlay dev');
    const workloads = objectsIn(transform(rendered, dev?.config).output).filter((object) => podOf(object));
    for (const workload of workloads) expect(checkObject(workload, 'baseline')).toEqual([]);
  });
});

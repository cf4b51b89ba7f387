import { KrmConfigError } from '../../krm/base/errors.js';
import { describeValue, firstUnknownKey, unknownName } from '../../krm/base/messages.js';
import { isPlainMap, type Path } from '../../krm/base/path.js';

/**
 * The shapes of Kubernetes `EnvVar` and `EnvFromSource` (core/v1), checked field by field
 * so that a mistake in the config is reported as `env[2].valueFrom.secretKeyRef.key: …`
 * before anything is written, instead of producing a manifest the API server rejects.
 */

/** A Kubernetes EnvVar: `name` plus `value`, or `valueFrom`, or neither (an empty value). */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

/** A Kubernetes EnvFromSource: one of `configMapRef`/`secretRef`, optional `prefix`. */
export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export type EnvFromKind = 'configMapRef' | 'secretRef';

/** What a field of a `valueFrom` source accepts. */
type FieldRule = { required: boolean; type: 'string' | 'boolean' | 'quantity' };

const VALUE_FROM_SOURCES: Readonly<Record<string, Readonly<Record<string, FieldRule>>>> = {
  secretKeyRef: { name: { required: true, type: 'string' }, key: { required: true, type: 'string' }, optional: { required: false, type: 'boolean' } },
  configMapKeyRef: { name: { required: true, type: 'string' }, key: { required: true, type: 'string' }, optional: { required: false, type: 'boolean' } },
  fieldRef: { fieldPath: { required: true, type: 'string' }, apiVersion: { required: false, type: 'string' } },
  resourceFieldRef: { resource: { required: true, type: 'string' }, containerName: { required: false, type: 'string' }, divisor: { required: false, type: 'quantity' } },
};

const ENV_FROM_REF_FIELDS: Readonly<Record<string, FieldRule>> = {
  name: { required: true, type: 'string' },
  optional: { required: false, type: 'boolean' },
};

/**
 * Kubernetes (since 1.32, RelaxedEnvironmentVariableValidation) accepts any printable ASCII
 * except `=`; older clusters want a C identifier. krmkit checks the rule every cluster shares
 * a superset of, so it never rejects a name a current cluster accepts.
 */
const ENV_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;

export function isValidEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

type Fail = (problem: string, at: Path) => never;

function failWith(functionName: string): Fail {
  return (problem, at) => {
    throw new KrmConfigError(functionName, problem, at);
  };
}

function rejectUnknownKeys(fail: Fail, value: Record<string, unknown>, known: readonly string[], at: Path): void {
  const unknown = firstUnknownKey(value, known);
  if (unknown !== undefined) fail(unknownName('field', unknown, known, 'expected'), [...at, unknown]);
}

function checkFields(fail: Fail, value: unknown, rules: Readonly<Record<string, FieldRule>>, at: Path): Record<string, unknown> {
  if (!isPlainMap(value)) return fail(`expected a mapping, got ${describeValue(value)}`, at);
  rejectUnknownKeys(fail, value, Object.keys(rules), at);
  for (const [field, rule] of Object.entries(rules)) {
    const fieldValue = value[field];
    if (fieldValue === undefined || fieldValue === null) {
      if (rule.required) fail(`${field} is required`, [...at, field]);
      continue;
    }
    const ok =
      rule.type === 'string' ? typeof fieldValue === 'string' && fieldValue !== '' :
      rule.type === 'boolean' ? typeof fieldValue === 'boolean' :
      typeof fieldValue === 'string' || typeof fieldValue === 'number';
    if (!ok) {
      const expected = rule.type === 'string' ? 'a non-empty string' : rule.type === 'boolean' ? 'true or false' : 'a quantity such as 1Mi or 1';
      fail(`expected ${expected}, got ${describeValue(fieldValue)}`, [...at, field]);
    }
  }
  return value;
}

/** Checks one `env` entry of the config. */
export function parseEnvVar(functionName: string, raw: unknown, at: Path): EnvVar {
  const fail = failWith(functionName);
  if (!isPlainMap(raw)) return fail(`expected an EnvVar mapping ({name, value} or {name, valueFrom}), got ${describeValue(raw)}`, at);
  rejectUnknownKeys(fail, raw, ['name', 'value', 'valueFrom'], at);
  const name = raw.name;
  if (name === undefined || name === null) return fail('name is required', [...at, 'name']);
  if (typeof name !== 'string' || name === '') return fail(`expected a non-empty string, got ${describeValue(name)}`, [...at, 'name']);
  if (!isValidEnvName(name)) fail(`${JSON.stringify(name)} is not a valid variable name (printable ASCII, no "=")`, [...at, 'name']);
  const value = raw.value;
  const valueFrom = raw.valueFrom;
  const hasValue = value !== undefined && value !== null;
  const hasValueFrom = valueFrom !== undefined && valueFrom !== null;
  if (hasValue && typeof value !== 'string') {
    // YAML reads `value: true` and `value: 8080` as a boolean and a number; Kubernetes wants a string.
    const hint = typeof value === 'boolean' || typeof value === 'number' ? ` — quote it: value: "${String(value)}"` : '';
    fail(`expected a string, got ${describeValue(value)}${hint}`, [...at, 'value']);
  }
  if (hasValue && hasValueFrom) fail('give value or valueFrom, not both', at);
  const envVar: EnvVar = { name };
  if (hasValue) envVar.value = value as string;
  if (hasValueFrom) envVar.valueFrom = parseValueFrom(fail, valueFrom, [...at, 'valueFrom']);
  return envVar;
}

function parseValueFrom(fail: Fail, raw: unknown, at: Path): Record<string, unknown> {
  const sources = Object.keys(VALUE_FROM_SOURCES);
  if (!isPlainMap(raw)) return fail(`expected a mapping with one of ${sources.join(', ')}, got ${describeValue(raw)}`, at);
  rejectUnknownKeys(fail, raw, sources, at);
  const given = Object.keys(raw).filter((key) => raw[key] !== undefined && raw[key] !== null);
  if (given.length !== 1) fail(`expected exactly one of ${sources.join(', ')}, got ${given.length === 0 ? 'none' : given.join(' and ')}`, at);
  const source = given[0] as string;
  checkFields(fail, raw[source], VALUE_FROM_SOURCES[source] as Record<string, FieldRule>, [...at, source]);
  return raw;
}

/** Checks one `envFrom` entry of the config. */
export function parseEnvFromSource(functionName: string, raw: unknown, at: Path): EnvFromSource {
  const fail = failWith(functionName);
  const kinds: EnvFromKind[] = ['configMapRef', 'secretRef'];
  if (!isPlainMap(raw)) return fail(`expected an EnvFromSource mapping ({configMapRef: {name}} or {secretRef: {name}}, optional prefix), got ${describeValue(raw)}`, at);
  rejectUnknownKeys(fail, raw, [...kinds, 'prefix'], at);
  const given = kinds.filter((kind) => raw[kind] !== undefined && raw[kind] !== null);
  if (given.length !== 1) fail(`expected exactly one of configMapRef, secretRef, got ${given.length === 0 ? 'none' : given.join(' and ')}`, at);
  const kind = given[0] as EnvFromKind;
  const ref = checkFields(fail, raw[kind], ENV_FROM_REF_FIELDS, [...at, kind]);
  const source: EnvFromSource = { [kind]: { name: ref.name as string, ...(typeof ref.optional === 'boolean' ? { optional: ref.optional } : {}) } };
  const prefix = raw.prefix;
  if (prefix !== undefined && prefix !== null) {
    if (typeof prefix !== 'string') fail(`expected a string, got ${describeValue(prefix)}`, [...at, 'prefix']);
    if (prefix !== '') source.prefix = prefix as string;
  }
  return source;
}

/** `configMapRef` or `secretRef`: the one the source uses. */
export function envFromKind(source: EnvFromSource): EnvFromKind {
  return source.configMapRef ? 'configMapRef' : 'secretRef';
}

/**
 * Two sources are the same when they read the same object with the same prefix; `optional`
 * does not make a different source, only a different setting of it.
 */
export function envFromIdentity(kind: EnvFromKind, name: string, prefix: string): string {
  return JSON.stringify([kind, name, prefix]);
}

import { CORE_SCHEMA, load } from 'js-yaml';
import * as v from 'valibot';
import { KrmConfigError } from '../base/errors.js';
import { describeValue, didYouMean, unknownName } from '../base/messages.js';
import { isPlainMap, type Path } from '../base/path.js';
import { fillDefaults, optionSpecs, type OptionSpec, type OptionSpecs, type OptionsOf, type OptionsSchema } from './option-declaration.js';

export type { OptionSpec, OptionSpecs, OptionsOf, OptionsSchema } from './option-declaration.js';

export const API_VERSION = 'krmkit.dev/v1alpha1';

/** Options every function takes: which resources it applies to, and extra pod-template kinds. */
export const commonOptionsSchema = v.strictObject({
  select: v.optional(
    v.pipe(
      v.unknown(),
      v.description('Only resources matching one of these selectors ({group, version, kind, name (anchored regex), namespace, labelSelector, annotationSelector}).'),
      v.metadata({ shape: 'list of selectors', defaultText: 'all' }),
    ),
  ),
  exclude: v.optional(v.pipe(v.unknown(), v.description('Skip resources matching any of these selectors.'), v.metadata({ shape: 'list of selectors', defaultText: 'none' }))),
  podTemplateKinds: v.optional(
    v.pipe(
      v.unknown(),
      v.description('Extra kinds that embed a pod template, with the dot-separated path to it (e.g. spec.template).'),
      v.metadata({ shape: 'list of `{group, kind, path}`', defaultText: '—' }),
    ),
  ),
});

export const COMMON_OPTIONS: OptionSpecs = optionSpecs(commonOptionsSchema);

/**
 * Options read by `readOptions` (declared types), with the declaration's defaults filled in: what
 * a function's `parseConfig` receives. The values were checked already, so the defaults are filled
 * in from the declaration directly; Valibot parses only what that does not cover.
 */
export function withDefaults<Schema extends OptionsSchema>(schema: Schema, options: Readonly<Record<string, unknown>>): OptionsOf<Schema> {
  return (fillDefaults(schema, options) as OptionsOf<Schema> | undefined) ?? v.parse(schema, options);
}

/** `readOptions` then `withDefaults`, without the common options: a function's own options, typed. */
export function readOwnOptions<Schema extends OptionsSchema>(functionName: string, kind: string, raw: unknown, schema: Schema): OptionsOf<Schema> {
  const { select: _select, exclude: _exclude, podTemplateKinds: _kinds, ...own } = readOptions(functionName, kind, raw, optionSpecs(schema));
  return withDefaults(schema, own);
}

/** Keys a config may carry that are not options. */
const ENVELOPE_KEYS = new Set(['apiVersion', 'kind', 'metadata']);
/** In a ConfigMap, `function` names the function for a one-image container (see README). */
const CONFIG_MAP_ONLY_KEYS = new Set(['function']);

/**
 * Reads a function's options from any of the forms users write them in — a typed object
 * (`apiVersion: krmkit.dev/v1alpha1`, `kind: <Kind>`, options as top-level fields), a
 * ConfigMap whose `data` holds them as strings (kpt's `-- key=value`), or a bare mapping
 * (a pipeline step, CLI flags) — into values of the declared types.
 */
export function readOptions(functionName: string, kind: string, raw: unknown, specs: OptionSpecs): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isPlainMap(raw)) throw new KrmConfigError(functionName, `expected a mapping, got ${describeValue(raw)}`);
  const all = { ...COMMON_OPTIONS, ...specs };
  if (raw.kind === 'ConfigMap' && (raw.apiVersion === 'v1' || raw.apiVersion === undefined)) {
    const data = raw.data ?? {};
    if (!isPlainMap(data)) throw new KrmConfigError(functionName, `expected a mapping, got ${describeValue(data)}`, ['data']);
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) {
      if (CONFIG_MAP_ONLY_KEYS.has(key)) continue;
      const spec = specFor(functionName, all, key, ['data']);
      options[key] = fromString(functionName, spec, value, ['data', key]);
    }
    return options;
  }
  if (raw.kind !== undefined && raw.kind !== kind) {
    throw new KrmConfigError(functionName, `kind ${JSON.stringify(raw.kind)} is not this function's config (expected ${kind} or ConfigMap)`, ['kind']);
  }
  if (raw.apiVersion !== undefined && raw.apiVersion !== API_VERSION) {
    throw new KrmConfigError(functionName, `apiVersion ${JSON.stringify(raw.apiVersion)} is not supported (expected ${API_VERSION})`, ['apiVersion']);
  }
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (ENVELOPE_KEYS.has(key)) continue;
    const spec = specFor(functionName, all, key, []);
    options[key] = checkType(functionName, spec, value, [key]);
  }
  return options;
}

function specFor(functionName: string, specs: OptionSpecs, key: string, parent: string[]): OptionSpec {
  const spec = Object.prototype.hasOwnProperty.call(specs, key) ? specs[key] : undefined;
  if (spec) return spec;
  throw new KrmConfigError(functionName, unknownName('option', key, Object.keys(specs), 'valid options:'), [...parent, key]);
}

function fromString(functionName: string, spec: OptionSpec, value: unknown, path: Path): unknown {
  if (typeof value !== 'string') return checkType(functionName, spec, value, path);
  switch (spec.type) {
    case 'string':
      return checkType(functionName, spec, value, path);
    case 'boolean':
      if (value === 'true' || value === 'false') return value === 'true';
      throw new KrmConfigError(functionName, `expected "true" or "false", got ${JSON.stringify(value)}`, path);
    case 'integer':
      if (/^-?\d+$/.test(value.trim())) return checkType(functionName, spec, Number(value), path);
      throw new KrmConfigError(functionName, `expected a whole number, got ${JSON.stringify(value)}`, path);
    case 'stringList': {
      const trimmed = value.trim();
      if (trimmed.startsWith('[')) return checkType(functionName, spec, parseYaml(functionName, trimmed, path), path);
      return checkType(functionName, spec, trimmed === '' ? [] : trimmed.split(',').map((entry) => entry.trim()), path);
    }
    case 'structured':
      return parseYaml(functionName, value, path);
  }
}

function parseYaml(functionName: string, text: string, path: Path): unknown {
  try {
    return load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    throw new KrmConfigError(functionName, `not valid YAML or JSON: ${(error as { reason?: string }).reason ?? (error as Error).message}`, path);
  }
}

function checkType(functionName: string, spec: OptionSpec, value: unknown, path: Path): unknown {
  const fail = (expected: string): never => {
    throw new KrmConfigError(functionName, `expected ${expected}, got ${describeValue(value)}`, path);
  };
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') return fail('a string');
      checkWord(functionName, spec.enum, value, path);
      return value;
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('true or false');
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('a whole number');
      if (spec.minimum !== undefined && value < spec.minimum) return fail(`a number ≥ ${spec.minimum}`);
      if (spec.maximum !== undefined && value > spec.maximum) return fail(`a number ≤ ${spec.maximum}`);
      return value;
    case 'stringList':
      if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) return fail('a list of strings');
      value.forEach((entry: string, index) => checkWord(functionName, spec.enum, entry, [...path, index]));
      return value;
    case 'structured':
      return value;
  }
}

/** A word of a declared list (`v.picklist`): `"fil" is not one of fill, enforce, audit — did you mean "fill"?`. */
function checkWord(functionName: string, words: readonly string[] | undefined, value: string, path: Path): void {
  if (words && !words.includes(value)) throw new KrmConfigError(functionName, `${JSON.stringify(value)} is not one of ${words.join(', ')}${didYouMean(value, words)}`, path);
}

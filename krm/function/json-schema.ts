/**
 * The JSON Schema of a function's typed config and of a whole Pipeline, from the options each
 * function declares (Valibot → JSON Schema). Editors read them through the
 * `# yaml-language-server: $schema=` line of an overlay; `krmkit schema` prints them. Loaded only
 * by that command and by `npm run docs`, so the converter costs nothing at start-up.
 */
import { toJsonSchema, type JsonSchema } from '@valibot/to-json-schema';
import type { AnyKrmFunction } from './function.js';
import { API_VERSION, commonOptionsSchema, type OptionsSchema } from './options.js';

const DRAFT = 'http://json-schema.org/draft-07/schema#';

/** Each option's properties, without the README words (`v.metadata`), which are no JSON Schema keywords. */
function optionProperties(schema: OptionsSchema): Record<string, JsonSchema> {
  const converted = toJsonSchema(schema, { errorMode: 'throw', ignoreActions: ['metadata'] });
  const properties: Record<string, JsonSchema> = {};
  for (const [name, property] of Object.entries(converted.properties ?? {})) {
    if (typeof property === 'object') properties[name] = property;
  }
  return properties;
}

/** A function's typed config (`apiVersion: krmkit.dev/v1alpha1`, `kind`, options as top-level fields). */
export function functionConfigSchema(fn: AnyKrmFunction): JsonSchema {
  return {
    title: fn.kind,
    description: `${fn.name}: ${fn.summary}`,
    type: 'object',
    properties: {
      apiVersion: { const: API_VERSION },
      kind: { const: fn.kind },
      metadata: { type: 'object' },
      ...optionProperties(fn.optionsSchema),
      ...optionProperties(commonOptionsSchema),
    },
    required: ['kind'],
    additionalProperties: false,
  };
}

/** One function's config as a schema file of its own. */
export function functionSchemaDocument(fn: AnyKrmFunction): JsonSchema {
  return { $schema: DRAFT, ...functionConfigSchema(fn) };
}

/** A `kind: Pipeline`: steps, each one function config chosen by its `kind`. */
export function pipelineSchemaDocument(registry: readonly AnyKrmFunction[]): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  for (const fn of registry) definitions[fn.kind] = functionConfigSchema(fn);
  return {
    $schema: DRAFT,
    title: 'Pipeline',
    description: 'krmkit functions run in order; each step is a function config chosen by its kind.',
    type: 'object',
    properties: {
      apiVersion: { const: API_VERSION },
      kind: { const: 'Pipeline' },
      metadata: { type: 'object' },
      steps: { type: 'array', items: { oneOf: registry.map((fn) => ({ $ref: `#/definitions/${fn.kind}` })) } },
    },
    required: ['kind'],
    additionalProperties: false,
    definitions,
  };
}

/** Pretty JSON with a final newline, as the files in `schemas/` are written. */
export function schemaText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

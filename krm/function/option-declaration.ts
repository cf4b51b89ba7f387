/**
 * What a function's options are, read from the one Valibot declaration each function writes
 * in its `config.ts`: the parser (options.ts), `--help`, the README tables and the JSON Schema
 * all start from here, so none of them can disagree with the declaration.
 */
import type * as v from 'valibot';

/** A function's options, declared once: `v.strictObject({ name: v.optional(v.pipe(type, v.description(…)), default) })`. */
export type OptionsSchema = v.StrictObjectSchema<v.ObjectEntries, undefined>;

/** The options a function's `parseConfig` receives: the declared types, with the declared defaults filled in. */
export type OptionsOf<Schema extends OptionsSchema> = v.InferOutput<Schema>;

/**
 * Extra words for the README table (`v.metadata({...})` in an option's pipe): what a
 * structured option looks like, a default that is not a plain value, a longer meaning.
 */
export interface OptionDocs {
  /** The type column for options the declaration leaves `unknown` (structured YAML), e.g. ``list of `{name, value}` ``. */
  shape?: string;
  /** The default column when the default is not a literal (`every container`, `see below`). */
  defaultText?: string;
  /** The meaning column, when the README says more than `--help`. */
  readme?: string;
}

/** What an option accepts. ConfigMap `data` carries every option as a string and is converted by type. */
export type OptionType =
  | { type: 'string'; enum?: readonly string[] }
  | { type: 'boolean' }
  | { type: 'integer'; minimum?: number; maximum?: number }
  | { type: 'stringList'; enum?: readonly string[] }
  /** Structured YAML: a list of mappings, for instance. In a ConfigMap, a YAML or JSON string. */
  | { type: 'structured'; shape: string };

export type OptionSpec = OptionType & { description: string; default?: unknown; docs: OptionDocs };

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The part of a Valibot schema object this reader looks at (every schema and action has `type`). */
interface SchemaNode {
  readonly type: string;
  readonly wrapped?: SchemaNode;
  readonly default?: unknown;
  readonly pipe?: readonly SchemaNode[];
  readonly options?: readonly unknown[];
  readonly item?: SchemaNode;
  readonly requirement?: unknown;
  readonly description?: string;
  readonly metadata?: OptionDocs;
}

/**
 * The options with the declaration's defaults filled in, as `v.parse(schema, options)` returns
 * them — the declared order, each missing (or undefined) option with a default given its
 * default, each declared list copied — for options `readOptions` has already checked against
 * these specs. Done without Valibot's parse, which a post-renderer would otherwise run once
 * per step on every start; `test/engine/option-defaults.test.ts` holds the two equal.
 * `undefined` when the declaration or the options are not of that plain kind (an option
 * that is not optional, a key not declared): the caller then lets Valibot decide.
 */
export function fillDefaults(schema: OptionsSchema, options: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const entries: Readonly<Record<string, SchemaNode>> = schema.entries;
  for (const key in options) if (!Object.prototype.hasOwnProperty.call(entries, key)) return undefined;
  const filled: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(entries)) {
    if (entry.type !== 'optional') return undefined;
    const given = Object.prototype.hasOwnProperty.call(options, name) ? options[name] : undefined;
    const value = given === undefined ? (typeof entry.default === 'function' ? (entry.default as () => unknown)() : entry.default) : given;
    if (value === undefined && !Object.prototype.hasOwnProperty.call(options, name)) continue;
    filled[name] = entry.wrapped?.type === 'array' && Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return filled;
}

/** Reads each option's type, bounds, description and default out of the declaration. */
export function optionSpecs(schema: OptionsSchema): OptionSpecs {
  const specs: Record<string, OptionSpec> = {};
  for (const [name, entry] of Object.entries(schema.entries)) specs[name] = optionSpec(name, entry);
  return specs;
}

function optionSpec(name: string, entry: SchemaNode): OptionSpec {
  const optional = entry.type === 'optional' && entry.wrapped ? entry : undefined;
  const node = optional?.wrapped ?? entry;
  const actions = node.pipe ?? [];
  const action = (type: string): SchemaNode | undefined => actions.find((step) => step.type === type);
  const docs = action('metadata')?.metadata ?? {};
  // A list's default is a function, so that no two configs share one array.
  const fallback = typeof optional?.default === 'function' ? (optional.default as () => unknown)() : optional?.default;
  const spec = { description: action('description')?.description ?? '', docs, ...(fallback === undefined ? {} : { default: fallback }) };
  const words = (list: SchemaNode | undefined): readonly string[] | undefined =>
    list?.type === 'picklist' ? list.options?.filter((word): word is string => typeof word === 'string') : undefined;
  const bound = (type: string): { [key: string]: number } => {
    const requirement = action(type)?.requirement;
    return typeof requirement === 'number' ? { [type === 'min_value' ? 'minimum' : 'maximum']: requirement } : {};
  };
  switch (node.type) {
    case 'string':
      return { type: 'string', ...spec };
    case 'picklist':
      return { type: 'string', enum: words(node), ...spec };
    case 'boolean':
      return { type: 'boolean', ...spec };
    case 'number':
      if (action('integer')) return { type: 'integer', ...bound('min_value'), ...bound('max_value'), ...spec };
      break;
    case 'array':
      if (node.item?.type === 'string') return { type: 'stringList', ...spec };
      if (node.item?.type === 'picklist') return { type: 'stringList', enum: words(node.item), ...spec };
      break;
    case 'unknown':
      return { type: 'structured', shape: docs.shape ?? 'structured YAML', ...spec };
  }
  throw new Error(`option ${name}: declare it as a string, picklist, boolean, integer, list of strings or unknown (structured), not ${node.type}`);
}

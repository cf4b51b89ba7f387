/**
 * The option table of each function's README, written from the function's declaration
 * (`functions/<name>/config.ts`): name, type, default, meaning. `npm run docs` rewrites the
 * table between the markers; test/docs checks that no README is stale.
 */
import type { AnyKrmFunction } from '../../krm/function/function.js';
import type { OptionSpec } from '../../krm/function/options.js';

export const TABLE_BEGIN = '<!-- options:begin -->';
export const TABLE_END = '<!-- options:end -->';

const code = (text: string): string => `\`${text}\``;

/** A default as YAML would show it: `[443, 6443]`, `false`, `restricted`. */
function showValue(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(String).join(', ')}]` : String(value);
}

function typeColumn(spec: OptionSpec): string {
  if (spec.docs.shape !== undefined) return spec.docs.shape;
  switch (spec.type) {
    case 'boolean':
      return 'boolean';
    case 'integer': {
      const { minimum, maximum } = spec;
      if (minimum !== undefined && maximum !== undefined) return `integer ${minimum}–${maximum}`;
      if (minimum !== undefined) return `integer ≥ ${minimum}`;
      return maximum !== undefined ? `integer ≤ ${maximum}` : 'integer';
    }
    case 'string':
      return spec.enum ? spec.enum.map(code).join(' \\| ') : 'string';
    case 'stringList':
      return spec.enum ? `list of ${spec.enum.map(code).join(', ')}` : 'list of strings';
    case 'structured':
      return spec.shape;
  }
}

function defaultColumn(spec: OptionSpec): string {
  if (spec.docs.defaultText !== undefined) return spec.docs.defaultText;
  return spec.default === undefined ? '—' : code(showValue(spec.default));
}

/** A table cell: a `|` in the text would end the cell. */
function cell(text: string): string {
  return text.replace(/(?<!\\)\|/g, '\\|');
}

/** The Markdown table of a function's options, the common ones last. */
export function optionTable(fn: AnyKrmFunction): string {
  const rows = Object.entries(fn.options).map(([name, spec]) => `| ${code(name)} | ${typeColumn(spec)} | ${defaultColumn(spec)} | ${cell(spec.docs.readme ?? spec.description)} |`);
  const common = fn.commonOptionDocs;
  return [
    '| option | type | default | meaning |',
    '|---|---|---|---|',
    ...rows,
    `| ${code('select')}, ${code('exclude')} | list of selectors | ${common.selectDefault ?? 'all'} | ${common.select} |`,
    `| ${code('podTemplateKinds')} | list of ${code('{group, kind, path}')} | — | ${common.podTemplateKinds} |`,
  ].join('\n');
}

/** The README with its table (between the markers) written from the declaration. */
export function withOptionTable(readme: string, fn: AnyKrmFunction): string {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`functions/${fn.name}/README.md: put ${TABLE_BEGIN} and ${TABLE_END} around the options table`);
  return `${readme.slice(0, begin + TABLE_BEGIN.length)}\n${optionTable(fn)}\n${readme.slice(end)}`;
}

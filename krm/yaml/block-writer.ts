/**
 * Prints plain values as block YAML at a given column, the way hand-written Kubernetes
 * manifests look. Used to splice new values into a document without re-printing the rest.
 */

export interface BlockStyle {
  /** Spaces per nesting level. */
  indent: number;
  /** `- ` items deeper than their key (true) or level with it (false, kubectl style). */
  indentSequences: boolean;
}

/** Strings that a YAML 1.1 or 1.2 reader would take for something else when unquoted. */
const AMBIGUOUS = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\.?\d[\d_.:eE+-]*|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|\.inf|\.nan)|<<|=)$/i;
/**
 * Plain (unquoted) in block context: no leading indicator character, no `: ` or ` #`, no
 * surrounding spaces, printable. Commas and brackets are fine outside flow collections.
 */
const PLAIN_SAFE = /^(?:[^\s\-?:,[\]{}#&*!|>'"%@`]|[-?:][^\s,[\]{}])[^\u0000-\u001f\u007f]*$/;

export function formatScalar(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  if (value !== '' && PLAIN_SAFE.test(value) && !AMBIGUOUS.test(value) && !/: |:$| #|\s$/.test(value)) return value;
  // JSON strings are valid YAML double-quoted scalars.
  return JSON.stringify(value);
}

export function formatKey(key: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(key) && !AMBIGUOUS.test(key) ? key : JSON.stringify(key);
}

function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function isEmptyCollection(value: unknown): boolean {
  return isCollection(value) && (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);
}

/** `[a, b]` / `{a: b}` — for values that were written in flow style. */
export function formatFlow(value: unknown): string | undefined {
  if (!isCollection(value)) return formatScalar(value);
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = formatFlow(item);
      if (text === undefined) return undefined;
      // Inside a flow collection, commas and brackets end a plain scalar: quote those.
      parts.push(typeof item === 'string' && /[,[\]{}]/.test(item) && !text.startsWith('"') ? JSON.stringify(item) : text);
    }
    return `[${parts.join(', ')}]`;
  }
  for (const [key, item] of Object.entries(value)) {
    const text = formatFlow(item);
    if (text === undefined) return undefined;
    parts.push(`${formatKey(key)}: ${typeof item === 'string' && /[,[\]{}]/.test(item) && !text.startsWith('"') ? JSON.stringify(item) : text}`);
  }
  return `{${parts.join(', ')}}`;
}

/**
 * The text that follows `key:` for `value`: ` scalar` on the same line, or a newline and
 * block lines indented under `keyColumn`. Undefined when the value cannot be printed safely.
 */
export function entryValueText(value: unknown, keyColumn: number, style: BlockStyle): string | undefined {
  if (!isCollection(value) || isEmptyCollection(value)) {
    const text = isCollection(value) ? (Array.isArray(value) ? '[]' : '{}') : formatScalar(value);
    return text === undefined ? undefined : ` ${text}`;
  }
  const lines = Array.isArray(value)
    ? sequenceLines(value, keyColumn + (style.indentSequences ? style.indent : 0), style)
    : mappingLines(value, keyColumn + style.indent, style);
  return lines === undefined ? undefined : `\n${lines.join('\n')}`;
}

/** Lines of a block mapping whose keys start at `column`. */
export function mappingLines(map: Record<string, unknown>, column: number, style: BlockStyle): string[] | undefined {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    const text = entryValueText(value, column, style);
    if (text === undefined) return undefined;
    lines.push(`${' '.repeat(column)}${formatKey(key)}:${text}`);
  }
  return lines;
}

/** Lines of a block sequence whose dashes sit at `column`. */
export function sequenceLines(items: readonly unknown[], column: number, style: BlockStyle): string[] | undefined {
  const lines: string[] = [];
  for (const item of items) {
    const text = itemText(item, column, style);
    if (text === undefined) return undefined;
    lines.push(...text);
  }
  return lines;
}

/** One `- item`: a mapping's first entry shares the dash line, the rest align under it. */
export function itemText(item: unknown, dashColumn: number, style: BlockStyle): string[] | undefined {
  const prefix = `${' '.repeat(dashColumn)}- `;
  if (!isCollection(item) || isEmptyCollection(item)) {
    const text = isCollection(item) ? (Array.isArray(item) ? '[]' : '{}') : formatScalar(item);
    return text === undefined ? undefined : [`${prefix}${text}`];
  }
  if (Array.isArray(item)) {
    const flow = formatFlow(item);
    return flow === undefined ? undefined : [`${prefix}${flow}`];
  }
  const lines = mappingLines(item, dashColumn + 2, style);
  if (lines === undefined || lines.length === 0) return undefined;
  lines[0] = `${prefix}${(lines[0] as string).slice(dashColumn + 2)}`;
  return lines;
}

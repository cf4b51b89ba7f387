import type { ReferencedKind } from './references.js';

/**
 * A name pattern from `ignore`. Patterns are regular expressions anchored at both ends —
 * the same rule `select`/`exclude` use for `name` — so `app-config` ignores exactly that
 * object and `.*-tls` every name ending in `-tls`. A `ConfigMap/` or `Secret/` prefix limits
 * a pattern to one kind (names cannot contain `/`, so the prefix is unambiguous).
 */
export interface IgnorePattern {
  /** What the user wrote, for messages. */
  source: string;
  kind?: ReferencedKind;
  name: RegExp;
}

const KIND_PREFIX = /^(ConfigMap|Secret)\/(.*)$/s;

export function parseIgnorePattern(source: string): IgnorePattern {
  const prefixed = KIND_PREFIX.exec(source);
  const kind = prefixed ? (prefixed[1] as ReferencedKind) : undefined;
  const body = prefixed ? (prefixed[2] as string) : source;
  if (body === '') throw new Error(`${JSON.stringify(source)}: empty name pattern`);
  let name: RegExp;
  try {
    name = new RegExp(`^(?:${body})$`);
  } catch (error) {
    throw new Error(`${JSON.stringify(source)} is not a valid regular expression: ${(error as Error).message}`, { cause: error });
  }
  return kind ? { source, kind, name } : { source, name };
}

export function isIgnored(patterns: readonly IgnorePattern[], kind: ReferencedKind, name: string): boolean {
  return patterns.some((pattern) => (pattern.kind === undefined || pattern.kind === kind) && pattern.name.test(name));
}

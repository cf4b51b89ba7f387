import { variableReferences } from './variable-references.js';

/** A `$(VAR)` in an injected value that Kubernetes will leave as literal text. */
export interface UnresolvedReference {
  /** The injected variable whose value holds the reference, and its index in the final `env`. */
  variable: string;
  index: number;
  value: string;
  reference: string;
  /** Where the referenced variable is defined, when it is, but only after the reference. */
  definedLaterAt?: number;
}

/**
 * Checks the references in injected values against the container's env as it will be.
 * A reference resolves to a variable defined before it: by an envFrom source, or an earlier
 * `env` entry.
 *
 * `envFromVariables` is undefined when some envFrom source is not in the input: then a name
 * defined nowhere in sight may come from it, and is not reported — a false alarm on every
 * workload that reads an external ConfigMap would teach people to ignore the warning. A name
 * the `env` list defines only *after* the reference is reported even then: whichever way it
 * resolves, it does not resolve to that definition.
 */
export function unresolvedReferences(
  finalEnv: readonly Record<string, unknown>[],
  injected: ReadonlySet<string>,
  envFromVariables: ReadonlySet<string> | undefined,
): UnresolvedReference[] {
  const problems: UnresolvedReference[] = [];
  const names = finalEnv.map((entry) => String(entry.name));
  finalEnv.forEach((entry, index) => {
    const variable = names[index] as string;
    if (!injected.has(variable) || typeof entry.value !== 'string') return;
    const earlier = new Set(names.slice(0, index));
    for (const reference of variableReferences(entry.value)) {
      if (earlier.has(reference) || envFromVariables?.has(reference)) continue;
      const later = names.indexOf(reference, index + 1);
      if (later === -1 && envFromVariables === undefined) continue;
      problems.push({ variable, index, value: entry.value, reference, ...(later === -1 ? {} : { definedLaterAt: later }) });
    }
  });
  return problems;
}

import { FUNCTION_CATALOG, loadFunctions } from '../../functions/index.js';
import { isPlainMap } from '../../krm/base/path.js';
import type { Registry } from '../../krm/function/steps.js';

/**
 * The functions a config needs, and only those: the kinds of a Pipeline's steps, a typed
 * config's kind, a ConfigMap's `data.function` (or `fallbackName`). When the config names
 * something no function has, or its shape is not one of these, every function is loaded,
 * so the error it leads to suggests names from all of them, exactly as before.
 */
export async function registryFor(config: unknown, fallbackName?: string): Promise<Registry> {
  const wanted = wantedFunctions(config, fallbackName);
  const known = (entry: (typeof FUNCTION_CATALOG)[number]): boolean => wanted.kinds.has(entry.kind) || wanted.names.has(entry.name);
  const found = FUNCTION_CATALOG.filter(known).length;
  if (!wanted.complete || found < wanted.kinds.size + wanted.names.size) return loadFunctions();
  return loadFunctions(known);
}

interface Wanted {
  kinds: Set<string>;
  names: Set<string>;
  /** false: the config's shape leaves open what it needs. */
  complete: boolean;
}

function wantedFunctions(config: unknown, fallbackName: string | undefined): Wanted {
  const wanted: Wanted = { kinds: new Set(), names: new Set(fallbackName ? [fallbackName] : []), complete: true };
  if (config === undefined) return wanted;
  if (!isPlainMap(config) || typeof config.kind !== 'string') return { ...wanted, complete: false };
  if (config.kind === 'Pipeline') {
    if (!Array.isArray(config.steps)) return { ...wanted, complete: config.steps === undefined };
    for (const step of config.steps as unknown[]) {
      if (!isPlainMap(step) || typeof step.kind !== 'string') return { ...wanted, complete: false };
      wanted.kinds.add(step.kind);
    }
    return wanted;
  }
  if (config.kind === 'ConfigMap') {
    const name = isPlainMap(config.data) && typeof config.data.function === 'string' ? config.data.function : undefined;
    if (name) wanted.names.add(name);
    return wanted;
  }
  wanted.kinds.add(config.kind);
  return wanted;
}

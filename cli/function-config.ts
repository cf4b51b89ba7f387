import { KrmInputError } from '../krm/base/errors.js';
import type { Input } from '../krm/stream/input.js';
import { isPlainMap } from '../krm/base/path.js';
import { compilePipeline, compileStep, functionByKind, functionByName, type Registry, type Step } from '../krm/function/pipeline.js';
import { nearest } from '../krm/base/messages.js';

/**
 * KRM-function mode: the ResourceList's `functionConfig` says what to run — a typed config
 * by its kind, a Pipeline, or a ConfigMap for `fallbackFunction` (the subcommand, or the
 * image's default) unless its `data.function` names another.
 */
export function stepsFromFunctionConfig(input: Input, registry: Registry, fallbackFunction?: string): Step[] {
  const config = input.functionConfig;
  if (config === undefined) {
    const fn = fallbackFunction ? functionByName(registry, fallbackFunction) : undefined;
    if (fn) return [compileStep(fn, undefined)];
    throw new KrmInputError('no function to run: give the ResourceList a functionConfig (kind: SecurityContext, Pipeline, …) or name a function: krmkit <function>');
  }
  if (!isPlainMap(config)) throw new KrmInputError('functionConfig must be a mapping', { field: ['functionConfig'] });
  if (config.kind === 'Pipeline') return compilePipeline(config, registry, 'functionConfig');
  if (config.kind === 'ConfigMap') {
    const data = isPlainMap(config.data) ? config.data : {};
    const name = typeof data.function === 'string' ? data.function : fallbackFunction;
    if (!name) throw new KrmInputError('a ConfigMap functionConfig needs data.function (e.g. "security-context") to choose a function', { field: ['functionConfig', 'data', 'function'] });
    const fn = functionByName(registry, name);
    if (!fn) throw unknownFunction(name, registry, ['functionConfig', 'data', 'function']);
    return [compileStep(fn, config)];
  }
  const kind = String(config.kind);
  const fn = functionByKind(registry, kind);
  if (!fn) {
    const suggestion = nearest(kind, [...registry.map((entry) => entry.kind), 'Pipeline']);
    throw new KrmInputError(`no function has kind ${JSON.stringify(kind)}${suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : ''}`, { field: ['functionConfig', 'kind'] });
  }
  if (fallbackFunction && fn.name !== fallbackFunction) {
    throw new KrmInputError(`functionConfig kind ${kind} belongs to ${fn.name}, not ${fallbackFunction}`, { field: ['functionConfig', 'kind'] });
  }
  return [compileStep(fn, config)];
}

export function unknownFunction(name: string, registry: Registry, field: (string | number)[] = []): KrmInputError {
  const suggestion = nearest(name, registry.map((entry) => entry.name));
  return new KrmInputError(
    `no function named ${JSON.stringify(name)}${suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : ` (functions: ${registry.map((entry) => entry.name).join(', ')})`}`,
    { field },
  );
}

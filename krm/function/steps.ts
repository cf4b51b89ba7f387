import { KrmConfigError, KrmInputError } from '../base/errors.js';
import { describeValue, didYouMean, firstUnknownKey, unknownName } from '../base/messages.js';
import { isPlainMap, type Path } from '../base/path.js';
import type { Input } from '../stream/input.js';
import type { AnyKrmFunction } from './function.js';
import { API_VERSION } from './options.js';
import { compileStep, type Step } from './pipeline.js';

/**
 * Config → steps, in one place: which function a config names (by kind or by name, with
 * one "no function" message each), `kind: Pipeline` documents, and KRM function mode (a
 * ResourceList's functionConfig). No I/O: reading files, overlays and choosing which
 * functions to load are the CLI's (cli/invocation/).
 */

export type Registry = readonly AnyKrmFunction[];

export function functionByKind(registry: Registry, kind: string): AnyKrmFunction | undefined {
  return registry.find((fn) => fn.kind === kind);
}

export function functionByName(registry: Registry, name: string): AnyKrmFunction | undefined {
  return registry.find((fn) => fn.name === name);
}

/** Where a kind was read, for the message when no function has it. */
export interface KindContext {
  /** Prefix naming the file or document (`overlays/prod/pipeline.yaml`), if any. */
  source?: string;
  field: Path;
  /** Also suggest and list `Pipeline`: where a whole pipeline could stand instead of one config. */
  pipelineAllowed: boolean;
}

/** The function of a typed config's kind, or the one "no function has kind" error. */
export function requireFunctionByKind(registry: Registry, kind: string, context: KindContext): AnyKrmFunction {
  const fn = functionByKind(registry, kind);
  if (fn) return fn;
  const kinds = [...registry.map((entry) => entry.kind), ...(context.pipelineAllowed ? ['Pipeline'] : [])];
  const prefix = context.source === undefined ? '' : `${context.source}: `;
  throw new KrmInputError(`${prefix}no function has kind ${JSON.stringify(kind)}${didYouMean(kind, kinds, ` (kinds: ${kinds.join(', ')})`)}`, {
    field: context.field,
  });
}

/** The function a name (subcommand, ConfigMap `data.function`) means, or the one "no function named" error. */
export function requireFunctionByName(registry: Registry, name: string, field: Path = []): AnyKrmFunction {
  const fn = functionByName(registry, name);
  if (fn) return fn;
  const names = registry.map((entry) => entry.name);
  throw new KrmInputError(`no function named ${JSON.stringify(name)}${didYouMean(name, names, ` (functions: ${names.join(', ')})`)}`, { field });
}

const PIPELINE_FIELDS = ['apiVersion', 'kind', 'metadata', 'steps'];

/**
 * Reads a `kind: Pipeline` document: `steps` is a list of function configs, each chosen by
 * its `kind` (`apiVersion` may be left out inside a pipeline).
 */
export function compilePipeline(raw: unknown, registry: Registry, source = 'pipeline'): Step[] {
  if (!isPlainMap(raw)) throw new KrmInputError(`${source}: expected a Pipeline mapping, got ${describeValue(raw)}`);
  if (raw.kind !== 'Pipeline') throw new KrmInputError(`${source}: expected kind Pipeline, got ${JSON.stringify(raw.kind)}`, { field: ['kind'] });
  if (raw.apiVersion !== undefined && raw.apiVersion !== API_VERSION) {
    throw new KrmInputError(`${source}: apiVersion must be ${API_VERSION}, got ${JSON.stringify(raw.apiVersion)}`, { field: ['apiVersion'] });
  }
  const unknown = firstUnknownKey(raw, PIPELINE_FIELDS);
  if (unknown !== undefined) throw new KrmInputError(`${source}: ${unknownName('field', unknown, PIPELINE_FIELDS)}`, { field: [unknown] });
  const steps = raw.steps ?? [];
  if (!Array.isArray(steps)) throw new KrmInputError(`${source}: expected a list of steps, got ${describeValue(steps)}`, { field: ['steps'] });
  return steps.map((step: unknown, index) => {
    if (!isPlainMap(step) || typeof step.kind !== 'string') {
      throw new KrmInputError(`${source}: each step is a function config with a kind`, { field: ['steps', index] });
    }
    const fn = requireFunctionByKind(registry, step.kind, { source, field: ['steps', index, 'kind'], pipelineAllowed: false });
    try {
      return compileStep(fn, step);
    } catch (error) {
      if (error instanceof KrmConfigError) {
        throw new KrmInputError(`${source}: steps[${index}]: ${error.message}`);
      }
      throw error;
    }
  });
}

/**
 * A config file's steps (`krmkit postrender --config FILE`): a Pipeline, or one function's
 * typed config.
 */
export function compileConfig(raw: unknown, registry: Registry, source: string): Step[] {
  if (isPlainMap(raw) && raw.kind !== 'Pipeline' && typeof raw.kind === 'string') {
    return [compileStep(requireFunctionByKind(registry, raw.kind, { source, field: ['kind'], pipelineAllowed: true }), raw)];
  }
  return compilePipeline(raw, registry, source);
}

/**
 * KRM function mode: the ResourceList's `functionConfig` says what to run — a typed config
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
    return [compileStep(requireFunctionByName(registry, name, ['functionConfig', 'data', 'function']), config)];
  }
  const kind = String(config.kind);
  const fn = requireFunctionByKind(registry, kind, { field: ['functionConfig', 'kind'], pipelineAllowed: true });
  if (fallbackFunction && fn.name !== fallbackFunction) {
    throw new KrmInputError(`functionConfig kind ${kind} belongs to ${fn.name}, not ${fallbackFunction}`, { field: ['functionConfig', 'kind'] });
  }
  return [compileStep(fn, config)];
}

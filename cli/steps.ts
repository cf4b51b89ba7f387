import { FUNCTIONS } from '../functions/index.js';
import type { AnyKrmFunction } from '../krm/function.js';
import type { Input } from '../krm/input.js';
import { readOptions } from '../krm/options.js';
import { compileOptions, compilePipeline, type Step } from '../krm/pipeline.js';
import { pipelineFilePath, readYamlFile } from './config-file.js';
import { stepsFromFunctionConfig } from './function-config.js';

/**
 * What each command runs, shared by the fast path and the yargs CLI so that both read
 * configuration the same way.
 */

/** `krmkit` with a ResourceList: its functionConfig decides (KRMKIT_FUNCTION is the image's default). */
export function functionConfigSteps(input: Input): Step[] {
  return stepsFromFunctionConfig(input, FUNCTIONS, process.env.KRMKIT_FUNCTION || undefined);
}

/** `krmkit run <pipeline file or overlay directory>`. */
export function pipelineSteps(pipeline: string): () => Step[] {
  const path = pipelineFilePath(pipeline);
  return () => compilePipeline(readYamlFile(path), FUNCTIONS, path);
}

/**
 * `krmkit <function>`: options from `--config`, else from a ResourceList's functionConfig,
 * else defaults; flags (already read as options) override them.
 */
export function functionSteps(fn: AnyKrmFunction, input: Input, configPath: string | undefined, flags: Record<string, unknown> = {}): Step[] {
  if (configPath === undefined && input.envelope === 'resourceList' && input.functionConfig !== undefined) {
    if (Object.keys(flags).length === 0) return stepsFromFunctionConfig(input, FUNCTIONS, fn.name);
    return [compileOptions(fn, { ...readOptions(fn.name, fn.kind, input.functionConfig, fn.options), ...flags })];
  }
  const fromFile = configPath === undefined ? {} : readOptions(fn.name, fn.kind, readYamlFile(configPath), fn.options);
  return [compileOptions(fn, { ...fromFile, ...flags })];
}

import type { AnyKrmFunction } from '../krm/function/function.js';
import type { Input } from '../krm/stream/input.js';
import { readOptions } from '../krm/function/options.js';
import { compileOptions, compilePipeline, type Step } from '../krm/function/pipeline.js';
import { pipelineFilePath, readYamlFile } from './config-file.js';
import { stepsFromFunctionConfig } from './function-config.js';
import { registryFor } from './lazy-registry.js';

/**
 * What each command runs, shared by the fast path and the yargs CLI so that both read
 * configuration the same way.
 */

/** `krmkit` with a ResourceList: its functionConfig decides (KRMKIT_FUNCTION is the image's default). */
export async function functionConfigSteps(input: Input): Promise<Step[]> {
  const fallback = process.env.KRMKIT_FUNCTION || undefined;
  return stepsFromFunctionConfig(input, await registryFor(input.functionConfig, fallback), fallback);
}

/** `krmkit run <pipeline file or overlay directory>`. */
export function pipelineSteps(pipeline: string): () => Promise<Step[]> {
  const path = pipelineFilePath(pipeline);
  return async () => {
    const raw = readYamlFile(path);
    return compilePipeline(raw, await registryFor(raw), path);
  };
}

/**
 * `krmkit <function>`: options from `--config`, else from a ResourceList's functionConfig,
 * else defaults; flags (already read as options) override them.
 */
export async function functionSteps(fn: AnyKrmFunction, input: Input, configPath: string | undefined, flags: Record<string, unknown> = {}): Promise<Step[]> {
  if (configPath === undefined && input.envelope === 'resourceList' && input.functionConfig !== undefined) {
    if (Object.keys(flags).length === 0) return stepsFromFunctionConfig(input, await registryFor(input.functionConfig, fn.name), fn.name);
    return [compileOptions(fn, { ...readOptions(fn.name, fn.kind, input.functionConfig, fn.options), ...flags })];
  }
  const fromFile = configPath === undefined ? {} : readOptions(fn.name, fn.kind, readYamlFile(configPath), fn.options);
  return [compileOptions(fn, { ...fromFile, ...flags })];
}

import { resolve } from 'node:path';
import { FUNCTION_CATALOG, loadFunctions } from '../../functions/index.js';
import type { AnyKrmFunction } from '../../krm/function/function.js';
import { readOptions } from '../../krm/function/options.js';
import { compileOptions, type Step } from '../../krm/function/pipeline.js';
import { compileConfig, compilePipeline, requireFunctionByName, stepsFromFunctionConfig } from '../../krm/function/steps.js';
import type { Input } from '../../krm/stream/input.js';
import { pipelineFilePath, readYamlFile } from './config-file.js';
import { hookSteps } from './hooks.js';
import type { FunctionInvocation, RenderInvocation } from './invocation.js';
import { registryFor } from './lazy-registry.js';
import { overlayPipelinePath } from './overlays.js';

/**
 * Where each command's configs come from, read the same way whichever parser made the
 * Invocation: files, overlays, flags and the ResourceList's functionConfig. Each file is
 * read after stdin, and only the functions it names are loaded (lazy-registry.ts).
 */
export type StepsOf = (input: Input) => Promise<Step[]>;

export async function stepsOf(invocation: RenderInvocation, cwd: string = process.cwd()): Promise<StepsOf> {
  switch (invocation.command) {
    case 'function-mode': {
      const fallback = invocation.fallbackFunction;
      return async (input) => stepsFromFunctionConfig(input, await registryFor(input.functionConfig, fallback), fallback);
    }
    case 'run':
      return pipelineFileSteps(invocation.pipeline);
    case 'function':
      return functionInvocationSteps(invocation);
    case 'postrender': {
      const { source, hooks } = invocation;
      return async (input) => {
        const steps = 'config' in source ? await configFileSteps(resolve(cwd, source.config)) : await pipelineFileSteps(overlayPipelinePath(source.overlay, cwd))(input);
        return hookSteps(steps, hooks);
      };
    }
  }
}

/** `krmkit run` and `krmkit patches`: a Pipeline file, or the pipeline.yaml of an overlay directory. */
export function pipelineFileSteps(pipeline: string): StepsOf {
  const path = pipelineFilePath(pipeline);
  return async () => {
    const raw = readYamlFile(path);
    return compilePipeline(raw, await registryFor(raw), path);
  };
}

/** `krmkit postrender --config FILE`: a Pipeline, or a single function's typed config. */
async function configFileSteps(path: string): Promise<Step[]> {
  const raw = readYamlFile(path);
  return compileConfig(raw, await registryFor(raw), path);
}

/**
 * `krmkit <function>`: options from `--config`, else from a ResourceList's functionConfig,
 * else defaults; flags override them. Like every config, flags are read after stdin.
 */
async function functionInvocationSteps(invocation: FunctionInvocation): Promise<StepsOf> {
  const fn = await loadFunction(invocation.function);
  const configPath = invocation.config;
  return async (input) => {
    const flags = readOptions(fn.name, fn.kind, { apiVersion: 'v1', kind: 'ConfigMap', data: invocation.flags }, fn.options);
    if (configPath === undefined && input.envelope === 'resourceList' && input.functionConfig !== undefined) {
      if (Object.keys(flags).length === 0) return stepsFromFunctionConfig(input, await registryFor(input.functionConfig, fn.name), fn.name);
      return [compileOptions(fn, { ...readOptions(fn.name, fn.kind, input.functionConfig, fn.options), ...flags })];
    }
    const fromFile = configPath === undefined ? {} : readOptions(fn.name, fn.kind, readYamlFile(configPath), fn.options);
    return [compileOptions(fn, { ...fromFile, ...flags })];
  };
}

/** One function's code, loaded alone. */
async function loadFunction(name: string): Promise<AnyKrmFunction> {
  const entry = FUNCTION_CATALOG.find((candidate) => candidate.name === name);
  return entry ? entry.load() : requireFunctionByName(await loadFunctions(), name);
}

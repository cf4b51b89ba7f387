import { loadFunctions } from '../../functions/index.js';
import { readInput } from '../../krm/stream/input.js';
import { writeOutput } from '../../krm/stream/output.js';
import { compileStep, runSteps, type Step } from '../../krm/function/pipeline.js';
import { compilePipeline, functionByKind, functionByName } from '../../krm/function/steps.js';
import { isPlainMap } from '../../krm/base/path.js';
import type { Result } from '../../krm/model/results.js';

/** Every function, loaded once for all tests of a file. */
const FUNCTIONS = await loadFunctions();

export interface TransformOutcome {
  output: string;
  results: Result[];
}

/**
 * Runs a config over an input in-process, exactly as the CLI does minus the process:
 * read → steps → write. `config` is a typed config, a ConfigMap (then `functionName` picks
 * the function), or a Pipeline.
 */
export function transform(input: string, config: unknown, functionName?: string): TransformOutcome {
  const read = readInput(input);
  const steps = stepsFor(config, functionName);
  const outcome = runSteps(read, steps);
  return { output: writeOutput(read, outcome.generated, outcome.results), results: outcome.results };
}

export function stepsFor(config: unknown, functionName?: string): Step[] {
  if (!isPlainMap(config)) throw new Error('test config must be a mapping');
  if (config.kind === 'Pipeline') return compilePipeline(config, FUNCTIONS);
  const fn = config.kind === 'ConfigMap' ? functionByName(FUNCTIONS, functionName ?? '') : functionByKind(FUNCTIONS, String(config.kind));
  if (!fn) throw new Error(`no function for config kind ${String(config.kind)} / ${functionName ?? ''}`);
  return [compileStep(fn, config)];
}

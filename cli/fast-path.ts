import { FUNCTION_CATALOG } from '../functions/index.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../krm/stream/input.js';
import type { Job } from './execute.js';
import { parsePostrenderArgs, postrenderJob } from './postrender.js';
import { functionConfigSteps, functionSteps, pipelineSteps } from './steps.js';

/**
 * The invocations tools make on every render — `krmkit` (KRM function mode), `krmkit run
 * <pipeline>`, `krmkit <function> [--config FILE]`, each optionally with `--explain`, and
 * `krmkit postrender …` (Helm's post-renderer) —
 * recognised without loading yargs, which costs more start-up time than the work itself on
 * a small release. Anything else (help, flags, mistakes) returns undefined and goes to the
 * full yargs CLI, so behaviour is the same either way.
 */
export function fastPathJob(argv: readonly string[]): Job | undefined {
  if (argv[0] === 'postrender') {
    const options = parsePostrenderArgs(argv.slice(1));
    return options ? postrenderJob(options) : undefined;
  }
  const args = [...argv];
  const explain = takeFlag(args, '--explain');
  const config = takeValue(args, '--config');
  if (config === null || args.some((arg) => arg.startsWith('-'))) return undefined;
  const base = { explain, maxInputBytes: DEFAULT_MAX_INPUT_BYTES };

  if (args.length === 0 && config === undefined) {
    return { ...base, steps: functionConfigSteps };
  }
  if (args.length === 2 && args[0] === 'run' && config === undefined) {
    return { ...base, steps: pipelineSteps(args[1] as string) };
  }
  const entry = args.length === 1 ? FUNCTION_CATALOG.find((candidate) => candidate.name === args[0]) : undefined;
  if (!entry) return undefined;
  return { ...base, steps: async (input) => functionSteps(await entry.load(), input, config) };
}

function takeFlag(args: string[], flag: string): boolean {
  const index = args.indexOf(flag);
  if (index === -1) return false;
  args.splice(index, 1);
  return true;
}

/** undefined: absent; null: present but malformed (left to yargs to explain). */
function takeValue(args: string[], flag: string): string | undefined | null {
  const inline = args.findIndex((arg) => arg.startsWith(`${flag}=`));
  if (inline !== -1) {
    const value = (args[inline] as string).slice(flag.length + 1);
    args.splice(inline, 1);
    return value === '' ? null : value;
  }
  const index = args.indexOf(flag);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('-')) return null;
  args.splice(index, 2);
  return value;
}

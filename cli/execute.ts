import { KrmInputError } from '../krm/base/errors.js';
import { readInput, type Input } from '../krm/stream/input.js';
import { takeOutputParts } from '../krm/stream/output.js';
import { runSteps, type Step } from '../krm/function/pipeline.js';
import { formatResultLine, hasError, type Result } from '../krm/model/results.js';
import { fitHeapGrowthToInput } from './large-input-heap.js';
import { readStdin } from './stdin.js';
import { fdWriter } from './write-fd.js';

export const EXIT_OK = 0;
/** A function reported an error result. */
export const EXIT_ERROR_RESULT = 1;
/** Input or configuration krmkit cannot use. */
export const EXIT_BAD_INPUT = 2;
/** A krmkit bug: the message asks for a report. */
export const EXIT_INTERNAL = 3;

export interface Job {
  /**
   * Steps to run; a function of the input when the config comes from a ResourceList.
   * Asynchronous because it loads the functions the steps use (functions/index.ts).
   */
  steps: (input: Input) => Step[] | Promise<Step[]>;
  explain?: boolean;
  maxInputBytes: number;
  /** Also write findings and errors here (Helm 4 hides a plugin's stderr). */
  report?: (text: string) => void;
}

export interface Io {
  readInput: (maxBytes: number) => Promise<string>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: Io = {
  readInput: readStdin,
  stdout: fdWriter(1, () => process.stdout),
  stderr: fdWriter(2, () => process.stderr),
};

/**
 * Reads stdin once, runs every step, writes stdout once. Output is written only after
 * everything succeeded, so a failure never leaves half a stream for `kubectl apply`.
 */
export async function execute(job: Job, io: Io = processIo): Promise<number> {
  const stderr = (text: string): void => {
    io.stderr(text);
    job.report?.(text);
  };
  try {
    const raw = await io.readInput(job.maxInputBytes);
    fitHeapGrowthToInput(raw.length);
    const input = readInput(raw, { maxBytes: job.maxInputBytes });
    const steps = await job.steps(input);
    const outcome = runSteps(input, steps, job.explain ? { explain: (line) => stderr(`[explain] ${line}\n`) } : {});
    const failed = hasError(outcome.results);
    printResults(outcome.results, stderr);
    if (input.envelope === 'resourceList') {
      // The KRM spec: results travel in the ResourceList, also when one is an error.
      writeInChunks(takeOutputParts(input, outcome.generated, outcome.results), io.stdout);
    } else if (!failed) {
      writeInChunks(takeOutputParts(input, outcome.generated, []), io.stdout);
    }
    if (failed) {
      stderr(`krmkit: ${outcome.results.filter((result) => result.severity === 'error').length} error result(s); ${input.envelope === 'stream' ? 'no output written' : 'see results'}\n`);
      return EXIT_ERROR_RESULT;
    }
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, stderr);
  }
}

/** About a mebibyte per write: few system calls, and never the whole output in one more copy. */
const CHUNK_CHARACTERS = 1 << 20;

function writeInChunks(parts: readonly string[], write: (text: string) => void): void {
  let chunk: string[] = [];
  let size = 0;
  for (const part of parts) {
    chunk.push(part);
    size += part.length;
    if (size < CHUNK_CHARACTERS) continue;
    write(chunk.join(''));
    chunk = [];
    size = 0;
  }
  if (chunk.length > 0) write(chunk.join(''));
}

function printResults(results: readonly Result[], stderr: (text: string) => void): void {
  for (const result of results) stderr(`${formatResultLine(result)}\n`);
}

export function reportFailure(error: unknown, stderr: (text: string) => void): number {
  if (error instanceof KrmInputError) {
    stderr(`krmkit: error: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    stderr('krmkit: error: input nests too deeply to process\n');
    return EXIT_BAD_INPUT;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr(`krmkit: internal error: ${message}\nThis is a krmkit bug; please report it with the input that caused it.\n`);
  if (process.env.KRMKIT_DEBUG && error instanceof Error && error.stack) stderr(`${error.stack}\n`);
  return EXIT_INTERNAL;
}

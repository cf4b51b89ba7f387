import { KrmInputError } from '../krm/base/errors.js';
import { didYouMean } from '../krm/base/messages.js';
import type { AnyKrmFunction } from '../krm/function/function.js';
import { functionSchemaDocument, pipelineSchemaDocument, schemaText } from '../krm/function/json-schema.js';
import { processIo, reportFailure, EXIT_OK, type Io } from './execute.js';

/** The schema `krmkit schema [KIND]` prints: one function's config (by kind or name), or a whole Pipeline. */
export function schemaFor(functions: readonly AnyKrmFunction[], which: string | undefined): string {
  if (which === undefined || which === 'Pipeline') return schemaText(pipelineSchemaDocument(functions));
  const fn = functions.find((candidate) => candidate.kind === which || candidate.name === which);
  if (fn) return schemaText(functionSchemaDocument(fn));
  const names = functions.flatMap((candidate) => [candidate.kind, candidate.name]);
  throw new KrmInputError(`no function has kind or name ${JSON.stringify(which)}${didYouMean(which, names, ` (kinds: ${functions.map((candidate) => candidate.kind).join(', ')})`)}`);
}

/** `krmkit schema [KIND]`: writes the JSON Schema to stdout. Reads no input. */
export function schemaCommand(functions: readonly AnyKrmFunction[], which: string | undefined, io: Io = processIo): number {
  try {
    io.stdout(schemaFor(functions, which));
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, io.stderr);
  }
}

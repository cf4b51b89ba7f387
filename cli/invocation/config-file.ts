import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { KrmInputError } from '../../krm/base/errors.js';

/** Reads a YAML config or pipeline file, naming the file and line when it is malformed. */
export function readYamlFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KrmInputError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return load(text, { schema: CORE_SCHEMA, filename: path });
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    throw new KrmInputError(`${path}: malformed YAML: ${reason}`, mark?.line !== undefined ? { line: mark.line + 1 } : {});
  }
}

/** `krmkit run overlays/prod` and `krmkit run overlays/prod/pipeline.yaml` name the same pipeline. */
export function pipelineFilePath(path: string): string {
  try {
    if (statSync(path).isDirectory()) return join(path, 'pipeline.yaml');
  } catch {
    // A missing path is reported by readYamlFile with its name.
  }
  return path;
}

/**
 * `npm run docs`: writes what is generated from the functions' option declarations — the
 * option table of each `functions/<name>/README.md` and the JSON Schemas in `schemas/`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFunctions } from '../../functions/index.js';
import { functionSchemaDocument, pipelineSchemaDocument, schemaText } from '../../krm/function/json-schema.js';
import { withOptionTable } from './option-tables.js';

/** Every generated file, by path from the repository root, with its content. */
export async function generatedFiles(root: string): Promise<Map<string, string>> {
  const functions = await loadFunctions();
  const files = new Map<string, string>();
  for (const fn of functions) {
    const readme = join('functions', fn.name, 'README.md');
    files.set(readme, withOptionTable(readFileSync(join(root, readme), 'utf8'), fn));
    files.set(join('schemas', `${fn.name}.schema.json`), schemaText(functionSchemaDocument(fn)));
  }
  files.set(join('schemas', 'pipeline.schema.json'), schemaText(pipelineSchemaDocument(functions)));
  return files;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes every generated file; returns the paths whose content changed. */
export async function writeGeneratedFiles(root: string): Promise<string[]> {
  const files = await generatedFiles(root);
  const changed = [...files].filter(([path, text]) => readOrUndefined(join(root, path)) !== text).map(([path]) => path);
  // A schema of a function that no longer exists must not stay behind.
  rmSync(join(root, 'schemas'), { recursive: true, force: true });
  mkdirSync(join(root, 'schemas'));
  for (const [path, text] of files) writeFileSync(join(root, path), text);
  return changed;
}

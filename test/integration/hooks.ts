import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_SCHEMA, dump, load } from 'js-yaml';
import { loadFunctions } from '../../functions/index.js';
import { overlayDir, type Overlay } from './paths.js';

const FUNCTIONS = await loadFunctions();

/**
 * What krmkit's Helm 4 post-renderer does to hooks by default, written down independently
 * of cli/invocation/hooks.ts so tests can compare against it: the overlay's steps whose function
 * hardens pods (`editsHooks`) run over the hooks; the other steps never touch them.
 */
export function hookPipelineFile(overlay: Overlay): string {
  const pipeline = load(readFileSync(join(overlayDir(overlay), 'pipeline.yaml'), 'utf8'), { schema: CORE_SCHEMA }) as { steps: { kind: string }[] };
  const hardening = new Set(FUNCTIONS.filter((fn) => fn.editsHooks === true).map((fn) => fn.kind));
  const file = join(mkdtempSync(join(tmpdir(), 'krmkit-hooks-')), 'pipeline.yaml');
  writeFileSync(file, dump({ ...pipeline, steps: pipeline.steps.filter((step) => hardening.has(step.kind)) }));
  return file;
}

/** The documents of a rendered stream that are Helm hooks, as a stream of their own. */
export function hookDocuments(text: string): string {
  return text
    .split(/^---[ \t]*$/m)
    .filter((document) => /^\s+helm\.sh\/hook:/m.test(document))
    .map((document) => `---${document.startsWith('\n') ? '' : '\n'}${document.replace(/^\n/, '')}`)
    .join('');
}

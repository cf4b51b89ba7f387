import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KrmInputError } from '../krm/base/errors.js';
import { readInput } from '../krm/stream/input.js';
import { formatResultLine, hasError } from '../krm/model/results.js';
import { EXIT_ERROR_RESULT, EXIT_OK, processIo, reportFailure, type Io } from './execute.js';
import { compilePipelineToPatches } from './patches/compile.js';
import { ownedFiles, renderForm, type OutputFiles, type PatchForm } from './patches/forms.js';
import { unifiedDiff } from './patches/line-diff.js';
import { HOOK_ANNOTATION, hookSteps } from './invocation/hooks.js';
import { pipelineFileSteps } from './invocation/steps.js';

/**
 * `krmkit patches <pipeline> --out DIR`: what the pipeline does to the render on stdin,
 * written as kustomize-native configuration for the places that cannot run krmkit (Flux
 * post-renderers, `kubectl apply -k`, Argo CD's built-in kustomize). See cli/patches/README.md.
 */
export interface PatchesOptions {
  pipeline: string;
  out: string;
  form: PatchForm;
  /** Compare with the files in `out` instead of writing them; exit 1 with a diff when they differ. */
  check: boolean;
  release?: string;
  releaseNamespace?: string;
  maxInputBytes: number;
}

export async function patchesCommand(options: PatchesOptions, io: Io = processIo): Promise<number> {
  try {
    if (options.form === 'flux' && !options.release) {
      throw new KrmInputError('--form flux needs --release NAME: the HelmRelease whose spec.postRenderers the patches belong to');
    }
    const input = readInput(await io.readInput(options.maxInputBytes), { maxBytes: options.maxInputBytes });
    let steps = await pipelineFileSteps(options.pipeline)(input);
    if (options.form === 'flux') {
      // helm-controller runs post-renderers the way Helm 3 does: hooks never reach them.
      steps = hookSteps(steps, 'none');
      for (const resource of input.resources) {
        if (resource.annotations[HOOK_ANNOTATION] !== undefined) {
          io.stderr(`[warning] ${resource.id}: a Helm hook: Flux never sends hooks to post-renderers, so the pipeline leaves it as rendered; harden it in the chart's values, or render with krmkit as a post-renderer (helmfile, Argo CD plugin) to include it (--include-hooks)\n`);
        }
      }
    }
    const compiled = compilePipelineToPatches(input, steps);
    for (const result of compiled.results) io.stderr(`${formatResultLine(result)}\n`);
    if (hasError(compiled.results)) {
      io.stderr(`krmkit: ${compiled.results.filter((result) => result.severity === 'error').length} error result(s); no patches written\n`);
      return EXIT_ERROR_RESULT;
    }
    const files = renderForm(options.form, compiled, { ...(options.release ? { release: options.release } : {}), ...(options.releaseNamespace ? { releaseNamespace: options.releaseNamespace } : {}) });
    if (options.check) return checkFiles(options, files, io);
    writeFiles(options, files);
    io.stderr(`krmkit: ${compiled.patches.length} patch(es), ${compiled.generated.length} generated object(s) written to ${options.out}\n`);
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, io.stderr);
  }
}

function writeFiles(options: PatchesOptions, files: OutputFiles): void {
  mkdirSync(options.out, { recursive: true });
  for (const name of ownedFiles(options.form)) {
    const content = files.get(name);
    const file = join(options.out, name);
    if (content !== undefined) writeFileSync(file, content);
    else rmSync(file, { force: true });
  }
}

/** The CI gate: the committed files must be exactly what this render and pipeline give. */
function checkFiles(options: PatchesOptions, files: OutputFiles, io: Io): number {
  const diffs: string[] = [];
  for (const name of ownedFiles(options.form)) {
    const file = join(options.out, name);
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const expected = files.get(name);
    if (committed === expected) continue;
    diffs.push(unifiedDiff(committed ?? '', expected ?? '', committed === undefined ? '/dev/null' : `${file} (committed)`, expected === undefined ? '/dev/null' : `${file} (from the current render)`));
  }
  if (diffs.length === 0) {
    io.stderr(`krmkit: ${options.out} matches the render\n`);
    return EXIT_OK;
  }
  io.stderr(diffs.join(''));
  io.stderr(`krmkit: ${options.out} no longer matches what the pipeline does to this render; review the diff above and rerun without --check to update\n`);
  return EXIT_ERROR_RESULT;
}

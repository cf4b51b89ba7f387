import { defineFunction, type FunctionContext } from '../../krm/function/function.js';
import { classify } from './classify.js';
import { annotateChecksums, reportImmutableTemplate } from './checksum-annotations.js';
import { parseReloaderConfig, reloaderCommonOptionDocs, reloaderOptions, type ReloaderConfig } from './config.js';
import { referencesOf } from './references.js';
import { annotateAuto, annotateExplicit } from './reloader-annotations.js';
import { StreamObjects } from './stream-objects.js';
import { eligibility } from './workload-kinds.js';

function run(context: FunctionContext<ReloaderConfig>): void {
  const { config } = context;
  // ConfigMaps and Secrets are looked up whatever `select` says: selection picks the
  // workloads to annotate, not the objects they may reference.
  const objects = new StreamObjects(context.lookup);
  for (const workload of context.resources) {
    if (!context.inScope(workload)) continue;
    const kind = eligibility(workload, config.mode, config.podTemplateKinds);
    if (kind === 'not-a-workload') continue;
    const template = context.podTemplateOf(workload);
    if (!template) continue;
    const references = classify(referencesOf(template), workload.namespace, objects, config);
    if (references.length === 0 && config.mode !== 'checksum') continue;
    if (kind === 'immutable-template') reportImmutableTemplate(context, workload, references);
    else if (config.mode === 'auto') annotateAuto(context, workload, references);
    else if (config.mode === 'explicit') annotateExplicit(context, workload, references);
    else annotateChecksums(context, template, references);
  }
}

export const reloader = defineFunction({
  name: 'reloader',
  kind: 'Reloader',
  summary: 'Restart workloads when their ConfigMaps/Secrets change: Stakater Reloader annotations (auto or explicit), or content checksums on the pod template.',
  example: ['apiVersion: krmkit.dev/v1alpha1', 'kind: Reloader', 'mode: explicit', 'onlyInStream: true', 'ignore: ["Secret/.*-tls"]'].join('\n'),
  options: reloaderOptions,
  commonOptionDocs: reloaderCommonOptionDocs,
  parseConfig: parseReloaderConfig,
  run,
});

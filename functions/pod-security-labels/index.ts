import { defineFunction, type FunctionContext } from '../../krm/function/function.js';
import type { SecurityContextConfig } from '../security-context/config.js';
import { FUNCTION_NAME, LEVELS, parsePodSecurityLabelsConfig, podSecurityLabelsCommonOptionDocs, podSecurityLabelsOptions, type Level, type PodSecurityLabelsConfig } from './config.js';
import { labelNamespace } from './labels.js';

/** The cluster's own namespaces: their Pod Security level is the cluster operator's decision. */
const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

function run(context: FunctionContext<PodSecurityLabelsConfig>): void {
  const namespaces = context.lookup.ofKind('', 'Namespace').filter((resource) => context.inScope(resource));
  if (namespaces.length === 0) return;
  const level = levelFor(context);
  if (!level) {
    context.report({
      severity: 'warning',
      message: `no level to label Namespaces with: set profile (${LEVELS.join(', ')}), or run pod-security-labels in a pipeline with a security-context step; no namespace labeled`,
    });
    return;
  }
  for (const namespace of namespaces) {
    if (SYSTEM_NAMESPACES.has(namespace.name)) {
      context.report({ severity: 'info', message: 'a system namespace: its Pod Security labels are left to the cluster operator', resource: namespace });
      continue;
    }
    labelNamespace(namespace, level, context.config);
  }
}

/** The configured profile, else the one the pipeline's security-context step makes pods meet. */
function levelFor(context: FunctionContext<PodSecurityLabelsConfig>): Level | undefined {
  if (context.config.profile) return context.config.profile;
  const step = context.pipeline.find((candidate) => candidate.name === 'security-context');
  return step ? (step.config as SecurityContextConfig).profile : undefined;
}

export const podSecurityLabels = defineFunction({
  name: FUNCTION_NAME,
  kind: 'PodSecurityLabels',
  summary: "Label the stream's Namespaces for Pod Security admission (enforce, audit, warn and their -version) at a profile, never weakening a stricter label.",
  example: ['apiVersion: krmkit.dev/v1alpha1', 'kind: PodSecurityLabels', 'profile: restricted'].join('\n'),
  options: podSecurityLabelsOptions,
  commonOptionDocs: podSecurityLabelsCommonOptionDocs,
  parseConfig: parsePodSecurityLabelsConfig,
  run,
});

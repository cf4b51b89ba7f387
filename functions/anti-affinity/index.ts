import { defineFunction, type FunctionContext } from '../../krm/function/function.js';
import { antiAffinityCommonOptionDocs, antiAffinityOptions, FUNCTION_NAME, parseAntiAffinityConfig, type AntiAffinityConfig } from './config.js';
import { mergeTerms } from './merge.js';
import { ReplicaCounter } from './replicas.js';
import { checkOnePodPerNode, requiresOnePodPerNode } from './required-hostname.js';
import { stableSelector } from './selector.js';
import { isSpreadable, revisionLabelKey } from './workload.js';

function run(context: FunctionContext<AntiAffinityConfig>): void {
  const { config } = context;
  const replicas = new ReplicaCounter(context.lookup);
  for (const resource of context.resources) {
    if (!context.inScope(resource) || !isSpreadable(resource)) continue;
    const template = context.podTemplateOf(resource);
    if (!template) continue;
    if (replicas.minimumPods(resource) < config.minReplicas) continue;

    const { selector, dropped, path } = stableSelector(resource, template.path);
    if (!selector) {
      context.report({
        severity: 'warning',
        message: `no stable spec.selector to select this workload's pods by${dropped.length > 0 ? ` (only per-release keys: ${dropped.join(', ')})` : ''}; anti-affinity not added`,
        resource,
        field: path,
      });
      continue;
    }
    // Reported on every run, not only when terms are added, so a ResourceList's results (one run's findings) stay idempotent.
    if (dropped.length > 0) {
      context.report({
        severity: 'info',
        message: `left per-release label keys out of the anti-affinity selector: ${dropped.join(', ')}`,
        resource,
        field: path,
      });
    }
    mergeTerms(template, config, selector, revisionLabelKey(resource));
    if (requiresOnePodPerNode(config)) checkOnePodPerNode(context, template, replicas);
  }
}

export const antiAffinity = defineFunction({
  name: FUNCTION_NAME,
  kind: 'AntiAffinity',
  summary: "Spread a workload's replicas over nodes and zones: add pod anti-affinity and topology spread constraints selected by its spec.selector.",
  example: [
    'apiVersion: krmkit.dev/v1alpha1',
    'kind: AntiAffinity',
    'required:',
    '- topologyKey: kubernetes.io/hostname',
    'topologySpread:',
    '- topologyKey: topology.kubernetes.io/zone',
    '  maxSkew: 1',
    '  whenUnsatisfiable: DoNotSchedule',
  ].join('\n'),
  options: antiAffinityOptions,
  commonOptionDocs: antiAffinityCommonOptionDocs,
  parseConfig: parseAntiAffinityConfig,
  run,
});


import { defineFunction, type FunctionContext } from '../../krm/function/function.js';
import { ALL_CONTAINER_LISTS, isWindowsPod } from '../../krm/kube/pod-template.js';
import type { Resource } from '../../krm/model/resource.js';
import { parseSecurityContextConfig, securityContextCommonOptionDocs, securityContextOptions, type SecurityContextConfig } from './config.js';
import type { Desire } from './desire.js';
import { planPodTemplate } from './plan.js';
import { addWritableTmp } from './writable-tmp.js';

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function run(context: FunctionContext<SecurityContextConfig>): void {
  const { config } = context;
  for (const resource of context.resources) {
    if (!context.inScope(resource)) continue;
    const template = context.podTemplateOf(resource);
    if (!template) continue;
    const containers = context
      .containersOf(template, ALL_CONTAINER_LISTS)
      .filter((container) => !config.skipContainers.includes(container.name));
    for (const desire of planPodTemplate(template, containers, config)) apply(context, resource, desire);

    if (config.writableTmp && config.mode !== 'audit' && !isWindowsPod(template)) {
      // Re-read: the plan may just have made root filesystems read-only.
      const updated = context.podTemplateOf(resource);
      if (!updated) continue;
      for (const container of context.containersOf(updated, ALL_CONTAINER_LISTS)) {
        if (config.skipContainers.includes(container.name)) continue;
        const securityContext = container.container.securityContext as Record<string, unknown> | undefined;
        if (securityContext?.readOnlyRootFilesystem === true) addWritableTmp(updated, container);
      }
    }
  }
}

function apply(context: FunctionContext<SecurityContextConfig>, resource: Resource, desire: Desire): void {
  const { mode, auditSeverity } = context.config;
  const report = (severity: 'error' | 'warning', message: string): void =>
    context.report({
      severity,
      message,
      resource,
      field: desire.path,
      currentValue: desire.current ?? null,
      ...(desire.proposed !== undefined ? { proposedValue: desire.proposed } : {}),
    });
  const fixable = desire.proposed !== undefined;
  if (mode === 'audit') {
    if (desire.violation) report(auditSeverity, desire.message);
    return;
  }
  if (mode === 'fill') {
    if (fixable && isAbsent(desire.current)) resource.set(desire.path, desire.proposed);
    else if (desire.violation) report('warning', fixable ? `${desire.message} (left as is: mode fill never overwrites)` : `${desire.message} (cannot be fixed automatically)`);
    return;
  }
  if (!fixable) {
    if (desire.violation) report('error', `${desire.message} (cannot be fixed automatically; exclude the workload or change it)`);
    return;
  }
  if (desire.violation || desire.configured || isAbsent(desire.current)) resource.set(desire.path, desire.proposed);
}

export const securityContext = defineFunction({
  name: 'security-context',
  kind: 'SecurityContext',
  summary: 'Make pods satisfy a Pod Security Standard (restricted or baseline): fill in, enforce or audit securityContext.',
  example: [
    'apiVersion: krmkit.dev/v1alpha1',
    'kind: SecurityContext',
    'profile: restricted',
    'mode: enforce',
    'readOnlyRootFilesystem: true',
    'writableTmp: true',
  ].join('\n'),
  options: securityContextOptions,
  commonOptionDocs: securityContextCommonOptionDocs,
  // A hook's pods face the same Pod Security admission as the release's.
  editsHooks: true,
  parseConfig: parseSecurityContextConfig,
  run,
});

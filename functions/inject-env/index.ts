import { defineFunction, type FunctionContext } from '../../krm/function/function.js';
import type { ContainerListName } from '../../krm/kube/pod-template.js';
import { FUNCTION_NAME, injectEnvCommonOptionDocs, injectEnvOptions, parseInjectEnvConfig, type InjectEnvConfig } from './config.js';
import { EnvFromKeys } from './env-from-keys.js';
import { injectIntoContainer } from './inject-container.js';

function run(context: FunctionContext<InjectEnvConfig>): void {
  const { config } = context;
  const lists: ContainerListName[] = config.initContainers ? ['containers', 'initContainers'] : ['containers'];
  const envFromKeys = new EnvFromKeys(context.lookup);
  const matchedNames = new Set<string>();
  for (const resource of context.resources) {
    if (!context.inScope(resource)) continue;
    const template = context.podTemplateOf(resource);
    if (!template) continue;
    for (const container of context.containersOf(template, lists)) {
      if (config.containers.length > 0 && !config.containers.includes(container.name)) continue;
      matchedNames.add(container.name);
      injectIntoContainer(context, resource, container, envFromKeys);
    }
  }
  // A mistyped container name would otherwise make the function silently do nothing.
  const unmatched = config.containers.filter((name) => !matchedNames.has(name));
  if (unmatched.length > 0) {
    const where = config.initContainers ? 'containers or initContainers' : 'containers (initContainers: false)';
    context.report({
      severity: 'warning',
      message: `no selected workload has ${where} named ${unmatched.map((name) => JSON.stringify(name)).join(', ')}: nothing injected there`,
    });
  }
}

export const injectEnv = defineFunction({
  name: FUNCTION_NAME,
  kind: 'InjectEnv',
  summary: 'Inject environment variables (env, envFrom) into the containers of every workload, with a choice of override, keep or error on conflicts.',
  example: [
    'apiVersion: krmkit.dev/v1alpha1',
    'kind: InjectEnv',
    'env:',
    '  - name: PROD',
    '    value: "true"',
    '  - name: POD_NAMESPACE',
    '    valueFrom:',
    '      fieldRef: {fieldPath: metadata.namespace}',
    'envFrom:',
    '  - configMapRef: {name: shop-settings}',
    'onConflict: override',
  ].join('\n'),
  options: injectEnvOptions,
  commonOptionDocs: injectEnvCommonOptionDocs,
  // Hook pods need the same environment as the release's pods (a migration reads PROD too).
  editsHooks: true,
  parseConfig: parseInjectEnvConfig,
  run,
});

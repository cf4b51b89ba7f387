import { defineFunction, type FunctionContext } from '../../krm/function/function.js';
import type { ContainerRef } from '../../krm/kube/pod-template.js';
import type { Resource } from '../../krm/model/resource.js';
import { FUNCTION_NAME, parseResourcesConfig, RESOURCE_NAMES, resourcesCommonOptionDocs, resourcesOptions, type Amounts, type ResourcesConfig } from './config.js';
import { readContainerResources } from './container-resources.js';
import { compareQuantities, parseQuantity, type Quantity } from './quantity.js';

type Context = FunctionContext<ResourcesConfig>;

function run(context: Context): void {
  const { config } = context;
  const overrides = new Map(config.containerOverrides.map((override) => [override.name, override]));
  const matched = new Set<string>();
  for (const resource of context.resources) {
    if (!context.inScope(resource)) continue;
    const template = context.podTemplateOf(resource);
    if (!template) continue;
    if (template.spec.resources !== undefined && template.spec.resources !== null) {
      // Pod-level resources bound the containers' own: defaults could exceed them.
      context.report({
        severity: 'info',
        message: 'has pod-level resources (spec.resources); its containers are left as they are',
        resource,
        field: [...template.specPath, 'resources'],
      });
      continue;
    }
    // Ephemeral containers may not have resources: the API server rejects them there.
    for (const container of context.containersOf(template)) {
      if (config.skipContainers.includes(container.name)) continue;
      const override = overrides.get(container.name);
      if (override) matched.add(container.name);
      fillContainer(context, resource, container, {
        requests: { ...config.requests, ...override?.requests },
        limits: { ...config.limits, ...override?.limits },
      });
    }
  }
  // A mistyped container name would otherwise make its override silently do nothing.
  const unmatched = config.containerOverrides.map((override) => override.name).filter((name) => !matched.has(name));
  if (unmatched.length > 0) {
    context.report({
      severity: 'warning',
      message: `no selected workload has a container or initContainer named ${unmatched.map((name) => JSON.stringify(name)).join(', ')}: containerOverrides for it did nothing`,
    });
  }
}

/**
 * Fills a container's absent requests and limits. What is there stays: a request absent
 * beside a limit becomes that limit (what the API server would default it to, so the pod's
 * reservation does not shrink), and a limit that would fall below the request is the request.
 */
function fillContainer(context: Context, resource: Resource, container: ContainerRef, wanted: { requests: Amounts; limits: Amounts }): void {
  const { config } = context;
  const current = readContainerResources(resource, container);
  const label = `${container.list === 'initContainers' ? 'initContainer' : 'container'} ${JSON.stringify(container.name)}`;

  for (const [name, limit] of current.limits) {
    const request = current.requests.get(name);
    if (!request || compareQuantities(limit.quantity, request.quantity) >= 0) continue;
    context.report({
      severity: 'error',
      message: `${label}: the ${name} limit ${String(limit.value)} is below its request ${String(request.value)}, which the API server rejects; raise the limit or lower the request in the chart's values`,
      resource,
      field: [...current.limitsPath, name],
      currentValue: limit.value,
      proposedValue: request.value,
    });
  }

  const requests = new Map<string, { value: unknown; quantity: Quantity }>(current.requests);
  for (const name of RESOURCE_NAMES) {
    const amount = wanted.requests[name];
    if (amount === undefined || requests.has(name)) continue;
    const fill = current.limits.get(name) ?? { value: amount, quantity: parseQuantity(amount) as Quantity };
    resource.set([...current.requestsPath, name], fill.value);
    requests.set(name, fill);
  }

  for (const name of RESOURCE_NAMES) {
    const request = requests.get(name);
    const configured = wanted.limits[name];
    const raised = configured !== undefined && request !== undefined && compareQuantities(parseQuantity(configured) as Quantity, request.quantity) < 0;
    const limit = current.limits.get(name);
    if (!limit) {
      const fill = raised || (configured === undefined && name === 'memory' && config.memoryLimitFromRequest) ? request?.value : configured;
      if (fill !== undefined) resource.set([...current.limitsPath, name], fill);
    }
    // Said on every run where it holds, not only when the limit is set, so a ResourceList's results stay idempotent.
    if (raised && (!limit || limit.value === request.value)) {
      context.report({
        severity: 'info',
        message: `${label}: ${name} limit ${String(request.value)}, its request, instead of the configured ${configured}, which is below that request; give this container its own limit in containerOverrides`,
        resource,
        field: [...current.limitsPath, name],
      });
    }
  }
}

export const resources = defineFunction({
  name: FUNCTION_NAME,
  kind: 'Resources',
  summary: 'Give every container and init container CPU and memory requests and a memory limit (CPU and ephemeral-storage limits when configured), filling only what is absent.',
  example: [
    'apiVersion: krmkit.dev/v1alpha1',
    'kind: Resources',
    'requests: {cpu: 250m, memory: 256Mi}',
    'limits: {memory: 512Mi}',
    'containerOverrides:',
    '  - name: istio-proxy',
    '    requests: {cpu: 10m, memory: 64Mi}',
  ].join('\n'),
  options: resourcesOptions,
  commonOptionDocs: resourcesCommonOptionDocs,
  // A hook's pods are scheduled like the release's: a migration Job needs requests and a memory limit too.
  editsHooks: true,
  parseConfig: parseResourcesConfig,
  run,
});

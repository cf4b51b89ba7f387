import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import type { ContainerRef } from '../../krm/kube/pod-template.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap } from '../../krm/model/shape.js';
import { isNegative, parseQuantity, type Quantity } from './quantity.js';

/** One entry of a container's `resources.requests` or `resources.limits`, read and checked. */
export interface Amount {
  /** As written (a string, or a YAML number such as `cpu: 1`): copied as it is. */
  value: unknown;
  quantity: Quantity;
}

/** A container's own requests and limits, every amount a valid quantity, with the paths to edit them by. */
export interface ContainerResources {
  requestsPath: Path;
  limitsPath: Path;
  requests: Map<string, Amount>;
  limits: Map<string, Amount>;
}

export function readContainerResources(resource: Resource, container: ContainerRef): ContainerResources {
  const resourcesPath = [...container.path, 'resources'];
  const resources = optionalMap(resource, resourcesPath, container.container.resources) ?? {};
  const requestsPath = [...resourcesPath, 'requests'];
  const limitsPath = [...resourcesPath, 'limits'];
  return {
    requestsPath,
    limitsPath,
    requests: readAmounts(resource, requestsPath, resources.requests),
    limits: readAmounts(resource, limitsPath, resources.limits),
  };
}

function readAmounts(resource: Resource, path: Path, raw: unknown): Map<string, Amount> {
  const amounts = new Map<string, Amount>();
  for (const [name, value] of Object.entries(optionalMap(resource, path, raw) ?? {})) {
    // `memory: null` (a chart's empty value) is as good as absent, and is filled.
    if (value === null) continue;
    const quantity = parseQuantity(value);
    if (!quantity || isNegative(quantity)) {
      throw resource.errorAt([...path, name], `expected a Kubernetes quantity such as 100m, 0.5, 128Mi or 1G, got ${describeValue(value)}`);
    }
    amounts.set(name, { value, quantity });
  }
  return amounts;
}

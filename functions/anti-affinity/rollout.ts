import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap } from '../../krm/model/shape.js';

/** Kubernetes' default for both `maxUnavailable` and `maxSurge` of a Deployment's RollingUpdate. */
const DEFAULT_ROLLING_UPDATE_VALUE = '25%';

/** A RollingUpdate's two limits as written: a pod count or a percentage of the replicas. */
export interface RollingUpdate {
  maxUnavailable: number | string;
  maxSurge: number | string;
}

/**
 * The RollingUpdate limits of a Deployment, or undefined when it does not roll pods one by
 * one (`type: Recreate` stops every old pod before it starts new ones). Malformed values are
 * input errors: the API server would refuse them too.
 */
export function rollingUpdateOf(deployment: Resource): RollingUpdate | undefined {
  const strategyPath: Path = ['spec', 'strategy'];
  const strategy = optionalMap(deployment, strategyPath, deployment.get(strategyPath)) ?? {};
  if (strategy.type === 'Recreate') return undefined;
  const rollingPath = [...strategyPath, 'rollingUpdate'];
  const rolling = optionalMap(deployment, rollingPath, strategy.rollingUpdate) ?? {};
  return {
    maxUnavailable: intOrPercent(deployment, [...rollingPath, 'maxUnavailable'], rolling.maxUnavailable),
    maxSurge: intOrPercent(deployment, [...rollingPath, 'maxSurge'], rolling.maxSurge),
  };
}

/**
 * How many pods a rollout may take down at a replica count, as the Deployment controller
 * resolves it: a percentage of `maxUnavailable` rounds down, of `maxSurge` up, and when both
 * come to 0 the controller lets one pod go (a rollout could not move otherwise).
 */
export function resolvedMaxUnavailable(rolling: RollingUpdate, replicas: number): number {
  const unavailable = resolve(rolling.maxUnavailable, replicas, Math.floor);
  const surge = resolve(rolling.maxSurge, replicas, Math.ceil);
  return unavailable === 0 && surge === 0 ? 1 : unavailable;
}

function resolve(value: number | string, replicas: number, round: (share: number) => number): number {
  if (typeof value === 'number') return value;
  return round((replicas * Number(value.slice(0, -1))) / 100);
}

function intOrPercent(deployment: Resource, path: Path, value: unknown): number | string {
  if (value === undefined || value === null) return DEFAULT_ROLLING_UPDATE_VALUE;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+%$/.test(value)) return value;
  throw deployment.errorAt(path, `expected a whole number ≥ 0 or a percentage such as "25%", got ${describeValue(value)}`);
}

/** Sets `maxUnavailable: 1`, creating `spec.strategy.rollingUpdate` where the chart left it out. */
export function allowOneUnavailable(deployment: Resource): void {
  const strategy = deployment.get(['spec', 'strategy']);
  if (strategy === undefined || strategy === null) {
    deployment.set(['spec', 'strategy'], { rollingUpdate: { maxUnavailable: 1 } });
    return;
  }
  const rolling = deployment.get(['spec', 'strategy', 'rollingUpdate']);
  if (rolling === undefined || rolling === null) {
    deployment.set(['spec', 'strategy', 'rollingUpdate'], { maxUnavailable: 1 });
    return;
  }
  deployment.set(['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], 1);
}

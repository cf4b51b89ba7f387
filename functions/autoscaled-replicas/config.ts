import type { OptionSpecs } from '../../krm/function/options.js';

export const FUNCTION_NAME = 'autoscaled-replicas';

/** No options of its own: which workloads an HPA targets is read from the stream. */
export type AutoscaledReplicasConfig = Record<string, never>;

export const autoscaledReplicasOptions: OptionSpecs = {};

export function parseAutoscaledReplicasConfig(): AutoscaledReplicasConfig {
  return {};
}

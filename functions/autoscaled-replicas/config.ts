import * as v from 'valibot';
import type { CommonOptionDocs } from '../../krm/function/function.js';

export const FUNCTION_NAME = 'autoscaled-replicas';

/** No options of its own: which workloads an HPA targets is read from the stream. */
export type AutoscaledReplicasConfig = Record<string, never>;

export const autoscaledReplicasOptions = v.strictObject({});

export const autoscaledReplicasCommonOptionDocs: CommonOptionDocs = {
  select: 'Which workloads to change.',
  podTemplateKinds: 'Extra kinds that embed a pod template (their `spec.replicas` is removed the same way).',
};

export function parseAutoscaledReplicasConfig(): AutoscaledReplicasConfig {
  return {};
}

import type { AnyKrmFunction } from '../krm/function.js';
import { antiAffinity } from './anti-affinity/index.js';
import { autoscaledReplicas } from './autoscaled-replicas/index.js';
import { injectEnv } from './inject-env/index.js';
import { networkPolicy } from './network-policy/index.js';
import { podDisruptionBudget } from './pod-disruption-budget/index.js';
import { podSecurityLabels } from './pod-security-labels/index.js';
import { reloader } from './reloader/index.js';
import { resources } from './resources/index.js';
import { securityContext } from './security-context/index.js';

/** Every krmkit function, in the order `--help` lists them. */
export const FUNCTIONS: readonly AnyKrmFunction[] = [
  securityContext,
  resources,
  antiAffinity,
  reloader,
  injectEnv,
  networkPolicy,
  podDisruptionBudget,
  autoscaledReplicas,
  podSecurityLabels,
];

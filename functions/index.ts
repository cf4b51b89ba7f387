import type { AnyKrmFunction } from '../krm/function/function.js';
import type { Registry } from '../krm/function/steps.js';

/**
 * Every krmkit function, in the order `--help` lists them: its name and kind, and how to
 * load it. A function's code is loaded only when a pipeline uses it — a Helm post-renderer
 * starts on every `helm upgrade`, and each function left unloaded is start-up time saved
 * (the bundle keeps each one behind a lazy initialiser). To add a function, add its entry.
 */
export interface CatalogEntry {
  name: string;
  kind: string;
  load: () => Promise<AnyKrmFunction>;
}

export const FUNCTION_CATALOG: readonly CatalogEntry[] = [
  { name: 'security-context', kind: 'SecurityContext', load: async () => (await import('./security-context/index.js')).securityContext },
  { name: 'resources', kind: 'Resources', load: async () => (await import('./resources/index.js')).resources },
  { name: 'anti-affinity', kind: 'AntiAffinity', load: async () => (await import('./anti-affinity/index.js')).antiAffinity },
  { name: 'reloader', kind: 'Reloader', load: async () => (await import('./reloader/index.js')).reloader },
  { name: 'inject-env', kind: 'InjectEnv', load: async () => (await import('./inject-env/index.js')).injectEnv },
  { name: 'network-policy', kind: 'NetworkPolicies', load: async () => (await import('./network-policy/index.js')).networkPolicy },
  { name: 'pod-disruption-budget', kind: 'PodDisruptionBudgets', load: async () => (await import('./pod-disruption-budget/index.js')).podDisruptionBudget },
  { name: 'autoscaled-replicas', kind: 'AutoscaledReplicas', load: async () => (await import('./autoscaled-replicas/index.js')).autoscaledReplicas },
  { name: 'pod-security-labels', kind: 'PodSecurityLabels', load: async () => (await import('./pod-security-labels/index.js')).podSecurityLabels },
];

/** The functions `wanted` picks (all by default), loaded, in catalog order. */
export async function loadFunctions(wanted: (entry: CatalogEntry) => boolean = () => true): Promise<Registry> {
  return Promise.all(FUNCTION_CATALOG.filter(wanted).map((entry) => entry.load()));
}

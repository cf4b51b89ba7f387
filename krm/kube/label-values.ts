import { isPlainMap, type Path } from '../base/path.js';
import type { Resource } from '../model/resource.js';
import { requireLabelValue } from './labels.js';
import { podTemplatePathOf, type PodTemplateKind } from './pod-template.js';
import { workloadSelectorLocation } from './workload-selector.js';

/** Selectors of pods held by objects that are not workloads, which functions read to relate to workloads. */
const OTHER_SELECTORS: readonly { group: string; kind: string; path: Path }[] = [
  { group: 'policy', kind: 'PodDisruptionBudget', path: ['spec', 'selector'] },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy', path: ['spec', 'podSelector'] },
];

/**
 * Applies the label-value rule (`requireLabelValue`) to every label a resource carries where
 * Kubernetes reads labels: its `metadata.labels`, its pod template's labels, its own
 * selector (and a PodDisruptionBudget's or NetworkPolicy's). The engine runs it on every
 * input resource before any step, so `tier: 1` is the same located error (exit 2) in every
 * function and pipeline, whether or not the function reads labels. Only values are checked:
 * a malformed structure (a selector written as a list) is left to the function that reads
 * it, whose reader names it, so functions that ignore it keep passing it through.
 */
export function checkLabelValues(resource: Resource, podTemplateKinds: readonly PodTemplateKind[] = []): void {
  checkMap(resource, ['metadata', 'labels']);
  const templatePath = podTemplatePathOf(resource, podTemplateKinds);
  if (templatePath !== undefined) checkMap(resource, [...templatePath, 'metadata', 'labels']);
  const location = workloadSelectorLocation(resource, templatePath);
  if (location?.form === 'labelMap') checkMap(resource, location.path);
  if (location?.form === 'labelSelector') checkSelector(resource, location.path);
  for (const entry of OTHER_SELECTORS) {
    if (entry.group === resource.group && entry.kind === resource.kind) checkSelector(resource, entry.path);
  }
}

function checkSelector(resource: Resource, path: Path): void {
  checkMap(resource, [...path, 'matchLabels']);
  const expressions = resource.get([...path, 'matchExpressions']);
  if (!Array.isArray(expressions)) return;
  expressions.forEach((expression: unknown, index) => {
    const values = isPlainMap(expression) ? expression.values : undefined;
    if (!Array.isArray(values)) return;
    values.forEach((value: unknown, valueIndex) => requireLabelValue(resource, [...path, 'matchExpressions', index, 'values', valueIndex], value));
  });
}

function checkMap(resource: Resource, path: Path): void {
  const map = resource.get(path);
  if (!isPlainMap(map)) return;
  for (const [key, value] of Object.entries(map)) requireLabelValue(resource, [...path, key], value);
}

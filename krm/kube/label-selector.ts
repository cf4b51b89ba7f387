import type { Labels } from './labels.js';

/**
 * A Kubernetes LabelSelector (`spec.selector` of a Deployment, a NetworkPolicy's
 * `podSelector`, an affinity term's `labelSelector`), and the one matcher for it. The `-l`
 * string form (`label-selector-string.ts`) compiles to the same requirements.
 */
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: MatchExpression[];
}

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export const OPERATORS: readonly Operator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** One requirement on one label key; `values` only for In and NotIn. */
export interface MatchExpression {
  key: string;
  operator: Operator;
  values?: string[];
}

/** Whether every label of `wanted` is on `labels` with the same value (a `matchLabels`, or a Service's selector). */
export function hasLabels(labels: Labels, wanted: Labels): boolean {
  return Object.entries(wanted).every(([key, value]) => Object.prototype.hasOwnProperty.call(labels, key) && labels[key] === value);
}

/** Whether a label map meets every requirement. */
export function matchesRequirements(labels: Labels, requirements: readonly MatchExpression[]): boolean {
  return requirements.every((requirement) => {
    const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        return has && values.includes(labels[requirement.key] as string);
      case 'NotIn':
        return !has || !values.includes(labels[requirement.key] as string);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
}

/** Whether a selector picks a pod with these labels. An empty selector picks every pod. */
export function matchesSelector(labels: Labels, selector: LabelSelector): boolean {
  return hasLabels(labels, selector.matchLabels ?? {}) && matchesRequirements(labels, selector.matchExpressions ?? []);
}

/** Whether a selector has no requirement at all (and so, as Kubernetes reads it, picks everything). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** The selector of exactly these labels; `{}` for none. */
export function selectorFromLabels(labels: Labels | undefined): LabelSelector {
  return labels && Object.keys(labels).length > 0 ? { matchLabels: { ...labels } } : {};
}

/** A selector as written into a generated object: empty parts left out, nothing shared with the input. */
export function renderSelector(selector: LabelSelector): Record<string, unknown> {
  const rendered: Record<string, unknown> = {};
  if (selector.matchLabels && Object.keys(selector.matchLabels).length > 0) rendered.matchLabels = { ...selector.matchLabels };
  if (selector.matchExpressions && selector.matchExpressions.length > 0) {
    rendered.matchExpressions = selector.matchExpressions.map((expression) => (expression.values ? { ...expression, values: [...expression.values] } : { ...expression }));
  }
  return rendered;
}

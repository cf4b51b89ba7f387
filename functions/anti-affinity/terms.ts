import type { PreferredTerm, RequiredTerm, SpreadConstraint } from './config.js';
import type { LabelSelector } from '../../krm/kube/label-selector.js';

/** The Kubernetes objects the function adds, in the field order the Kubernetes docs use. */

export function preferredTermObject(term: PreferredTerm, labelSelector: LabelSelector): Record<string, unknown> {
  return { weight: term.weight, podAffinityTerm: { labelSelector, topologyKey: term.topologyKey } };
}

export function requiredTermObject(term: RequiredTerm, labelSelector: LabelSelector): Record<string, unknown> {
  return { labelSelector, topologyKey: term.topologyKey };
}

export function spreadConstraintObject(constraint: SpreadConstraint, labelSelector: LabelSelector, revisionLabelKey: string | undefined): Record<string, unknown> {
  const object: Record<string, unknown> = {
    maxSkew: constraint.maxSkew,
    topologyKey: constraint.topologyKey,
    whenUnsatisfiable: constraint.whenUnsatisfiable,
    labelSelector,
  };
  // The revision key is not in labelSelector (PER_RELEASE_LABEL_KEYS), as the API requires.
  if (revisionLabelKey) object.matchLabelKeys = [revisionLabelKey];
  if (constraint.nodeTaintsPolicy) object.nodeTaintsPolicy = constraint.nodeTaintsPolicy;
  return object;
}

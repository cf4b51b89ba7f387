import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import type { PodTemplate } from '../../krm/kube/pod-template.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap, optionalMapList } from '../../krm/model/shape.js';
import type { AntiAffinityConfig } from './config.js';
import type { LabelSelector } from '../../krm/kube/label-selector.js';
import { preferredTermObject, requiredTermObject, spreadConstraintObject } from './terms.js';

/** One list the function appends to, and the topology keys already in it. */
interface TermList {
  path: Path;
  length: number;
  topologyKeys: Set<string>;
}

/**
 * Adds the configured terms to a pod template, never removing or rewriting what is there:
 * a topology key that already has a term in a list keeps that term, whatever its selector
 * or weight — the chart author or an earlier overlay decided it. nodeAffinity and podAffinity
 * are not read or written. Returns the paths of the terms it added.
 */
export function mergeTerms(template: PodTemplate, config: AntiAffinityConfig, selector: LabelSelector, revisionLabelKey: string | undefined): Path[] {
  const { resource, spec, specPath } = template;
  const affinityPath = [...specPath, 'affinity'];
  const affinity = optionalMap(resource, affinityPath, spec.affinity) ?? {};
  const antiPath = [...affinityPath, 'podAntiAffinity'];
  const anti = optionalMap(resource, antiPath, affinity.podAntiAffinity) ?? {};

  const preferredPath = [...antiPath, 'preferredDuringSchedulingIgnoredDuringExecution'];
  const preferred = readList(resource, preferredPath, anti.preferredDuringSchedulingIgnoredDuringExecution, (entry, at) => {
    const termPath = [...at, 'podAffinityTerm'];
    const term = optionalMap(resource, termPath, entry.podAffinityTerm);
    return term ? topologyKeyOf(resource, termPath, term) : undefined;
  });
  const requiredPath = [...antiPath, 'requiredDuringSchedulingIgnoredDuringExecution'];
  const required = readList(resource, requiredPath, anti.requiredDuringSchedulingIgnoredDuringExecution, (entry, at) => topologyKeyOf(resource, at, entry));
  const spreadPath = [...specPath, 'topologySpreadConstraints'];
  const spread = readList(resource, spreadPath, spec.topologySpreadConstraints, (entry, at) => topologyKeyOf(resource, at, entry));

  const added: Path[] = [];
  const append = (list: TermList, topologyKey: string, object: Record<string, unknown>): void => {
    if (list.topologyKeys.has(topologyKey)) return;
    const path = [...list.path, list.length];
    resource.set(path, object);
    list.length++;
    list.topologyKeys.add(topologyKey);
    added.push(path);
  };
  for (const term of config.required) append(required, term.topologyKey, requiredTermObject(term, selector));
  for (const term of config.preferred) append(preferred, term.topologyKey, preferredTermObject(term, selector));
  for (const constraint of config.topologySpread) append(spread, constraint.topologyKey, spreadConstraintObject(constraint, selector, revisionLabelKey));
  return added;
}

function readList(
  resource: Resource,
  path: Path,
  value: unknown,
  keyOf: (entry: Record<string, unknown>, at: Path) => string | undefined,
): TermList {
  const entries = optionalMapList(resource, path, value) ?? [];
  const topologyKeys = new Set<string>();
  entries.forEach((entry, index) => {
    const key = keyOf(entry, [...path, index]);
    if (key !== undefined) topologyKeys.add(key);
  });
  return { path, length: entries.length, topologyKeys };
}

function topologyKeyOf(resource: Resource, at: Path, entry: Record<string, unknown>): string | undefined {
  const key = entry.topologyKey;
  if (key === undefined || key === null) return undefined;
  if (typeof key !== 'string') throw resource.errorAt([...at, 'topologyKey'], `expected a string, got ${describeValue(key)}`);
  return key;
}

import { describeValue } from '../../krm/base/messages.js';
import { isPlainMap, type Path } from '../../krm/base/path.js';
import type { Resource } from '../../krm/model/resource.js';
import { optionalMap, optionalMapList, optionalStringList } from '../../krm/model/shape.js';
import type { Labels } from './config.js';

/** A Kubernetes LabelSelector, as NetworkPolicy `podSelector` and workloads' `selector` hold it. */
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: MatchExpression[];
}

export interface MatchExpression {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

const OPERATORS: readonly MatchExpression['operator'][] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export function selectorFromLabels(labels: Labels | undefined): LabelSelector {
  return labels && Object.keys(labels).length > 0 ? { matchLabels: { ...labels } } : {};
}

/** Whether every label of `wanted` is on `labels` with the same value. */
export function hasLabels(labels: Labels, wanted: Labels): boolean {
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}

export function matchesSelector(labels: Labels, selector: LabelSelector): boolean {
  if (selector.matchLabels && !hasLabels(labels, selector.matchLabels)) return false;
  return (selector.matchExpressions ?? []).every((expression) => {
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        return has && values.includes(labels[expression.key] as string);
      case 'NotIn':
        return !has || !values.includes(labels[expression.key] as string);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
}

/** A label map read from input, checked: values must be strings (numbers and booleans are read as YAML wrote them). */
export function readLabels(resource: Resource, path: Path, value: unknown): Labels {
  const map = optionalMap(resource, path, value) ?? {};
  const labels: Labels = {};
  for (const [key, entry] of Object.entries(map)) {
    if (typeof entry === 'string') labels[key] = entry;
    else if (typeof entry === 'number' || typeof entry === 'boolean') labels[key] = String(entry);
    else throw resource.errorAt([...path, key], `expected a label value (a string), got ${describeValue(entry)}`);
  }
  return labels;
}

/** A LabelSelector read from input, checked; undefined when absent. */
export function readLabelSelector(resource: Resource, path: Path, value: unknown): LabelSelector | undefined {
  const map = optionalMap(resource, path, value);
  if (!map) return undefined;
  const selector: LabelSelector = {};
  if (map.matchLabels !== undefined && map.matchLabels !== null) selector.matchLabels = readLabels(resource, [...path, 'matchLabels'], map.matchLabels);
  const expressionsPath = [...path, 'matchExpressions'];
  const expressions = optionalMapList(resource, expressionsPath, map.matchExpressions);
  if (expressions) {
    selector.matchExpressions = expressions.map((expression, index) => {
      const at = [...expressionsPath, index];
      if (typeof expression.key !== 'string') throw resource.errorAt([...at, 'key'], `expected a label key (a string), got ${describeValue(expression.key)}`);
      const operator = OPERATORS.find((candidate) => candidate === expression.operator);
      if (!operator) throw resource.errorAt([...at, 'operator'], `expected In, NotIn, Exists or DoesNotExist, got ${describeValue(expression.operator)}`);
      const read: MatchExpression = { key: expression.key, operator };
      const values = optionalStringList(resource, [...at, 'values'], expression.values);
      if (values) read.values = values;
      return read;
    });
  }
  return selector;
}

/** True when `value` looks like a LabelSelector rather than a bare label map (ReplicationController style). */
export function isLabelSelectorShape(value: unknown): boolean {
  return isPlainMap(value) && ('matchLabels' in value || 'matchExpressions' in value);
}

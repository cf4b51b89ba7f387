import { describeValue } from '../base/messages.js';
import type { Path } from '../base/path.js';
import type { Resource } from '../model/resource.js';
import { optionalMap, optionalMapList, optionalStringList } from '../model/shape.js';
import { OPERATORS, type LabelSelector, type MatchExpression } from './label-selector.js';
import { readLabels, requireLabelValue } from './labels.js';

/**
 * A LabelSelector found in a resource, checked: undefined when absent, else a copy with
 * `matchLabels` (string values) and `matchExpressions` (a string key, one of the four
 * operators, string values). Anything else is a located input error (exit 2) naming the
 * document, the resource and the field. Parts written empty are kept as written: whether an
 * empty selector picks everything or nothing is the caller's to say (policy/v1 vs v1beta1).
 */
export function readLabelSelector(resource: Resource, path: Path, value: unknown): LabelSelector | undefined {
  const map = optionalMap(resource, path, value);
  if (!map) return undefined;
  const selector: LabelSelector = {};
  if (map.matchLabels !== undefined && map.matchLabels !== null) selector.matchLabels = readLabels(resource, [...path, 'matchLabels'], map.matchLabels);
  const expressionsPath = [...path, 'matchExpressions'];
  const expressions = optionalMapList(resource, expressionsPath, map.matchExpressions);
  if (expressions) selector.matchExpressions = expressions.map((expression, index) => readExpression(resource, [...expressionsPath, index], expression));
  return selector;
}

function readExpression(resource: Resource, path: Path, expression: Record<string, unknown>): MatchExpression {
  if (typeof expression.key !== 'string') throw resource.errorAt([...path, 'key'], `expected a label key (a string), got ${describeValue(expression.key)}`);
  const operator = OPERATORS.find((candidate) => candidate === expression.operator);
  if (!operator) throw resource.errorAt([...path, 'operator'], `expected In, NotIn, Exists or DoesNotExist, got ${describeValue(expression.operator)}`);
  const read: MatchExpression = { key: expression.key, operator };
  const valuesPath = [...path, 'values'];
  // Values are label values: the label rule first, so `values: [1]` reads like `tier: 1`.
  if (Array.isArray(expression.values)) expression.values.forEach((entry: unknown, index) => requireLabelValue(resource, [...valuesPath, index], entry));
  const values = optionalStringList(resource, valuesPath, expression.values);
  if (values) read.values = [...values];
  return read;
}

import { describeValue } from '../../krm/base/messages.js';
import { labelsOf } from '../../krm/kube/labels.js';
import type { Resource } from '../../krm/model/resource.js';
import { LEVELS, type Level, type Mode, type PodSecurityLabelsConfig } from './config.js';

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';

/**
 * Labels one Namespace for each mode at `level`, unless it already carries that mode at a
 * stricter (or the same) level: then the label and its `-version` stay as they are, since
 * whoever set them knew something about that namespace. Returns the modes it raised.
 */
export function labelNamespace(namespace: Resource, level: Level, config: PodSecurityLabelsConfig): Mode[] {
  const raised: Mode[] = [];
  const existing = labelsOf(namespace);
  for (const mode of config.modes) {
    const key = `${LABEL_PREFIX}${mode}`;
    const current = readLevel(namespace, key, existing[key]);
    if (current !== undefined && rank(current) >= rank(level)) continue;
    namespace.set(['metadata', 'labels', key], level);
    namespace.set(['metadata', 'labels', `${key}-version`], config.version);
    raised.push(mode);
  }
  return raised;
}

export function rank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** A level label as written: Pod Security admission refuses any other value, so krmkit does too. */
function readLevel(namespace: Resource, key: string, value: string | undefined): Level | undefined {
  if (value === undefined) return undefined;
  if ((LEVELS as readonly string[]).includes(value)) return value as Level;
  throw namespace.errorAt(['metadata', 'labels', key], `expected ${LEVELS.join(', ')}, got ${describeValue(value)}`);
}

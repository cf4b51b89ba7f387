import { KrmConfigError } from '../base/errors.js';
import { matchesRequirements, type MatchExpression } from '../kube/label-selector.js';
import { parseLabelSelector } from '../kube/label-selector-string.js';
import { labelsOf } from '../kube/labels.js';
import { isPlainMap } from '../base/path.js';
import type { Resource } from '../model/resource.js';

/**
 * Which resources a function applies to, as kustomize and kpt select them. Every field that
 * is set must match; `name` is a regular expression anchored at both ends.
 */
export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** The per-object opt-out: `krmkit.dev/skip: "security-context,reloader"` or `"all"`. */
export const SKIP_ANNOTATION = 'krmkit.dev/skip';

interface CompiledSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: RegExp;
  namespace?: string;
  labels?: MatchExpression[];
  annotations?: MatchExpression[];
}

export interface Selection {
  select: Selector[];
  exclude: Selector[];
}

/** Decides, for one function, whether a resource is in scope. */
export class ResourceFilter {
  private readonly select: CompiledSelector[];
  private readonly exclude: CompiledSelector[];

  constructor(
    private readonly functionName: string,
    selection: Selection,
  ) {
    this.select = selection.select.map((selector, index) => compile(functionName, selector, ['select', index]));
    this.exclude = selection.exclude.map((selector, index) => compile(functionName, selector, ['exclude', index]));
  }

  includes(resource: Resource): boolean {
    if (optedOut(resource, this.functionName) || isLocalConfig(resource)) return false;
    if (this.select.length > 0 && !this.select.some((selector) => matches(selector, resource))) return false;
    return !this.exclude.some((selector) => matches(selector, resource));
  }
}

/**
 * kpt hands functions its Kptfile and function configs, marked local-config: they are never
 * applied to a cluster, so no function acts on them (nor counts their namespace).
 */
const LOCAL_CONFIG_ANNOTATION = 'config.kubernetes.io/local-config';

function isLocalConfig(resource: Resource): boolean {
  return resource.annotations[LOCAL_CONFIG_ANNOTATION] === 'true';
}

function optedOut(resource: Resource, functionName: string): boolean {
  const skip = resource.annotations[SKIP_ANNOTATION];
  if (skip === undefined) return false;
  return skip.split(',').some((entry) => {
    const name = entry.trim();
    return name === 'all' || name === functionName;
  });
}

function matches(selector: CompiledSelector, resource: Resource): boolean {
  if (selector.group !== undefined && selector.group !== resource.group) return false;
  if (selector.version !== undefined && selector.version !== resource.version) return false;
  if (selector.kind !== undefined && selector.kind !== resource.kind) return false;
  if (selector.name && !selector.name.test(resource.name)) return false;
  if (selector.namespace !== undefined && selector.namespace !== (resource.namespace ?? '')) return false;
  if (selector.labels && !matchesRequirements(labelsOf(resource), selector.labels)) return false;
  if (selector.annotations && !matchesRequirements(resource.annotations, selector.annotations)) return false;
  return true;
}

const SELECTOR_FIELDS = ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'];

function compile(functionName: string, selector: Selector, path: (string | number)[]): CompiledSelector {
  const compiled: CompiledSelector = {};
  if (selector.group !== undefined) compiled.group = selector.group;
  if (selector.version !== undefined) compiled.version = selector.version;
  if (selector.kind !== undefined) compiled.kind = selector.kind;
  if (selector.namespace !== undefined) compiled.namespace = selector.namespace;
  try {
    if (selector.name !== undefined) compiled.name = new RegExp(`^(?:${selector.name})$`);
  } catch (error) {
    throw new KrmConfigError(functionName, `name is not a valid regular expression: ${(error as Error).message}`, [...path, 'name']);
  }
  for (const [field, target] of [
    ['labelSelector', 'labels'],
    ['annotationSelector', 'annotations'],
  ] as const) {
    const text = selector[field];
    if (text === undefined) continue;
    try {
      compiled[target] = parseLabelSelector(text);
    } catch (error) {
      throw new KrmConfigError(functionName, (error as Error).message, [...path, field]);
    }
  }
  return compiled;
}

/** Validates a `select`/`exclude` entry from config. */
export function parseSelector(functionName: string, raw: unknown, path: (string | number)[]): Selector {
  if (!isPlainMap(raw)) throw new KrmConfigError(functionName, 'expected a mapping of group/version/kind/name/namespace/labelSelector/annotationSelector', path);
  const selector: Selector = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!SELECTOR_FIELDS.includes(key)) {
      throw new KrmConfigError(functionName, `unknown selector field ${JSON.stringify(key)} (valid: ${SELECTOR_FIELDS.join(', ')})`, [...path, key]);
    }
    if (typeof value !== 'string') throw new KrmConfigError(functionName, 'expected a string', [...path, key]);
    (selector as Record<string, string>)[key] = value;
  }
  return selector;
}

import { isPlainMap } from '../base/path.js';
import { Resource, type KubeObject } from './resource.js';

/**
 * The rules every object krmkit generates follows (NetworkPolicies, PodDisruptionBudgets,
 * anything a later function adds), so that the output of one release installs beside the
 * output of another:
 *
 * - it is named after the object it serves (`<served>-<purpose>`), so two releases in one
 *   namespace never emit the same name and uninstalling one leaves the other's objects;
 * - it carries that object's namespace, and none when that object has none: Helm and
 *   `kubectl apply -n` then place both in the same (release) namespace;
 * - names over the API's limits are shortened deterministically with a hash of the whole
 *   name, never cut into a collision, and are the same on every run (so `helm upgrade`
 *   updates objects in place).
 */

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'krmkit';

/** Object names are DNS subdomains: at most 253 characters. */
export const MAX_NAME_LENGTH = 253;
/** Label values (and DNS labels) are at most 63 characters. */
export const MAX_LABEL_LENGTH = 63;

/** Lowercase letters, digits and '-' (a DNS label's alphabet, which label values also accept); '' becomes `all`. */
export function dnsLabel(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'all' : cleaned;
}

/** A DNS subdomain: lowercase letters, digits, '-' and '.', starting and ending alphanumeric. */
function dnsSubdomain(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/\.+/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '');
  return cleaned === '' ? 'all' : cleaned;
}

/**
 * `<servedName>-<purpose>`, made DNS-safe and, when longer than `maxLength`, cut and given a
 * hash of the whole (uncut) name, so two long names that share a prefix stay distinct.
 * A `maxLength` of 63 or less also drops '.', as DNS labels (and label values) require.
 */
export function generatedName(servedName: string, purpose: string, maxLength = MAX_NAME_LENGTH): string {
  const joined = servedName === '' ? purpose : purpose === '' ? servedName : `${servedName}-${purpose}`;
  const safe = maxLength <= MAX_LABEL_LENGTH ? dnsLabel(joined) : dnsSubdomain(joined);
  // The hash is over the text before cleaning too: `a_b` and `a.b` must not meet as `a-b` once cut.
  return shorten(safe, maxLength, joined);
}

/** A label value: at most 63 characters, shortened with a hash like names. */
export function labelValue(text: string): string {
  return shorten(text, MAX_LABEL_LENGTH, text);
}

/** Any object name (not derived from a served object) kept within the limit. */
export function limitName(text: string, maxLength = MAX_NAME_LENGTH): string {
  return shorten(text, maxLength, text);
}

function shorten(text: string, max: number, hashed: string): string {
  if (text.length <= max) return text;
  const hash = fnv1a(hashed);
  return `${text.slice(0, max - hash.length - 1).replace(/[-._]+$/, '')}-${hash}`;
}

/** FNV-1a, 32 bits, as 8 hex digits: enough to tell shortened names apart, stable across runs. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Metadata of a generated object, keys in the order people write them: name, namespace, labels. */
export interface GeneratedMetadata {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
}

/**
 * Metadata for an object generated to serve `served` (a workload, a Namespace's contents…):
 * its namespace is the served object's when that has one and absent when it has none (the
 * release namespace then decides, for both alike), with the managed-by label first.
 */
export function generatedMetadata(served: Resource | KubeObject, name: string, labels: Record<string, string> = {}): GeneratedMetadata {
  const namespace = namespaceOf(served);
  const generatedLabels = { [MANAGED_BY_LABEL]: MANAGED_BY, ...mapValues(labels, labelValue) };
  return namespace === undefined ? { name, labels: generatedLabels } : { name, namespace, labels: generatedLabels };
}

/** Whether krmkit generated the object (its managed-by label says so). */
export function isGeneratedObject(object: Resource | KubeObject): boolean {
  const labels = labelsOf(object instanceof Resource ? object.object : object);
  return labels[MANAGED_BY_LABEL] === MANAGED_BY;
}

function namespaceOf(served: Resource | KubeObject): string | undefined {
  if (served instanceof Resource) return served.namespace;
  const metadata = isPlainMap(served.metadata) ? served.metadata : {};
  return typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
}

function labelsOf(object: KubeObject): Record<string, unknown> {
  const metadata = isPlainMap(object.metadata) ? object.metadata : {};
  return isPlainMap(metadata.labels) ? metadata.labels : {};
}

function mapValues(labels: Record<string, string>, map: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, map(value)]));
}

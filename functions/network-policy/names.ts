/**
 * Names and labels of generated policies. Kubernetes limits object names to DNS subdomains
 * (253 characters) and label values to 63; long names are cut and given a short hash of the
 * whole, so they stay unique and the same on every run.
 */

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'krmkit';
/** Which rule generated a policy: default-deny, allow-dns, ingress-…, egress-…, flow-<name>. */
export const RULE_LABEL = 'krmkit.dev/rule';

/** Lowercase letters, digits and '-', as object names and label values both accept. */
export function dnsLabel(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'all' : cleaned;
}

export function policyName(text: string): string {
  return limit(text, 253);
}

export function labelValue(text: string): string {
  return limit(text, 63);
}

function limit(text: string, max: number): string {
  if (text.length <= max) return text;
  const hash = fnv1a(text);
  return `${text.slice(0, max - hash.length - 1).replace(/[-.]+$/, '')}-${hash}`;
}

/** FNV-1a, 32 bits, as 8 hex digits: enough to tell truncated names apart. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

import { formatPath, type Path } from '../base/path.js';
import type { Resource, ResourceRef } from './resource.js';

export type Severity = 'error' | 'warning' | 'info';

/** A finding, shaped as the KRM Functions Specification's `results` entries. */
export interface Result {
  message: string;
  severity: Severity;
  resourceRef?: ResourceRef;
  field?: { path: string; currentValue?: unknown; proposedValue?: unknown };
  file?: { path: string; index?: number };
  tags?: Record<string, string>;
}

export interface Finding {
  severity: Severity;
  message: string;
  resource?: Resource;
  field?: Path;
  currentValue?: unknown;
  proposedValue?: unknown;
  /** Which function reported it; goes into `tags.function`. */
  functionName?: string;
}

const PATH_ANNOTATIONS = ['internal.config.kubernetes.io/path', 'config.kubernetes.io/path'];
const INDEX_ANNOTATIONS = ['internal.config.kubernetes.io/index', 'config.kubernetes.io/index'];

export function toResult(finding: Finding): Result {
  const result: Result = { message: finding.message, severity: finding.severity };
  const resource = finding.resource;
  if (resource) {
    result.resourceRef = resource.ref;
    const annotations = resource.annotations;
    const path = PATH_ANNOTATIONS.map((key) => annotations[key]).find(Boolean);
    if (path) {
      const index = INDEX_ANNOTATIONS.map((key) => annotations[key]).find(Boolean);
      result.file = index !== undefined && /^\d+$/.test(index) ? { path, index: Number(index) } : { path };
    }
  }
  if (finding.field) {
    result.field = { path: formatPath(finding.field) };
    if (finding.currentValue !== undefined) result.field.currentValue = finding.currentValue;
    if (finding.proposedValue !== undefined) result.field.proposedValue = finding.proposedValue;
  }
  if (finding.functionName) result.tags = { function: finding.functionName };
  return result;
}

/** `[warning] apps/v1/Deployment/shop/api spec.template…privileged: message` — one line per finding. */
export function formatResultLine(result: Result): string {
  const ref = result.resourceRef;
  const id = ref ? `${ref.apiVersion}/${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}` : '';
  const field = result.field ? `${id ? ' ' : ''}${result.field.path}` : '';
  const where = id || field ? `${id}${field}: ` : '';
  const values =
    result.field && (result.field.currentValue !== undefined || result.field.proposedValue !== undefined)
      ? ` (current: ${JSON.stringify(result.field.currentValue ?? null)}, proposed: ${JSON.stringify(result.field.proposedValue ?? null)})`
      : '';
  return `[${result.severity}] ${where}${result.message}${values}`;
}

export function hasError(results: readonly Result[]): boolean {
  return results.some((result) => result.severity === 'error');
}

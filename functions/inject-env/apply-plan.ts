import type { Path } from '../../krm/base/path.js';
import type { Resource } from '../../krm/model/resource.js';
import type { MergePlan } from './merge-plan.js';

/**
 * Applies a merge plan with the smallest edits — remove, replace in place, append — so the
 * entries the function does not change keep their comments and formatting.
 */
export function applyPlan(resource: Resource, listPath: Path, current: readonly Record<string, unknown>[] | undefined, plan: MergePlan<Record<string, unknown>>): void {
  // A copy: removing entries splices the list `current` points into.
  const before = [...(current ?? [])];
  const currentLength = before.length;
  if (currentLength === 0) {
    if (plan.appends.length > 0) resource.set(listPath, plan.appends);
    return;
  }
  // Highest index first, so the indices still to remove stay valid.
  for (const index of [...plan.removals].reverse()) resource.delete([...listPath, index]);
  for (const [index, entry] of plan.replacements) {
    const shift = plan.removals.filter((removed) => removed < index).length;
    replaceFields(resource, [...listPath, index - shift], before[index] ?? {}, entry);
  }
  const length = currentLength - plan.removals.length;
  plan.appends.forEach((entry, offset) => resource.set([...listPath, length + offset], entry));
}

/** Field by field, so a comment on the entry's `name` line survives an override of its value. */
function replaceFields(resource: Resource, path: Path, current: Record<string, unknown>, entry: Record<string, unknown>): void {
  for (const key of Object.keys(current)) if (!Object.prototype.hasOwnProperty.call(entry, key)) resource.delete([...path, key]);
  for (const [key, value] of Object.entries(entry)) resource.set([...path, key], value);
}

import type { FunctionContext } from '../../krm/function/function.js';
import type { Resource } from '../../krm/model/resource.js';
import { annotationsAt, annotationValue, mergeNameList, parseNameList, RELOADER_ANNOTATIONS } from './annotations.js';
import { watched, type ClassifiedReference } from './classify.js';
import type { ReloaderConfig } from './config.js';
import type { ReferencedKind } from './references.js';

const METADATA_PATH = ['metadata'];
const ANNOTATIONS_PATH = [...METADATA_PATH, 'annotations'];

/**
 * Auto mode: `reloader.stakater.com/auto: "true"` on a workload that uses at least one object
 * that should trigger a reload. Referenced objects that should not (matched by `ignore`, or
 * outside the stream with `onlyInStream`) are named in Reloader's exclude annotations; objects
 * that carry `reloader.stakater.com/ignore` are left to Reloader, which honours it itself.
 */
export function annotateAuto(context: FunctionContext<ReloaderConfig>, workload: Resource, references: readonly ClassifiedReference[]): void {
  const wanted = watched(references, context.config);
  if (wanted.length === 0) return;
  const existing = annotationsAt(workload, METADATA_PATH);
  const current = annotationValue(workload, METADATA_PATH, existing, RELOADER_ANNOTATIONS.auto);
  if (current !== undefined && current !== 'true') {
    // An explicit "false" is a decision to keep this workload out of Reloader: respect it.
    context.report({
      severity: 'info',
      message: `${RELOADER_ANNOTATIONS.auto} is ${JSON.stringify(current)}: left as is`,
      resource: workload,
      field: [...ANNOTATIONS_PATH, RELOADER_ANNOTATIONS.auto],
      currentValue: current,
    });
    return;
  }
  workload.set([...ANNOTATIONS_PATH, RELOADER_ANNOTATIONS.auto], 'true');
  const excluded = references.filter((reference) => !wanted.includes(reference) && reference.ignoredBy !== 'annotation');
  addNames(workload, existing, RELOADER_ANNOTATIONS.configMapExclude, namesOf(excluded, 'ConfigMap'));
  addNames(workload, existing, RELOADER_ANNOTATIONS.secretExclude, namesOf(excluded, 'Secret'));
}

/**
 * Explicit mode: the objects that should trigger a reload, by name, in
 * `configmap.reloader.stakater.com/reload` and `secret.reloader.stakater.com/reload`.
 * Names already there stay (a user may list objects krmkit cannot see).
 */
export function annotateExplicit(context: FunctionContext<ReloaderConfig>, workload: Resource, references: readonly ClassifiedReference[]): void {
  const wanted = watched(references, context.config);
  if (wanted.length === 0) return;
  const existing = annotationsAt(workload, METADATA_PATH);
  addNames(workload, existing, RELOADER_ANNOTATIONS.configMapReload, namesOf(wanted, 'ConfigMap'));
  addNames(workload, existing, RELOADER_ANNOTATIONS.secretReload, namesOf(wanted, 'Secret'));
}

function namesOf(references: readonly ClassifiedReference[], kind: ReferencedKind): string[] {
  return references.filter((reference) => reference.kind === kind).map((reference) => reference.name);
}

/**
 * Adds names to a comma-separated list annotation. Nothing is written when every name is
 * already there, so a list a user ordered by hand stays as written; otherwise the union is
 * written sorted. An empty list is never written.
 */
function addNames(workload: Resource, existing: Record<string, unknown>, annotation: string, names: readonly string[]): void {
  const current = annotationValue(workload, METADATA_PATH, existing, annotation);
  const present = new Set(parseNameList(current));
  if (names.every((name) => present.has(name))) return;
  workload.set([...ANNOTATIONS_PATH, annotation], mergeNameList(current, names));
}

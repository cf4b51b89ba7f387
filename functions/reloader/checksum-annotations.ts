import type { FunctionContext } from '../../krm/function/function.js';
import type { PodTemplate } from '../../krm/kube/pod-template.js';
import type { Resource } from '../../krm/model/resource.js';
import { annotationsAt } from './annotations.js';
import { checksumAnnotation, contentChecksum, isChecksumAnnotation } from './checksum.js';
import { watched, type ClassifiedReference } from './classify.js';
import type { ReloaderConfig } from './config.js';

/**
 * Checksum mode: one pod-template annotation per referenced object in the stream, holding
 * the sha256 of its content. The template changes exactly when the content does, so the
 * controller rolls the pods on `helm upgrade`/`kubectl apply` without any Reloader.
 * Checksums krmkit wrote earlier for objects no longer referenced are removed.
 */
export function annotateChecksums(context: FunctionContext<ReloaderConfig>, template: PodTemplate, references: readonly ClassifiedReference[]): void {
  const workload = template.resource;
  const annotationsPath = [...template.metadataPath, 'annotations'];
  const existing = annotationsAt(workload, template.metadataPath);

  // Sorted by key, so the annotations come out in the same order whatever order the
  // references appear in.
  const desired = new Map<string, string>(
    watched(references, context.config)
      .map((reference): [string, string] => [checksumAnnotation(reference.kind, reference.name), contentChecksum(reference.object as Resource)])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  let removed = false;
  for (const key of Object.keys(existing)) {
    if (isChecksumAnnotation(key) && !desired.has(key)) {
      workload.delete([...annotationsPath, key]);
      removed = true;
    }
  }
  if (removed && desired.size === 0 && Object.keys(annotationsAt(workload, template.metadataPath)).length === 0) {
    workload.delete(annotationsPath);
  }
  for (const [key, checksum] of desired) workload.set([...annotationsPath, key], checksum);

  if (context.config.onlyInStream) return;
  for (const reference of references) {
    if (reference.ignoredBy || reference.object) continue;
    context.report({
      severity: 'warning',
      message: `${reference.kind} ${reference.name} is not in the stream, so no checksum can follow its content and changes to it will not restart the pods (list it in ignore, or set onlyInStream, to accept that)`,
      resource: workload,
      field: reference.field,
      currentValue: reference.name,
    });
  }
}

/** A Job's template cannot change after creation: say why it got no checksums. */
export function reportImmutableTemplate(context: FunctionContext<ReloaderConfig>, workload: Resource, references: readonly ClassifiedReference[]): void {
  if (watched(references, context.config).length === 0) return;
  context.report({
    severity: 'info',
    message: 'a Job pod template is immutable, so checksums there would make the upgrade fail: not annotated',
    resource: workload,
  });
}

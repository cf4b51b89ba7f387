import type { Resource } from '../../krm/model/resource.js';
import type { ReloaderConfig } from './config.js';
import { isIgnored } from './ignore-patterns.js';
import type { Reference } from './references.js';
import { optsOutOfReload, type StreamObjects } from './stream-objects.js';

/** A reference, with what the stream and the config say about it. */
export interface ClassifiedReference extends Reference {
  /** The object in the stream, in the workload's namespace. */
  object?: Resource;
  /** Why it must not trigger a reload: an `ignore` pattern, or the object's own opt-out annotation. */
  ignoredBy?: 'pattern' | 'annotation';
}

export function classify(references: readonly Reference[], namespace: string | undefined, objects: StreamObjects, config: ReloaderConfig): ClassifiedReference[] {
  return references.map((reference) => {
    const classified: ClassifiedReference = { ...reference };
    const object = objects.find(reference.kind, namespace, reference.name);
    if (object) classified.object = object;
    if (isIgnored(config.ignore, reference.kind, reference.name)) classified.ignoredBy = 'pattern';
    else if (object && optsOutOfReload(object)) classified.ignoredBy = 'annotation';
    return classified;
  });
}

/** The references that should restart the pods when they change. */
export function watched(references: readonly ClassifiedReference[], config: ReloaderConfig): ClassifiedReference[] {
  const inStreamOnly = config.onlyInStream || config.mode === 'checksum';
  return references.filter((reference) => !reference.ignoredBy && (reference.object !== undefined || !inStreamOnly));
}

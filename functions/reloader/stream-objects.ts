import type { ResourceLookup } from '../../krm/model/resource-index.js';
import type { Resource } from '../../krm/model/resource.js';
import type { ReferencedKind } from './references.js';

/** Stakater Reloader's own opt-out, set on a ConfigMap or Secret. */
export const RELOADER_IGNORE_ANNOTATION = 'reloader.stakater.com/ignore';

/**
 * The ConfigMaps and Secrets in the stream, found by kind, namespace and name. Objects without
 * a namespace all belong to the one namespace the stream is installed into (Helm's release
 * namespace, `kubectl apply -n`), so they match each other and never an explicit namespace.
 */
export class StreamObjects {
  constructor(private readonly lookup: ResourceLookup) {}

  find(kind: ReferencedKind, namespace: string | undefined, name: string): Resource | undefined {
    const candidates = this.lookup.named('', kind, name);
    // A later duplicate wins, as it would when the stream is applied.
    for (let index = candidates.length - 1; index >= 0; index--) {
      const candidate = candidates[index] as Resource;
      if (candidate.apiVersion === 'v1' && candidate.namespace === namespace) return candidate;
    }
    return undefined;
  }
}

/** Whether the object opts out with `reloader.stakater.com/ignore: "true"` (exactly, as Reloader reads it). */
export function optsOutOfReload(resource: Resource): boolean {
  return resource.annotations[RELOADER_IGNORE_ANNOTATION] === 'true';
}

import type { Resource } from '../../krm/resource.js';
import type { ReferencedKind } from './references.js';

/** Stakater Reloader's own opt-out, set on a ConfigMap or Secret. */
export const RELOADER_IGNORE_ANNOTATION = 'reloader.stakater.com/ignore';

/**
 * The ConfigMaps and Secrets in the stream, found by kind, namespace and name. Objects without
 * a namespace all belong to the one namespace the stream is installed into (Helm's release
 * namespace, `kubectl apply -n`), so they match each other and never an explicit namespace.
 */
export class StreamObjects {
  private readonly byKey = new Map<string, Resource>();

  constructor(resources: readonly Resource[]) {
    for (const resource of resources) {
      if (resource.apiVersion !== 'v1') continue;
      if (resource.kind !== 'ConfigMap' && resource.kind !== 'Secret') continue;
      // A later duplicate wins, as it would when the stream is applied.
      this.byKey.set(key(resource.kind, resource.namespace, resource.name), resource);
    }
  }

  find(kind: ReferencedKind, namespace: string | undefined, name: string): Resource | undefined {
    return this.byKey.get(key(kind, namespace, name));
  }
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** Whether the object opts out with `reloader.stakater.com/ignore: "true"` (exactly, as Reloader reads it). */
export function optsOutOfReload(resource: Resource): boolean {
  return resource.annotations[RELOADER_IGNORE_ANNOTATION] === 'true';
}

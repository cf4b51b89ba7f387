import { Resource } from './resource.js';

/**
 * The stream's resources found by kind and name: what a function asks when it follows a
 * reference (the ConfigMap an envFrom names, the HPA that targets a workload, the Secret a
 * volume mounts). One lookup serves every step of a run, so no function scans the whole
 * stream once per workload — which made runs quadratic in the number of objects.
 */
export interface ResourceLookup {
  /** Every resource of a kind (`group` '' is the core group), in stream order, generated ones last. */
  ofKind(group: string, kind: string): readonly Resource[];
  /**
   * The resources of a kind with this name, in every namespace, in stream order: a name is
   * shared by few objects, and each caller decides how namespaces match (a namespace left
   * out, Helm style, means the release's own).
   */
  named(group: string, kind: string, name: string): readonly Resource[];
}

const NONE: readonly Resource[] = Object.freeze([]);

/**
 * A `ResourceLookup` over a pipeline's live list of resources. It is built on first use and
 * kept current: resources appended since (generated ones) are filed on the next question,
 * and an edit to any resource's apiVersion, kind, name or namespace makes it file everything
 * again — so an answer is always what a scan of the list would give.
 */
export class ResourceIndex implements ResourceLookup {
  private byKind = new Map<string, Resource[]>();
  /**
   * Names by kind, each a resource or, when several share a name, a list: one map entry per
   * resource and no key string or one-item list of its own (at 100k objects a key string
   * and a list each were ~25 MB kept for the whole run).
   */
  private byName = new Map<string, Map<string, Resource | Resource[]>>();
  private filed = 0;
  private identityRevision = -1;

  constructor(private readonly resources: readonly Resource[]) {}

  ofKind(group: string, kind: string): readonly Resource[] {
    this.refresh();
    return this.byKind.get(kindKey(group, kind)) ?? NONE;
  }

  named(group: string, kind: string, name: string): readonly Resource[] {
    this.refresh();
    const found = this.byName.get(kindKey(group, kind))?.get(name);
    if (found === undefined) return NONE;
    return Array.isArray(found) ? found : [found];
  }

  private refresh(): void {
    if (this.identityRevision !== Resource.identityRevision) {
      this.byKind = new Map();
      this.byName = new Map();
      this.filed = 0;
      this.identityRevision = Resource.identityRevision;
    }
    for (; this.filed < this.resources.length; this.filed++) {
      const resource = this.resources[this.filed] as Resource;
      const kind = kindKey(resource.group, resource.kind);
      append(this.byKind, kind, resource);
      let names = this.byName.get(kind);
      if (!names) this.byName.set(kind, (names = new Map()));
      const name = resource.name;
      const named = names.get(name);
      if (named === undefined) names.set(name, resource);
      else if (Array.isArray(named)) named.push(resource);
      else names.set(name, [named, resource]);
    }
  }
}

function append(map: Map<string, Resource[]>, key: string, resource: Resource): void {
  const list = map.get(key);
  if (list) list.push(resource);
  else map.set(key, [resource]);
}

function kindKey(group: string, kind: string): string {
  return `${group}\u0000${kind}`;
}

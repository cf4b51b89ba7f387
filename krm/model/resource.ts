import { cloneData } from '../base/clone-data.js';
import { deepEqual } from '../base/deep-equal.js';
import { KrmInputError, type InputLocation } from '../base/errors.js';
import { deleteAt, firstCreatedIndex, getAt, isPlainMap, nestedValue, setAt, type Path } from '../base/path.js';
import type { YamlHost } from '../yaml/yaml-host.js';

/** A Kubernetes object as read: plain data, to be changed only through `Resource.set`. */
export type KubeObject = Record<string, unknown>;

/** Where a resource came from, for messages and results. */
export interface ResourceOrigin {
  /** Index of the stream document (or ResourceList item) it was read from. */
  documentIndex: number;
  /** Index inside a `*List` document's `items`, when it came from one. */
  listItemIndex?: number;
  /** 1-based line where its document starts. */
  line?: number;
}

// Shared defaults: a fresh `[]` and closure per resource cost ~100 bytes each on every object.
const ROOT_PATH: Path = Object.freeze([]);
const nothingToMark = (): void => undefined;

/** The identity the KRM spec uses in `resourceRef`. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * One Kubernetes object in the stream. Functions read `object` and change it with `set` and
 * `delete`, which also edit the YAML behind it (keeping its comments and key order) and
 * record that the document changed. Setting a value equal to the current one is a no-op, so
 * functions that only fill in what is missing leave documents byte-for-byte untouched.
 */
export class Resource {
  constructor(
    readonly object: KubeObject,
    readonly origin: ResourceOrigin,
    /** The YAML this resource lives in and its path there; none for JSON input. */
    private readonly host: YamlHost | undefined,
    private readonly hostPath: Path = ROOT_PATH,
    /** Marks the owner of a JSON document (or a generated resource) as changed. */
    private readonly onChange: () => void = nothingToMark,
  ) {}

  get apiVersion(): string {
    return typeof this.object.apiVersion === 'string' ? this.object.apiVersion : '';
  }

  get kind(): string {
    return typeof this.object.kind === 'string' ? this.object.kind : '';
  }

  /** API group: '' for the core group, `apps` for `apps/v1`. */
  get group(): string {
    const slash = this.apiVersion.indexOf('/');
    return slash === -1 ? '' : this.apiVersion.slice(0, slash);
  }

  get version(): string {
    const slash = this.apiVersion.indexOf('/');
    return slash === -1 ? this.apiVersion : this.apiVersion.slice(slash + 1);
  }

  get metadata(): Record<string, unknown> {
    const metadata = this.object.metadata;
    return isPlainMap(metadata) ? metadata : {};
  }

  get name(): string {
    const name = this.metadata.name;
    return typeof name === 'string' ? name : '';
  }

  /** `metadata.namespace`, or undefined when the object does not say (Helm and `kubectl -n` style). */
  get namespace(): string | undefined {
    const namespace = this.metadata.namespace;
    return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
  }

  get annotations(): Record<string, string> {
    return stringMap(this.metadata.annotations);
  }

  get ref(): ResourceRef {
    const ref: ResourceRef = { apiVersion: this.apiVersion, kind: this.kind, name: this.name };
    if (this.namespace) ref.namespace = this.namespace;
    return ref;
  }

  /** `apps/v1/Deployment/shop/api` — how findings on stderr name a resource. */
  get id(): string {
    const namespaced = this.namespace ? `${this.namespace}/${this.name}` : this.name;
    return `${this.apiVersion}/${this.kind}/${namespaced}`;
  }

  /** `apps/v1 Deployment shop/api`, for error messages. */
  get description(): string {
    const namespaced = this.namespace ? `${this.namespace}/${this.name}` : this.name;
    return `${this.apiVersion} ${this.kind} ${namespaced}`.trim();
  }

  /** Whether any function changed this resource. */
  get changed(): boolean {
    return this.revisionCount > 0;
  }

  /** Counts edits, so a pipeline can tell which step changed what. */
  get revision(): number {
    return this.revisionCount;
  }

  private revisionCount = 0;

  /**
   * Counts edits, across every resource, that may change what identifies one (apiVersion,
   * kind, metadata.name, metadata.namespace): lookups by identity (`resource-index.ts`)
   * compare it to know their filing is still right. Only ever grows.
   */
  static get identityRevision(): number {
    return identityEdits;
  }

  get(path: Path): unknown {
    return getAt(this.object, path);
  }

  set(path: Path, value: unknown): void {
    if (deepEqual(getAt(this.object, path), value)) return;
    const copy = cloneData(value);
    // A set that creates maps on its way is recorded as the set of the first one it creates:
    // the function's next sets inside it (the rest of a securityContext) need no record then.
    const created = firstCreatedIndex(this.object, path);
    const createsMaps = created < path.length - 1;
    const setPath = createsMaps ? path.slice(0, created + 1) : path;
    const setValue = createsMaps ? nestedValue(path.slice(created + 1), copy) : copy;
    // Before the data changes: the host keeps what earlier edits wrote as it was (yaml-host.ts).
    this.host?.set(this.pathInHost(setPath), setValue);
    setAt(this.object, setPath, setValue);
    if (touchesIdentity(path)) identityEdits++;
    this.revisionCount++;
    this.onChange();
  }

  delete(path: Path): void {
    if (getAt(this.object, path) === undefined) return;
    this.host?.delete(this.pathInHost(path));
    deleteAt(this.object, path);
    if (touchesIdentity(path)) identityEdits++;
    this.revisionCount++;
    this.onChange();
  }

  /**
   * The host keeps this path with the edit until the document is written. `concat` makes an
   * array of exactly its length; a spread grows one as it goes and keeps the spare room
   * (about 17 slots): on 100k objects, tens of MB of edit paths.
   */
  private pathInHost(path: Path): Path {
    return this.hostPath.concat(path);
  }

  /** An input error located at this resource and one of its fields. */
  errorAt(field: Path, problem: string): KrmInputError {
    const location: InputLocation = { documentIndex: this.origin.documentIndex, resource: this.description, field };
    if (this.origin.line !== undefined) location.line = this.origin.line;
    return new KrmInputError(problem, location);
  }
}

let identityEdits = 0;

function touchesIdentity(path: Path): boolean {
  const [first, second] = path;
  if (first === undefined || first === 'apiVersion' || first === 'kind') return true;
  return first === 'metadata' && (second === undefined || second === 'name' || second === 'namespace');
}

function stringMap(value: unknown): Record<string, string> {
  if (!isPlainMap(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') out[key] = entry;
    else if (typeof entry === 'number' || typeof entry === 'boolean') out[key] = String(entry);
  }
  return out;
}

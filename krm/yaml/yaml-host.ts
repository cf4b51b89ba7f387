import type { Document, Node } from 'yaml';
import { deleteAt, getAt, nestedValue, setAt, type Path } from '../base/path.js';
import { spliceEdits, type Edit } from './splice-edits.js';
import { blockStyleOf, parseEditableDocument, styleOf } from './yaml-style.js';
import { yamlLibrary } from './yaml-library.js';

interface RecordedEdit extends Edit {
  /**
   * What a set wrote: the very object the resource holds at `path`, not a copy of it (on
   * 100k objects, copies of every value written were ~60 MB). Edits inside it later change
   * that object, so they need no record of their own (`insideLiveSet`); it is copied, as it
   * is, only when a list delete is about to move it to another index (`detachRecordsAt`).
   */
  value?: unknown;
  /**
   * Whether `value` is the data's own object at exactly `path` still: an edit below it then
   * changes that object, which this record holds already (a replay sets it as it ends up;
   * the splice writer prints the data anyway). Most edits of a function land inside a map
   * or list it set a moment before: on 100k objects, their records were ~90 MB.
   */
  live: boolean;
}

/**
 * The editable YAML behind one or more resources: a stream document, or the ResourceList
 * that carries items. Functions' edits are recorded here; the document is written back by
 * splicing only the changed lines into the original text (`splice-edits.ts`) or, when that
 * cannot be done with certainty, by re-printing it with `yaml` (comments and key order kept).
 * Documents nobody edits are never parsed a second time and come out as their original bytes.
 */
export class YamlHost {
  changed = false;
  private parsed: Document.Parsed | undefined;
  /** Made on the first edit: most documents have none, and an empty array each adds up. */
  private edits: RecordedEdit[] | undefined;

  constructor(
    /** The document's original text. */
    readonly source: string,
    readonly documentIndex: number,
    readonly firstLine: number,
    /** The document's whole object as read (edited in place by resources), when known. */
    private readonly root?: unknown,
    parsed?: Document.Parsed,
  ) {
    this.parsed = parsed;
    if (parsed) expandAliases(parsed);
  }

  /** The edited document as a `yaml` Document (parsed on first use, edits applied). */
  get document(): Document.Parsed {
    if (!this.parsed) {
      const document = parseEditableDocument(this.source, this.documentIndex, this.firstLine);
      expandAliases(document);
      for (const edit of this.edits ?? []) {
        if (edit.op === 'set') setNode(document, edit.path, edit.value);
        else deleteNode(document, edit.path);
      }
      this.parsed = document;
    }
    return this.parsed;
  }

  /**
   * Records a set. Call it before the value is placed in the data, and set or delete
   * anything inside a value given here only through this host (as `Resource` does): the
   * host keeps `value` itself, so an edit inside it later is already in it.
   */
  set(path: Path, value: unknown): void {
    this.setAs(path, value, true);
  }

  /** `shared`: the value is the data's own object at `path` (see `RecordedEdit.live`). */
  private setAs(path: Path, value: unknown, shared: boolean): void {
    if (this.parsed) setNode(this.parsed, path, value);
    else if (!this.insideLiveSet(path)) {
      this.detachRecordsAt(path, false);
      this.record({ op: 'set', path, value, live: shared && value !== null && typeof value === 'object' });
    }
    this.changed = true;
  }

  /** Records a delete; call it before the data changes, like `set`. */
  delete(path: Path): void {
    if (this.parsed) deleteNode(this.parsed, path);
    else if (!this.insideLiveSet(path)) {
      this.detachRecordsAt(path, true);
      this.record({ op: 'delete', path, live: false });
    }
    this.changed = true;
  }

  /**
   * Live sets filed by `groupOf` their path, once a host has `GROUPED_FROM` edits (a
   * ResourceList is one host for all its items): looking through all of them at each edit
   * would be quadratic. A document's few edits are looked through as they are.
   */
  private liveByGroup: Map<string, RecordedEdit[]> | undefined;

  private insideLiveSet(path: Path): boolean {
    const above = (edit: RecordedEdit): boolean => edit.live && edit.path.length < path.length && startsWith(path, edit.path);
    const groups = this.liveByGroup;
    if (!groups) return this.edits?.some(above) ?? false;
    // A set above `path` is filed under its first two segments, or as a short path.
    return groups.get(groupOf(path))?.some(above) === true || groups.get('')?.some(above) === true;
  }

  /**
   * An edit at `path`, with no live set above it, is about to change the data. Sets at or
   * below `path` stop being live: their value leaves the data. Deleting a list item also
   * moves the items after it, and with them values set at their old indexes: every value
   * under that list is copied now, as it still is, for a replay in order (deletes of list
   * items are rare; map keys do not move).
   */
  private detachRecordsAt(path: Path, deleting: boolean): void {
    const shifting = deleting && typeof path[path.length - 1] === 'number';
    const list = shifting ? path.slice(0, -1) : path;
    const detach = (edit: RecordedEdit): void => {
      if (!edit.live) return;
      if (startsWith(edit.path, path)) edit.live = false;
      else if (shifting && startsWith(edit.path, list)) {
        edit.value = structuredClone(edit.value);
        edit.live = false;
      }
    };
    const groups = this.liveByGroup;
    if (!groups) {
      this.edits?.forEach(detach);
      return;
    }
    // Sets below a path shorter than two segments may be filed under any group.
    for (const group of list.length < 2 ? [...groups.keys()] : [groupOf(list)]) {
      const edits = groups.get(group) ?? [];
      edits.forEach(detach);
      const live = edits.filter((edit) => edit.live);
      if (live.length > 0) groups.set(group, live);
      else groups.delete(group);
    }
  }

  private record(edit: RecordedEdit): void {
    const edits = (this.edits ??= []);
    edits.push(edit);
    if (this.liveByGroup) {
      if (edit.live) fileUnder(this.liveByGroup, edit);
    } else if (edits.length >= GROUPED_FROM) {
      const groups = new Map<string, RecordedEdit[]>();
      for (const each of edits) if (each.live) fileUnder(groups, each);
      this.liveByGroup = groups;
    }
  }

  /**
   * Sets a value in the document's own data as well as its text: for what the engine itself
   * writes (a ResourceList's `results` and generated items), which no Resource owns.
   */
  setOwn(path: Path, value: unknown): void {
    // Recorded first: the data is about to change (see `set`). The host's copy is its own,
    // not the data's object: edits inside it later need records of their own.
    this.setAs(path, structuredClone(value), false);
    if (this.root !== null && typeof this.root === 'object') setAt(this.root as Record<string, unknown>, path, value);
  }

  deleteOwn(path: Path): void {
    if (getAt(this.root, path) === undefined) return;
    this.delete(path);
    deleteAt(this.root, path);
  }

  /** A value of the document's own data, as edited. */
  own(path: Path): unknown {
    return getAt(this.root, path);
  }

  /** The document's text with its edits. */
  render(): string {
    if (!this.parsed && this.root !== undefined) {
      const spliced = spliceEdits(this.source, this.edits ?? [], this.root, blockStyleOf(this.source));
      if (spliced !== undefined) return spliced;
    }
    return this.document.toString(styleOf(this.source));
  }
}

const GROUPED_FROM = 32;

function fileUnder(groups: Map<string, RecordedEdit[]>, edit: RecordedEdit): void {
  const group = groupOf(edit.path);
  const edits = groups.get(group);
  if (edits) edits.push(edit);
  else groups.set(group, [edit]);
}

/** A path's first two segments (`items` and an index, in a ResourceList), or '' when shorter. */
function groupOf(path: Path): string {
  return path.length < 2 ? '' : `${String(path[0])}\u0000${String(path[1])}`;
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => segment === path[index]);
}

/**
 * Replaces every alias with a copy of the node it names and drops the anchors. An edit may
 * replace or delete an anchored node; an alias left pointing at it could not be printed.
 * The data is the same; only the sharing (which Kubernetes never sees) is gone. Alias
 * expansion was already bounded when the document was read (`maxAliasCount`).
 */
function expandAliases(document: Document): void {
  const { isAlias, visit } = yamlLibrary();
  let hasAlias = false;
  visit(document, {
    Alias() {
      hasAlias = true;
      return visit.BREAK;
    },
  });
  if (!hasAlias) return;
  visit(document, {
    Alias(_key, alias) {
      const target = alias.resolve(document);
      if (!target) return undefined;
      const copy = target.clone() as Node;
      if ('anchor' in copy) (copy as { anchor?: string }).anchor = undefined;
      return copy;
    },
  });
  visit(document, {
    Node(_key, node) {
      if ('anchor' in node && !isAlias(node)) (node as { anchor?: string }).anchor = undefined;
    },
  });
}

/**
 * Like `Document.setIn`, but keeps what a person wrote around the value: a scalar that is
 * replaced keeps its trailing comment (`replicas: 3 # scaled by HPA`), an empty flow
 * collection that receives entries becomes a block one (`annotations: {}`), a flow list stays
 * a flow list, and a null (`securityContext:`) on the way is replaced by a map.
 */
function setNode(document: Document, path: Path, value: unknown): void {
  const { isCollection, isMap, isScalar, isSeq } = yamlLibrary();
  if (path.length === 0) {
    document.contents = document.createNode(value) as Node;
    return;
  }
  let parent: unknown = document.contents;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as string | number;
    if (!isCollection(parent)) throw new Error(`internal: no collection at ${path.slice(0, i).join('.')}`);
    if ((isMap(parent) || isSeq(parent)) && parent.flow && parent.items.length === 0) parent.flow = false;
    const child = parent.get(key, true);
    if (i === path.length - 1) {
      if (isScalar(child) && (value === null || typeof value !== 'object')) {
        child.value = value;
        return;
      }
      const node = document.createNode(value) as Node;
      if (child && (isScalar(child) || isCollection(child))) {
        node.comment = child.comment;
        node.commentBefore = child.commentBefore;
        if (isCollection(child) && isCollection(node) && child.flow && node.items.length > 0) node.flow = true;
      }
      parent.set(key, node);
      return;
    }
    if (!isCollection(child)) {
      parent.set(key, document.createNode(nestedValue(path.slice(i + 1), value)));
      return;
    }
    parent = child;
  }
}

/**
 * Like `Document.deleteIn`, but a collection the delete empties goes back to flow style:
 * `yaml` prints an empty block collection as `[]` on a line of its own under its key,
 * which is not valid YAML.
 */
function deleteNode(document: Document, path: Path): void {
  const { isMap, isSeq } = yamlLibrary();
  document.deleteIn(path);
  const parent = path.length > 1 ? document.getIn(path.slice(0, -1), true) : document.contents;
  if ((isMap(parent) || isSeq(parent)) && parent.items.length === 0) parent.flow = true;
}

import { isCollection, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { KrmInputError } from './errors.js';
import type { Path } from './path.js';
import { parseEditableDocument } from './yaml-style.js';

/**
 * The editable YAML behind one or more resources: a stream document, or the ResourceList
 * that carries items. It is parsed only when a function first edits something in it, so
 * documents nobody touches cost one fast read and come out as their original bytes.
 */
export class YamlHost {
  changed = false;
  private parsed: Document.Parsed | undefined;

  constructor(
    /** The document's original text. */
    readonly source: string,
    readonly documentIndex: number,
    readonly firstLine: number,
    parsed?: Document.Parsed,
  ) {
    this.parsed = parsed;
  }

  get isParsed(): boolean {
    return this.parsed !== undefined;
  }

  get document(): Document.Parsed {
    if (!this.parsed) {
      const document = parseEditableDocument(this.source);
      const problem = document.errors[0];
      if (problem) {
        throw new KrmInputError(problem.message.split('\n')[0] ?? problem.message, {
          documentIndex: this.documentIndex,
          line: this.firstLine + (problem.linePos?.[0].line ?? 1) - 1,
        });
      }
      this.parsed = document;
    }
    return this.parsed;
  }

  set(path: Path, value: unknown): void {
    setNode(this.document, path, value);
    this.changed = true;
  }

  delete(path: Path): void {
    this.document.deleteIn(path);
    this.changed = true;
  }
}

/**
 * Like `Document.setIn`, but keeps what a person wrote around the value: a scalar that is
 * replaced keeps its trailing comment (`replicas: 3 # scaled by HPA`), an empty flow
 * collection that receives entries becomes a block one (`annotations: {}`), and a null
 * (`securityContext:`) on the way is replaced by a map.
 */
function setNode(document: Document, path: Path, value: unknown): void {
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
        // `add: [A, B]` stays a flow list when its items change.
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

function nestedValue(path: Path, value: unknown): unknown {
  let nested = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i] as string | number;
    if (typeof key === 'number') {
      const list: unknown[] = [];
      list[key] = nested;
      nested = list;
    } else {
      nested = { [key]: nested };
    }
  }
  return nested;
}

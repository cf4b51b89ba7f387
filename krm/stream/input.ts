import { CORE_SCHEMA, load } from 'js-yaml';
import type { Document } from 'yaml';
import { KrmInputError } from '../base/errors.js';
import { describeValue } from '../base/messages.js';
import { isPlainMap, type Path } from '../base/path.js';
import { Resource, type KubeObject } from '../model/resource.js';
import { detachStrings } from '../yaml/detached-strings.js';
import { splitDocuments } from '../yaml/split-documents.js';
import { YamlHost } from '../yaml/yaml-host.js';
import { parseEditableDocument } from '../yaml/yaml-style.js';

export type Envelope = 'stream' | 'resourceList';

/** One document of a stream: its bytes, and the editable YAML behind it when it holds an object. */
export interface StreamDocument {
  index: number;
  text: string;
  host?: YamlHost;
  /** The document's object, for JSON input (edited in place, printed as a whole). */
  json?: KubeObject;
  /** Set when a JSON document's object changed. */
  jsonChanged?: boolean;
}

/** Everything read from stdin, ready for functions and for writing back in the same envelope. */
export interface Input {
  envelope: Envelope;
  format: 'yaml' | 'json';
  /** A UTF-8 byte-order mark preceded the input and is written back. */
  byteOrderMark: boolean;
  /** The line ending of the input, used for re-serialised documents. */
  newline: '\n' | '\r\n';
  /** Stream documents in order (for a ResourceList, the one document that is the list). */
  documents: StreamDocument[];
  resources: Resource[];
  /** ResourceList `functionConfig`, when given. */
  functionConfig?: unknown;
}

const RESOURCE_LIST_VERSIONS = new Set(['config.kubernetes.io/v1', 'config.kubernetes.io/v1beta1']);

export interface ReadOptions {
  /** Inputs larger than this are refused with a clear message (default 256 MiB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** Reads a YAML stream, a ResourceList, or JSON of either. Fails closed with a located message. */
export function readInput(raw: string, options: ReadOptions = {}): Input {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (raw.length > maxBytes) {
    throw new KrmInputError(`input is ${mebibytes(raw.length)}, more than the limit of ${mebibytes(maxBytes)} (--max-input-bytes)`);
  }
  const byteOrderMark = raw.charCodeAt(0) === 0xfeff;
  const text = byteOrderMark ? raw.slice(1) : raw;
  if (text.includes('\u0000')) {
    const line = text.slice(0, text.indexOf('\u0000')).split('\n').length;
    throw new KrmInputError('input contains a NUL byte: binary data is not YAML', { line });
  }
  const newline = /\r\n/.test(text.slice(0, 4096)) ? '\r\n' : '\n';
  const firstCharacter = /\S/.exec(text)?.[0];
  const input =
    firstCharacter === '{' || firstCharacter === '[' ? readJson(text) : readYaml(text);
  return { ...input, byteOrderMark, newline };
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

type InputBody = Omit<Input, 'byteOrderMark' | 'newline'>;

function readYaml(text: string): InputBody {
  const raws = splitDocuments(text);
  const documents: StreamDocument[] = [];
  const resources: Resource[] = [];
  const objects: { document: StreamDocument; object: KubeObject; host: YamlHost }[] = [];
  // One copy of each value repeated across documents (detached-strings.ts).
  const sharedStrings = new Map<string, string>();
  raws.forEach((raw, index) => {
    const document: StreamDocument = { index, text: raw.text };
    documents.push(document);
    const { value, parsed } = loadDocument(raw.text, index, raw.firstLine, sharedStrings);
    if (value === undefined || value === null) return;
    if (!isPlainMap(value)) {
      throw new KrmInputError(`expected a Kubernetes object (a mapping), got ${describeValue(value)}`, {
        documentIndex: index,
        line: raw.firstLine,
      });
    }
    const host = new YamlHost(raw.text, index, raw.firstLine, value, parsed);
    document.host = host;
    objects.push({ document, object: value, host });
  });

  const first = objects[0];
  if (first && objects.length === 1 && isResourceList(first.object)) {
    return readResourceList(first.object, 'yaml', documents, first.host);
  }
  for (const { document, object, host } of objects) {
    collectResources(object, document.index, host.firstLine, host, resources);
  }
  return { envelope: 'stream', format: 'yaml', documents, resources };
}

function readResourceList(list: KubeObject, format: Input['format'], documents: StreamDocument[], host?: YamlHost, onChange?: () => void): InputBody {
  const items = list.items ?? [];
  if (!Array.isArray(items)) {
    throw new KrmInputError(`expected a list, got ${describeValue(items)}`, { documentIndex: 0, resource: 'ResourceList', field: ['items'] });
  }
  const resources: Resource[] = [];
  items.forEach((item, index) => {
    if (!isPlainMap(item)) {
      throw new KrmInputError(`expected a Kubernetes object (a mapping), got ${describeValue(item)}`, {
        documentIndex: index,
        resource: 'ResourceList',
        field: ['items', index],
      });
    }
    collectResources(item, index, undefined, host, resources, ['items', index], onChange);
  });
  const input: InputBody = { envelope: 'resourceList', format, documents, resources };
  if (list.functionConfig !== undefined && list.functionConfig !== null) input.functionConfig = list.functionConfig;
  return input;
}

function readJson(text: string): InputBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new KrmInputError(`malformed JSON: ${(error as Error).message}`, { documentIndex: 0 });
  }
  if (!isPlainMap(value)) {
    throw new KrmInputError(`expected a Kubernetes object, List or ResourceList, got ${describeValue(value)}`, { documentIndex: 0, line: 1 });
  }
  const document: StreamDocument = { index: 0, text, json: value };
  const markChanged = (): void => {
    document.jsonChanged = true;
  };
  if (isResourceList(value)) return readResourceList(value, 'json', [document], undefined, markChanged);
  const resources: Resource[] = [];
  collectResources(value, 0, 1, undefined, resources, [], markChanged);
  return { envelope: 'stream', format: 'json', documents: [document], resources };
}

/**
 * Turns one object into resources: itself, or, for a `*List` document, each of its items
 * (which stay inside the List when written back).
 */
function collectResources(
  object: KubeObject,
  documentIndex: number,
  line: number | undefined,
  host: YamlHost | undefined,
  into: Resource[],
  hostPath: Path = [],
  onChange?: () => void,
): void {
  const where = { documentIndex, ...(line !== undefined ? { line } : {}) };
  requireIdentity(object, where, hostPath);
  if (isListKind(object)) {
    const items = object.items;
    if (!Array.isArray(items)) return;
    items.forEach((item, listItemIndex) => {
      const itemPath = [...hostPath, 'items', listItemIndex];
      if (!isPlainMap(item)) {
        throw new KrmInputError(`expected a Kubernetes object (a mapping), got ${describeValue(item)}`, { ...where, field: itemPath });
      }
      requireIdentity(item, where, itemPath);
      into.push(new Resource(item, { ...where, listItemIndex }, host, itemPath, onChange));
    });
    return;
  }
  into.push(new Resource(object, where, host, hostPath, onChange));
}

function requireIdentity(object: KubeObject, where: { documentIndex: number; line?: number }, path: Path): void {
  for (const field of ['apiVersion', 'kind'] as const) {
    const value = object[field];
    if (typeof value !== 'string' || value === '') {
      const name = isPlainMap(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : undefined;
      const kind = typeof object.kind === 'string' ? object.kind : undefined;
      const resource = [kind, name].filter(Boolean).join(' ') || undefined;
      const problem = value === undefined ? `missing ${field}` : `${field} must be a non-empty string, got ${describeValue(value)}`;
      throw new KrmInputError(problem, { ...where, ...(resource ? { resource } : {}), field: [...path, field] });
    }
  }
  const metadata = object.metadata;
  if (metadata !== undefined && metadata !== null && !isPlainMap(metadata)) {
    throw new KrmInputError(`expected a mapping, got ${describeValue(metadata)}`, { ...where, resource: String(object.kind), field: [...path, 'metadata'] });
  }
  // Selection and the opt-out annotation read these: a malformed one must not read as empty.
  for (const field of ['labels', 'annotations'] as const) {
    const value = isPlainMap(metadata) ? metadata[field] : undefined;
    if (value !== undefined && value !== null && !isPlainMap(value)) {
      throw new KrmInputError(`expected a mapping, got ${describeValue(value)}`, { ...where, resource: describeObject(object), field: [...path, 'metadata', field] });
    }
  }
}

/** `apps/v1 Deployment shop/web`, as Resource.description names it. */
function describeObject(object: KubeObject): string {
  const metadata = isPlainMap(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const namespaced = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? `${metadata.namespace}/${name}` : name;
  return `${String(object.apiVersion)} ${String(object.kind)} ${namespaced}`.trim();
}

export function isResourceList(object: KubeObject): boolean {
  return object.kind === 'ResourceList' && RESOURCE_LIST_VERSIONS.has(String(object.apiVersion));
}

/** `v1 List`, `ConfigMapList`, …: a kind ending in List that carries `items`. */
export function isListKind(object: KubeObject): boolean {
  return typeof object.kind === 'string' && object.kind.endsWith('List') && 'items' in object;
}

/**
 * Reads one document's data. js-yaml is several times faster than building an editable
 * document, and most documents are never edited; a document with anchors goes through the
 * `yaml` parser instead, which limits alias expansion (a "billion laughs" input fails
 * instead of exhausting memory).
 */
function loadDocument(text: string, documentIndex: number, firstLine: number, sharedStrings: Map<string, string>): { value: unknown; parsed?: Document.Parsed } {
  if (!hasContent(text)) return { value: undefined };
  if (text.includes('&') && text.includes('*')) {
    const parsed = parseEditableDocument(text, documentIndex, firstLine);
    try {
      return { value: parsed.toJS({ maxAliasCount: 100 }), parsed };
    } catch (error) {
      throw new KrmInputError(firstLineOf((error as Error).message), { documentIndex, line: firstLine });
    }
  }
  try {
    // Detached, the values no longer keep js-yaml's copy of the document's text alive.
    return { value: detachStrings(load(text, { schema: CORE_SCHEMA }), sharedStrings) };
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? firstLineOf((error as Error).message);
    throw new KrmInputError(`malformed YAML: ${reason}`, {
      documentIndex,
      line: firstLine + (mark?.line ?? 0),
    });
  }
}

/** False for documents made only of markers, comments and blank lines (no object in them). */
function hasContent(text: string): boolean {
  return /^(?![ \t]*(?:#.*)?\r?$)(?!(?:---|\.\.\.)[ \t]*(?:#.*)?\r?$)/m.test(text);
}

function firstLineOf(message: string): string {
  return message.split('\n')[0] ?? message;
}

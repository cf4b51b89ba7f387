import type { Input } from './input.js';
import type { Resource } from '../model/resource.js';
import type { Result } from '../model/results.js';
import { mappingLines, type BlockStyle } from '../yaml/block-writer.js';
import { blockStyleOf } from '../yaml/yaml-style.js';
import { yamlLibrary } from '../yaml/yaml-library.js';

/**
 * Writes resources back in the envelope they came in. Stream documents nobody changed are
 * their original bytes; changed ones are re-printed from their edited YAML (comments and key
 * order kept); resources functions generated are appended.
 */
export function writeOutput(input: Input, generated: readonly Resource[], results: readonly Result[]): string {
  // A copy: printing empties the list it is given.
  return outputParts(input, [...generated], results, false).join('');
}

/**
 * The output as consecutive pieces (a stream's documents, in order), for a writer that sends
 * them one after another instead of joining them first: for a large stream, the joined copy
 * (and its encoded copy) would be the biggest allocation of the whole run.
 *
 * It consumes what it prints, for the last thing a run does: each stream document's data is
 * dropped once its text is made, `input.resources` is emptied and `generated` too (as each is
 * printed), so the objects are garbage while the output grows instead of living alongside
 * all of it. Use `writeOutput` to keep the input.
 */
export function takeOutputParts(input: Input, generated: Resource[], results: readonly Result[]): string[] {
  return outputParts(input, generated, results, true);
}

function outputParts(input: Input, generated: Resource[], results: readonly Result[], consume: boolean): string[] {
  const parts = input.format === 'json' ? [writeJson(input, generated, results)] : writeYaml(input, generated, results, consume);
  if (input.byteOrderMark) parts.unshift('\uFEFF');
  return parts;
}

function writeYaml(input: Input, generated: Resource[], results: readonly Result[], consume: boolean): string[] {
  if (input.envelope === 'resourceList') {
    const host = input.documents.find((document) => document.host)?.host;
    if (!host) throw new Error('internal: ResourceList without a document');
    // Written like any edited document (spliced into the original text), so the comments
    // kpt keeps on items stay exactly where they were; re-printing the whole list would move
    // them, and kpt would keep both copies.
    const items = host.own(['items']);
    let next = Array.isArray(items) ? items.length : 0;
    if (!Array.isArray(items)) host.setOwn(['items'], []);
    for (const resource of generated) host.setOwn(['items', next++], resource.object);
    // `results` describe this run only: results an earlier function left are replaced, so a
    // second run gives the same output (kpt collects each function's results itself).
    if (results.length > 0) host.setOwn(['results'], results);
    else host.deleteOwn(['results']);
    return [host.changed ? withNewline(host.render(), input.newline) : host.source];
  }
  // Read before any document is dropped.
  const style = generatedStyle(input);
  if (consume) input.resources.length = 0;
  const parts: string[] = [];
  for (const document of input.documents) {
    const host = document.host;
    if (host?.changed) {
      let text = withNewline(host.render(), input.newline);
      if (!document.text.endsWith('\n')) text = text.replace(/\r?\n$/, '');
      parts.push(text);
    } else {
      parts.push(document.text);
    }
    if (consume) delete document.host;
  }
  // Taken from the list as printed, so each is garbage once printed; from the end because pop
  // is cheap and shift moves the whole array.
  const queue = generated.splice(0).reverse();
  for (let resource = queue.pop(); resource; resource = queue.pop()) {
    const last = parts[parts.length - 1];
    if (last !== undefined && last !== '' && !last.endsWith('\n')) parts.push(input.newline);
    const lines = mappingLines(resource.object, 0, style);
    const text = lines ? `${lines.join('\n')}\n` : yamlLibrary().stringify(resource.object, { lineWidth: 0, indentSeq: style.indentSequences });
    parts.push(withNewline(`---\n${text}`, input.newline));
  }
  return parts;
}

/** Generated documents are printed the way the stream's first object document is written. */
function generatedStyle(input: Input): BlockStyle {
  return blockStyleOf(input.documents.find((document) => document.host)?.text ?? '');
}

function writeJson(input: Input, generated: readonly Resource[], results: readonly Result[]): string {
  const document = input.documents[0];
  const root = document?.json;
  if (!document || !root) throw new Error('internal: JSON input without a document');
  if (input.envelope === 'resourceList') {
    const items = Array.isArray(root.items) ? root.items : [];
    for (const resource of generated) items.push(resource.object);
    root.items = items;
    if (results.length > 0) root.results = results;
    else delete root.results;
    return `${JSON.stringify(root, null, 2)}\n`;
  }
  const first = document.jsonChanged ? `${JSON.stringify(root, null, 2)}\n` : document.text;
  if (generated.length === 0) return first;
  // JSON is YAML: further objects follow as documents of a stream.
  const rest = generated.map((resource) => `---\n${JSON.stringify(resource.object, null, 2)}\n`);
  return [first.endsWith('\n') ? first : `${first}\n`, ...rest].join('');
}

function withNewline(text: string, newline: '\n' | '\r\n'): string {
  return newline === '\n' ? text : text.replace(/\r?\n/g, '\r\n');
}

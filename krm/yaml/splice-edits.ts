/**
 * Applies recorded edits to a document's original text by splicing lines, so an edit changes
 * exactly the lines it must: comments elsewhere, each list's own indentation and every other
 * byte stay as written. Values come from the edited object (the truth); the result is re-read
 * and compared with it, and any doubt returns undefined so the caller re-prints the document
 * with the full `yaml` library instead.
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import { entryValueText, formatFlow, formatKey, formatScalar, itemText, type BlockStyle } from './block-writer.js';
import { locate, Outline, UnsupportedYaml, type Entry } from './block-outline.js';
import { deepEqual } from '../base/deep-equal.js';
import { getAt, type Path } from '../base/path.js';

export interface Edit {
  op: 'set' | 'delete';
  path: Path;
}

export function spliceEdits(source: string, edits: readonly Edit[], root: unknown, style: BlockStyle): string | undefined {
  const crlf = source.includes('\r\n');
  let text = crlf ? source.replace(/\r\n/g, '\n') : source;
  try {
    // Each set writes the final value of what it touches; edits under it are done already.
    const written: Path[] = [];
    for (const edit of minimalEdits(edits)) {
      if (edit.op === 'delete') {
        text = applyDelete(text, edit.path);
        continue;
      }
      if (written.some((prefix) => isPrefix(prefix, edit.path))) continue;
      const applied = applySet(text, edit.path, root, style);
      text = applied.text;
      written.push(applied.wrote);
    }
  } catch (error) {
    if (error instanceof UnsupportedYaml) return undefined;
    throw error;
  }
  let reread: unknown;
  try {
    reread = load(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (!deepEqual(reread, root)) return undefined;
  return crlf ? text.replace(/\n/g, '\r\n') : text;
}

function isPrefix(prefix: Path, path: Path): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => segment === path[index]);
}

/** A set writes the final value of its whole subtree, so edits below an earlier set are implied. */
function minimalEdits(edits: readonly Edit[]): Edit[] {
  const sets = edits.filter((edit) => edit.op === 'set');
  const deletes = edits.filter((edit) => edit.op === 'delete');
  if (deletes.some((del) => sets.some((set) => isPrefix(set.path, del.path) || isPrefix(del.path, set.path)))) {
    throw new UnsupportedYaml('overlapping set and delete');
  }
  const kept: Edit[] = [];
  for (const edit of sets) {
    if (kept.some((other) => isPrefix(other.path, edit.path))) continue;
    for (let i = kept.length - 1; i >= 0; i--) if (isPrefix(edit.path, (kept[i] as Edit).path)) kept.splice(i, 1);
    kept.push(edit);
  }
  return [...kept, ...deletes];
}

/** Applies one set; returns the new text and the path whose whole value it wrote. */
function applySet(text: string, path: Path, root: unknown, style: BlockStyle): { text: string; wrote: Path } {
  const outline = new Outline(text);
  const lines = outline.lines.map((line) => line.text);
  const located = locate(outline, path);
  switch (located.kind) {
    case 'entry':
      return { text: replaceEntry(outline, lines, located.entry, getAt(root, path), style), wrote: path };
    case 'inline': {
      const wrote = path.slice(0, located.depth);
      return { text: replaceEntry(outline, lines, located.entry, getAt(root, wrote), style), wrote };
    }
    case 'item': {
      const { item } = located;
      refuseComments(outline, item.line, item.end);
      const replacement = itemText(getAt(root, path), item.column, style);
      if (!replacement) throw new UnsupportedYaml('value');
      lines.splice(item.line, item.end - item.line, ...replacement);
      return { text: lines.join('\n'), wrote: path };
    }
    case 'missingKey': {
      const wrote = path.slice(0, located.depth + 1);
      const valueText = entryValueText(getAt(root, wrote), located.parent.column, style);
      if (valueText === undefined) throw new UnsupportedYaml('value');
      const at = outline.lastContentLine(located.parent.line, located.parent.end) + 1;
      lines.splice(at, 0, `${' '.repeat(located.parent.column)}${formatKey(path[located.depth] as string)}:${valueText}`);
      return { text: lines.join('\n'), wrote };
    }
    case 'appendItem': {
      const wrote = path.slice(0, located.depth + 1);
      const replacement = itemText(getAt(root, wrote), located.parent.column, style);
      if (!replacement) throw new UnsupportedYaml('value');
      const at = outline.lastContentLine(located.parent.line, located.parent.end) + 1;
      lines.splice(at, 0, ...replacement);
      return { text: lines.join('\n'), wrote };
    }
  }
}

/** Comments inside a region about to be re-printed would be lost: let the full parser do it. */
function refuseComments(outline: Outline, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const text = (outline.lines[i] as { text: string }).text;
    if (i === from ? / #/.test(text) : /#/.test(text)) throw new UnsupportedYaml('comments in a replaced region');
  }
}

function replaceEntry(outline: Outline, lines: string[], entry: Entry, value: unknown, style: BlockStyle): string {
  const keyLine = lines[entry.line] as string;
  const head = keyLine.slice(0, entry.valueColumn);
  const comment = entry.comment === '' ? '' : entry.inlineValue === '' ? ` ${entry.comment.trimStart()}` : entry.comment;
  const singleLine = entry.end === entry.line + 1;
  const inline = entry.inlineValue;

  if (singleLine && inline !== '' && !/^[|>]/.test(inline)) {
    const scalar = value === null || typeof value !== 'object';
    if (scalar) {
      const text = keepQuoteStyle(inline, value) ?? formatScalar(value);
      if (text === undefined) throw new UnsupportedYaml('value');
      lines[entry.line] = `${head} ${text}${comment}`;
      return lines.join('\n');
    }
    const nonEmpty = Array.isArray(value) ? value.length > 0 : Object.keys(value as object).length > 0;
    if (/^[[{]/.test(inline) && !/^(?:\[\s*\]|\{\s*\})$/.test(inline) && nonEmpty) {
      const flow = formatFlow(value);
      if (flow === undefined) throw new UnsupportedYaml('value');
      lines[entry.line] = `${head} ${flow}${comment}`;
      return lines.join('\n');
    }
  }
  refuseComments(outline, entry.line + 1, entry.end);
  // Keep a block sequence's own indentation when re-printing it.
  const existing = outline.valueNode(entry);
  const localStyle = existing?.kind === 'seq' ? { ...style, indentSequences: existing.column > entry.column } : style;
  const valueText = entryValueText(value, entry.column, localStyle);
  if (valueText === undefined) throw new UnsupportedYaml('value');
  const replacement = valueText.startsWith('\n') ? `${head}${comment}${valueText}` : `${head}${valueText}${comment}`;
  lines.splice(entry.line, entry.end - entry.line, ...replacement.split('\n'));
  return lines.join('\n');
}

function keepQuoteStyle(original: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.includes('\n')) return undefined;
  if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (original.startsWith('"')) return JSON.stringify(value);
  return undefined;
}

function applyDelete(text: string, path: Path): string {
  const outline = new Outline(text);
  const located = locate(outline, path);
  if (located.kind !== 'entry') return text;
  const { entry } = located;
  const keyLine = outline.lines[entry.line] as { text: string; indent: number };
  if (keyLine.indent !== entry.column) throw new UnsupportedYaml('deleting the first entry of an item');
  // A comment right above the entry (no blank line between) is about it: it goes too.
  let from = entry.line;
  while (from > 0 && /^\s*#/.test((outline.lines[from - 1] as { text: string }).text) && (outline.lines[from - 1] as { indent: number }).indent === entry.column) from--;
  const lines = outline.lines.map((line) => line.text);
  lines.splice(from, entry.end - from);
  return lines.join('\n');
}

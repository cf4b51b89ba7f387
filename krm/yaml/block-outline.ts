/**
 * Finds where a path lives in block-style YAML text by indentation alone, without building a
 * document: enough to splice an edit into the original lines. Anything it does not
 * understand (anchors, tags, complex keys, tabs) makes it give up, and the caller falls back
 * to the full `yaml` parser.
 */
import type { Path } from '../base/path.js';

export class UnsupportedYaml extends Error {}

interface Line {
  text: string;
  indent: number;
  /** Blank or comment-only: transparent to structure. */
  structural: boolean;
}

export class Outline {
  readonly lines: Line[];

  constructor(text: string) {
    this.lines = text.split('\n').map((raw) => {
      const trimmed = raw.trimStart();
      if (/^ *\t/.test(raw)) throw new UnsupportedYaml('tab indentation');
      return { text: raw, indent: raw.length - trimmed.length, structural: trimmed !== '' && !trimmed.startsWith('#') };
    });
  }

  /** The root mapping: its first line is the first content line after markers and comments. */
  root(): BlockNode {
    for (let i = 0; i < this.lines.length; i++) {
      const line = this.lines[i] as Line;
      if (!line.structural) continue;
      const content = line.text.trimStart();
      if (/^(?:---|\.\.\.)\s*(?:#.*)?$/.test(content)) continue;
      if (content.startsWith('%') || content.startsWith('---') || line.indent !== 0) throw new UnsupportedYaml('document start');
      return { kind: 'map', line: i, column: 0, end: this.endOfDocument() };
    }
    throw new UnsupportedYaml('empty document');
  }

  private endOfDocument(): number {
    let end = this.lines.length;
    for (let i = 1; i < this.lines.length; i++) {
      if (/^\.\.\.(?:\s|$)/.test((this.lines[i] as Line).text)) {
        end = i;
        break;
      }
    }
    return end;
  }

  /** Index after the last structural line in [from, to): where new lines for a block go. */
  lastContentLine(from: number, to: number): number {
    for (let i = to - 1; i >= from; i--) if ((this.lines[i] as Line).structural) return i;
    return from;
  }

  /** Lines [from, to) in which every structural line is indented deeper than `column`. */
  extent(from: number, column: number, end: number, flushSequence: boolean): number {
    let i = from + 1;
    for (; i < end; i++) {
      const line = this.lines[i] as Line;
      if (!line.structural) continue;
      if (line.indent > column) continue;
      if (flushSequence && line.indent === column && startsItem(line.text.slice(column))) continue;
      break;
    }
    // Trailing blank and comment lines belong to what follows.
    while (i - 1 > from && !(this.lines[i - 1] as Line).structural) i--;
    return i;
  }

  /** Entries of a block mapping whose keys start at `node.column`. */
  entries(node: BlockNode): Entry[] {
    if (node.kind !== 'map') throw new Error('internal: entries of a non-map');
    const entries: Entry[] = [];
    for (let i = node.line; i < node.end; i++) {
      const line = this.lines[i] as Line;
      if (!line.structural) continue;
      const isFirst = i === node.line;
      if (!isFirst && line.indent < node.column) break;
      if (!isFirst && line.indent !== node.column) throw new UnsupportedYaml(`unexpected indentation at line ${i + 1}`);
      const entry = this.readEntry(i, node.column, node.end);
      entries.push(entry);
      i = entry.end - 1;
    }
    return entries;
  }

  private readEntry(lineIndex: number, column: number, end: number): Entry {
    const text = (this.lines[lineIndex] as Line).text;
    const rest = text.slice(column);
    const key = readKey(rest);
    if (!key) throw new UnsupportedYaml(`not a mapping entry at line ${lineIndex + 1}`);
    const afterColon = column + key.length;
    const inline = splitInline(text.slice(afterColon));
    if (/^[&*!?|>]/.test(inline.value) && !/^[|>][-+0-9]*$/.test(inline.value)) throw new UnsupportedYaml('anchor, alias, tag or complex key');
    const flushSequence = inline.value === '';
    const entryEnd = this.extent(lineIndex, column, end, flushSequence);
    return {
      key: key.name,
      line: lineIndex,
      column,
      valueColumn: afterColon,
      inlineValue: inline.value,
      comment: inline.comment,
      end: entryEnd,
    };
  }

  /** The block node an entry's value is, when it has one (a nested map or sequence). */
  valueNode(entry: Entry): BlockNode | undefined {
    if (entry.inlineValue !== '') return undefined;
    for (let i = entry.line + 1; i < entry.end; i++) {
      const line = this.lines[i] as Line;
      if (!line.structural) continue;
      const content = line.text.slice(line.indent);
      if (startsItem(content)) return { kind: 'seq', line: i, column: line.indent, end: entry.end };
      return { kind: 'map', line: i, column: line.indent, end: entry.end };
    }
    return undefined;
  }

  /** Items of a block sequence whose dashes sit at `node.column`. */
  items(node: BlockNode): Item[] {
    if (node.kind !== 'seq') throw new Error('internal: items of a non-sequence');
    const items: Item[] = [];
    for (let i = node.line; i < node.end; i++) {
      const line = this.lines[i] as Line;
      if (!line.structural) continue;
      if (line.indent < node.column) break;
      const content = line.text.slice(node.column);
      if (line.indent !== node.column || !startsItem(content)) throw new UnsupportedYaml(`unexpected sequence item at line ${i + 1}`);
      const end = this.extent(i, node.column, node.end, false);
      const afterDash = content.slice(1);
      const spaces = afterDash.length - afterDash.trimStart().length;
      const valueColumn = node.column + 1 + spaces;
      const inline = afterDash.trim();
      let value: BlockNode | undefined;
      if (inline === '' || inline.startsWith('#')) {
        const nested = this.valueNode({ key: '', line: i, column: node.column, valueColumn, inlineValue: '', comment: '', end });
        value = nested;
      } else if (readKey(inline) && !/^["'[{]/.test(inline)) {
        value = { kind: 'map', line: i, column: valueColumn, end };
      } else if (/^[&*!]|^-(?:\s|$)/.test(inline)) {
        throw new UnsupportedYaml('anchor, alias, tag or nested sequence in an item');
      }
      items.push({ line: i, column: node.column, end, value });
      i = end - 1;
    }
    return items;
  }
}

export interface BlockNode {
  kind: 'map' | 'seq';
  /** Line of its first entry or item. */
  line: number;
  /** Column where its keys (or dashes) start. */
  column: number;
  /** Line index after the region it may extend to. */
  end: number;
}

export interface Entry {
  key: string;
  line: number;
  column: number;
  /** Column right after the colon. */
  valueColumn: number;
  /** The value written on the key line (without its comment): '' when the value is a block below. */
  inlineValue: string;
  /** Trailing comment with the whitespace before it (`   # note`), or ''. */
  comment: string;
  /** Line index after the entry's last line. */
  end: number;
}

export interface Item {
  line: number;
  column: number;
  end: number;
  value: BlockNode | undefined;
}

/** `- item` or a lone `-`: a block sequence entry starts here. */
function startsItem(text: string): boolean {
  return /^- |^-$/.test(text);
}

/** `name:` / `"quoted key":` at the start of text; the key length includes the colon. */
function readKey(text: string): { name: string; length: number } | undefined {
  if (text.startsWith('"')) {
    const match = /^"((?:[^"\\]|\\.)*)":(?=\s|$)/.exec(text);
    return match ? { name: JSON.parse(`"${match[1]}"`) as string, length: match[0].length } : undefined;
  }
  if (text.startsWith("'")) {
    const match = /^'((?:[^']|'')*)':(?=\s|$)/.exec(text);
    return match ? { name: (match[1] as string).replace(/''/g, "'"), length: match[0].length } : undefined;
  }
  const match = /^([^\s#:'"[\]{},&*!|>%@`?-][^:#]*?|-[^\s:][^:#]*?):(?=\s|$)/.exec(text);
  if (!match) return undefined;
  return { name: (match[1] as string).trimEnd(), length: match[0].length };
}

/** Splits what follows a colon into the value and a trailing comment, respecting quotes. */
export function splitInline(text: string): { value: string; comment: string } {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    if (quote) {
      if (character === '\\' && quote === '"') i++;
      else if (character === quote) quote = undefined;
      continue;
    }
    if ((character === '"' || character === "'") && text.slice(0, i).trim() === '') quote = character;
    else if (character === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      const value = text.slice(0, i).trim();
      // The comment keeps the exact gap before it (`web   # the site`).
      const valueEnd = value === '' ? 0 : text.indexOf(value) + value.length;
      return { value, comment: text.slice(valueEnd) };
    }
  }
  return { value: text.trim(), comment: '' };
}

/** Resolves a path as far as the text has it. */
export type Located =
  | { kind: 'entry'; entry: Entry; parent: BlockNode }
  | { kind: 'item'; item: Item; parent: BlockNode; index: number }
  | { kind: 'missingKey'; parent: BlockNode; depth: number }
  | { kind: 'appendItem'; parent: BlockNode; depth: number; items: Item[] }
  | { kind: 'inline'; entry: Entry; depth: number };

export function locate(outline: Outline, path: Path): Located {
  let node = outline.root();
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth] as string | number;
    const last = depth === path.length - 1;
    if (node.kind === 'map') {
      if (typeof segment !== 'string') throw new UnsupportedYaml('index into a mapping');
      const entry = outline.entries(node).find((candidate) => candidate.key === segment);
      if (!entry) return { kind: 'missingKey', parent: node, depth };
      if (last) return { kind: 'entry', entry, parent: node };
      const child = outline.valueNode(entry);
      if (!child) return { kind: 'inline', entry, depth: depth + 1 };
      node = child;
    } else {
      if (typeof segment !== 'number') throw new UnsupportedYaml('key into a sequence');
      const items = outline.items(node);
      if (segment === items.length) return { kind: 'appendItem', parent: node, depth, items };
      const item = items[segment];
      if (!item) throw new UnsupportedYaml('index past the end');
      if (last) return { kind: 'item', item, parent: node, index: segment };
      if (!item.value) throw new UnsupportedYaml('scalar item on the path');
      node = item.value;
    }
  }
  throw new UnsupportedYaml('empty path');
}

import type { BlockStyle } from './block-writer.js';
import { KrmInputError } from '../base/errors.js';
import { yamlLibrary } from './yaml-library.js';
import type {
  Document,
  DocumentOptions,
  ParseOptions,
  SchemaOptions,
  ScalarTag,
  Tags,
  ToStringOptions,
} from 'yaml';

/**
 * `yaml` re-prints numbers from their value, so `defaultMode: 0644` would come out as `644`
 * (a different file mode to Kubernetes, which reads YAML 1.1 octal) and `0x1F` as `0x1f`.
 * These tags print a number's original text whenever the value still matches it.
 */
function keepNumberSource(tags: Tags): Tags {
  return tags.map((tag) => {
    const scalarTag = tag as ScalarTag;
    if (typeof tag !== 'object' || !scalarTag.test || !scalarTag.stringify) return tag;
    if (scalarTag.tag !== 'tag:yaml.org,2002:int' && scalarTag.tag !== 'tag:yaml.org,2002:float') return tag;
    const original = scalarTag.stringify;
    const wrapped: ScalarTag = {
      ...scalarTag,
      stringify(item, ctx, onComment, onChompKeep) {
        const source = (item as { source?: unknown }).source;
        if (typeof source === 'string' && scalarTag.test?.test(source)) {
          const reread = scalarTag.resolve(source, () => undefined, ctx.options as ParseOptions);
          const rereadValue = typeof reread === 'object' && reread !== null && 'value' in reread ? reread.value : reread;
          if (Object.is(rereadValue, item.value)) return source;
        }
        return original.call(this, item, ctx, onComment, onChompKeep);
      },
    };
    return wrapped;
  });
}

export const yamlParseOptions: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.2',
  schema: 'core',
  customTags: keepNumberSource,
  uniqueKeys: true,
  strict: true,
  prettyErrors: false,
  keepSourceTokens: false,
};

/**
 * Parses one document for editing; comments, key order and scalar styles are kept. Its
 * first problem becomes an error naming the document and the line in the whole input.
 */
export function parseEditableDocument(text: string, documentIndex: number, firstLine: number): Document.Parsed {
  const document = yamlLibrary().parseDocument(text, yamlParseOptions);
  const problem = document.errors[0];
  if (problem) {
    throw new KrmInputError(problem.message.split('\n')[0] ?? problem.message, {
      documentIndex,
      line: firstLine + (problem.linePos?.[0].line ?? 1) - 1,
    });
  }
  return document;
}

/**
 * Output options that match how the document was written, so an edit changes only the
 * lines it must: sequence indentation (`- ` under or beside its key), indent width, and
 * no line folding (`yaml` folds long strings at 80 columns by default).
 */
export function styleOf(source: string): ToStringOptions {
  return {
    indent: indentWidthOf(source),
    indentSeq: sequencesAreIndented(source),
    lineWidth: 0,
    minContentWidth: 0,
    flowCollectionPadding: false,
  };
}

/** The same style for the splice writer and generated documents. */
export function blockStyleOf(source: string): BlockStyle {
  const style = styleOf(source);
  return { indent: style.indent ?? 2, indentSequences: style.indentSeq ?? true };
}

function indentWidthOf(source: string): number {
  const nested = /^([^\s#-][^\n]*:)[ \t]*\r?\n( +)[^\s-]/m.exec(source);
  const width = nested?.[2]?.length ?? 2;
  return width >= 1 && width <= 8 ? width : 2;
}

/**
 * Whether `- ` items sit deeper than their key. Documents can mix both styles (cert-manager
 * does); `yaml` prints one style per document, so the style covering more lines wins, which
 * keeps the diff of an edited document to the (smaller) lists written the other way.
 */
function sequencesAreIndented(source: string): boolean {
  const lines = source.split(/\r?\n/);
  let indentedLines = 0;
  let flushLines = 0;
  for (let i = 0; i + 1 < lines.length; i++) {
    const keyLine = /^( *)[^\s#-][^#]*:[ \t]*(?:#.*)?$/.exec(lines[i] as string);
    const itemLine = keyLine ? /^( *)- /.exec(lines[i + 1] as string) : null;
    if (!keyLine || !itemLine) continue;
    const keyIndent = keyLine[1]?.length ?? 0;
    const itemIndent = itemLine[1]?.length ?? 0;
    let end = i + 1;
    while (end < lines.length) {
      const line = lines[end] as string;
      const indent = line.length - line.trimStart().length;
      const inside = line.trim() === '' || indent > keyIndent || (indent === itemIndent && line.trimStart().startsWith('- '));
      if (!inside) break;
      end++;
    }
    if (itemIndent > keyIndent) indentedLines += end - i - 1;
    else flushLines += end - i - 1;
  }
  return indentedLines >= flushLines;
}

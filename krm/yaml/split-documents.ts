/** One document of a YAML stream exactly as it was written: marker line, comments and all. */
export interface RawDocument {
  /** The document's bytes, from its `---` line (if any) up to the next document. */
  text: string;
  /** 1-based line of `text`'s first line in the whole input. */
  firstLine: number;
}

/**
 * Splits a YAML stream at its document markers without parsing it. Per the YAML spec a
 * `---` or `...` at column 0 always ends the current document (even inside a block scalar),
 * so a line scan is exact. Comments before a `---` belong to the document they precede in
 * practice (Helm's `# Source:` sits after it), and stay with the earlier chunk here: either
 * way the bytes come out where they came in.
 */
export function splitDocuments(stream: string): RawDocument[] {
  const documents: RawDocument[] = [];
  const marker = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  let start = 0;
  let startLine = 1;
  let line = 1;
  let counted = 0;
  const lineAt = (offset: number): number => {
    for (let i = stream.indexOf('\n', counted); i !== -1 && i < offset; i = stream.indexOf('\n', i + 1)) line++;
    counted = offset;
    return line;
  };
  for (let match = marker.exec(stream); match; match = marker.exec(stream)) {
    if (match[0] === '---') {
      if (match.index > start) {
        documents.push({ text: stream.slice(start, match.index), firstLine: startLine });
      }
      start = match.index;
      startLine = lineAt(match.index);
    } else {
      // `...` ends a document; what follows (until the next `---`) is a new one.
      const endOfLine = stream.indexOf('\n', match.index);
      const end = endOfLine === -1 ? stream.length : endOfLine + 1;
      documents.push({ text: stream.slice(start, end), firstLine: startLine });
      start = end;
      startLine = lineAt(end);
      marker.lastIndex = end;
    }
  }
  if (start < stream.length || documents.length === 0) {
    documents.push({ text: stream.slice(start), firstLine: startLine });
  }
  return documents;
}

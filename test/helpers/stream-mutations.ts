import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { splitDocuments } from '../../krm/yaml/split-documents.js';

/**
 * Mutations of real manifests, as people and tools produce them: documents dropped,
 * duplicated or reordered, scalars changed (often to the wrong type), comments added, and
 * documents re-printed in the other list-indentation style. A mutation may make the input
 * malformed; the guarantee then is a located KrmInputError, never a crash.
 */
export type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'scalar'; at: number; value: string }
  | { op: 'comment'; at: number; trailing: boolean }
  | { op: 'listStyle'; at: number };

const SCALARS = ['"x"', '0', '-1', 'true', 'null', '[]', '{}', '"8080"', 'abc', '65536', "''", '1.5', '~', '"${VAR}"'];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('scalar' as const), at: fc.nat(), value: fc.constantFrom(...SCALARS) }),
  fc.record({ op: fc.constant('comment' as const), at: fc.nat(), trailing: fc.boolean() }),
  fc.record({ op: fc.constant('listStyle' as const), at: fc.nat() }),
);

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

const KEY_VALUE_LINE = /^(\s*(?:- )?[\w./-]+:) +(\S.*)$/;

export function applyMutation(text: string, change: Mutation): string {
  const documents = splitDocuments(text).map((document) => document.text);
  if (documents.length === 0) return text;
  const pick = (n: number): number => n % documents.length;
  switch (change.op) {
    case 'drop':
      documents.splice(pick(change.at), 1);
      return documents.join('');
    case 'duplicate': {
      const index = pick(change.at);
      const copy = documents[index] as string;
      documents.splice(index, 0, copy.startsWith('---') ? copy : `---\n${copy}`);
      return joinDocuments(documents);
    }
    case 'swap': {
      const [a, b] = [pick(change.at), pick(change.with)];
      [documents[a], documents[b]] = [documents[b] as string, documents[a] as string];
      return joinDocuments(documents);
    }
    case 'scalar': {
      const lines = text.split('\n');
      const candidates = lines.flatMap((line, index) => (KEY_VALUE_LINE.test(line) ? [index] : []));
      if (candidates.length === 0) return text;
      const index = candidates[change.at % candidates.length] as number;
      lines[index] = (lines[index] as string).replace(KEY_VALUE_LINE, `$1 ${change.value}`);
      return lines.join('\n');
    }
    case 'comment': {
      const lines = text.split('\n');
      const index = change.at % lines.length;
      const line = lines[index] as string;
      if (change.trailing) {
        // After a value, never inside a quoted scalar: only on lines that end a plain key: value.
        if (KEY_VALUE_LINE.test(line) && !/["'|>]/.test(line)) lines[index] = `${line} # fuzz: trailing comment`;
      } else {
        lines.splice(index, 0, `${/^\s*/.exec(line)?.[0] ?? ''}# fuzz: a comment line`);
      }
      return lines.join('\n');
    }
    case 'listStyle': {
      const index = pick(change.at);
      const source = documents[index] as string;
      const document = parseDocument(source, { keepSourceTokens: false });
      if (document.errors.length > 0 || document.contents === null) return text;
      const compact = /^[ \t]*[\w.-]+:[ \t]*\r?\n(- )/m.test(source);
      const reprinted = document.toString({ indentSeq: compact, lineWidth: 0 });
      documents[index] = source.startsWith('---') && !reprinted.startsWith('---') ? `---\n${reprinted}` : reprinted;
      return joinDocuments(documents);
    }
  }
}

/** Documents after the first need their `---`; a moved first document may lack one. */
function joinDocuments(documents: string[]): string {
  return documents
    .map((document, index) => {
      const withBreak = document.endsWith('\n') ? document : `${document}\n`;
      return index > 0 && !/^---/.test(withBreak) ? `---\n${withBreak}` : withBreak;
    })
    .join('');
}

export function applyMutations(text: string, changes: readonly Mutation[]): string {
  return changes.reduce(applyMutation, text);
}

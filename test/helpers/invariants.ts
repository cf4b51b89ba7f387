import { expect } from 'vitest';
import { objectsOf } from './objects.js';

/**
 * The "untouched bytes" invariant: every document whose object a run did not change comes out
 * exactly as it went in. Documents are paired by position, so the run must keep their order
 * (generated documents, appended at the end, are ignored).
 */
export function expectUnchangedDocumentsKeepTheirBytes(input: string, output: string): void {
  const inputDocuments = input.split(/^---\n/m);
  const outputDocuments = output.split(/^---\n/m).slice(0, inputDocuments.length);
  expect(outputDocuments).toHaveLength(inputDocuments.length);
  inputDocuments.forEach((document, index) => {
    const [was] = objectsOf(document);
    const [now] = objectsOf(outputDocuments[index] as string);
    if (JSON.stringify(was) === JSON.stringify(now)) expect(outputDocuments[index]).toBe(document);
  });
}

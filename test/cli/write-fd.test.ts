/**
 * stdout and stderr are written with blocking writes (cli/write-fd.ts), and fall back to
 * Node's stream for the rest of the text — and everything after — when the descriptor
 * cannot be written that way, so no byte is lost or reordered.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fdWriter } from '../../cli/write-fd.js';

/** A stand-in for process.stdout that records what reaches it. */
function recordingStream(): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { write: (chunk: string | Uint8Array) => written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')) };
  return { stream: stream as unknown as NodeJS.WriteStream, written };
}

describe('fdWriter', () => {
  it('writes every text to the descriptor, in order, byte for byte (UTF-8 included), without touching the stream', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 8 }), (texts) => {
        const file = join(mkdtempSync(join(tmpdir(), 'krmkit-write-fd-')), 'out');
        const fd = openSync(file, 'w');
        const { stream, written } = recordingStream();
        const write = fdWriter(fd, () => stream);
        for (const text of texts) write(text);
        closeSync(fd);
        expect(readFileSync(file, 'utf8')).toBe(texts.join(''));
        expect(written).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('hands the text, and everything after it, to the stream when the descriptor cannot be written', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'krmkit-write-fd-')), 'out');
    writeFileSync(file, '');
    const fd = openSync(file, 'r'); // opened for reading: write(2) fails with EBADF
    const { stream, written } = recordingStream();
    const write = fdWriter(fd, () => stream);
    write('first ✓\n');
    write('second\n');
    closeSync(fd);
    expect(written.join('')).toBe('first ✓\nsecond\n');
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});

import { fstatSync, readSync } from 'node:fs';
import { KrmInputError } from '../krm/base/errors.js';

/**
 * Reads all of stdin as UTF-8. Stops early, with a clear error, past `maxBytes`, so a huge
 * input is refused before it is held in memory twice; invalid UTF-8 (binary data) is an
 * error, not replacement characters.
 */
export async function readStdin(maxBytes: number): Promise<string> {
  const bytes = readSynchronously(maxBytes) ?? (await readAsStream(maxBytes));
  try {
    // ignoreBOM keeps a byte-order mark in the text, so readInput sees it and writes it back.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new KrmInputError('input is not valid UTF-8 text (binary data?)');
  }
}

function tooLarge(maxBytes: number): KrmInputError {
  return new KrmInputError(`input is larger than the limit of ${(maxBytes / 1024 / 1024).toFixed(0)} MiB (raise it with --max-input-bytes)`);
}

/**
 * A blocking read of fd 0: it avoids setting up Node's stream machinery, which is a
 * noticeable part of start-up for a post-renderer. Undefined when stdin is non-blocking
 * (EAGAIN) or not readable this way; the stream reader takes over then.
 */
function readSynchronously(maxBytes: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    if (fstatSync(0).isCharacterDevice()) return undefined;
    for (;;) {
      const chunk = Buffer.allocUnsafe(size < 1 << 20 ? 64 * 1024 : 1 << 20);
      const read = readSync(0, chunk, 0, chunk.length, null);
      if (read === 0) break;
      size += read;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
    }
  } catch (error) {
    if (error instanceof KrmInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'EAGAIN' || code === 'EOF') && size === 0) return undefined;
    if (code === 'EOF') return Buffer.concat(chunks, size);
    if (size === 0) return undefined;
    throw error;
  }
  return Buffer.concat(chunks, size);
}

async function readAsStream(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      process.stdin.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

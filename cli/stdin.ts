import { KrmInputError } from '../krm/errors.js';

/**
 * Reads all of stdin as UTF-8. Stops early, with a clear error, past `maxBytes`, so a huge
 * input is refused before it is held in memory twice; invalid UTF-8 (binary data) is an
 * error, not replacement characters.
 */
export async function readStdin(maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      process.stdin.destroy();
      throw new KrmInputError(`input is larger than the limit of ${(maxBytes / 1024 / 1024).toFixed(0)} MiB (raise it with --max-input-bytes)`);
    }
    chunks.push(buffer);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, size));
  } catch {
    throw new KrmInputError('input is not valid UTF-8 text (binary data?)');
  }
}

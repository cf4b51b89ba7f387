import { writeSync } from 'node:fs';

/**
 * A writer for stdout or stderr that writes with blocking `write(2)` calls instead of
 * `process.stdout`/`process.stderr`: the first touch of those builds a WriteStream and
 * loads the stream modules, about 4 ms of a ~70 ms post-renderer run under Bun (the single
 * executable), for text that is written in one piece at the end anyway. When the
 * descriptor cannot be written this way (non-blocking: EAGAIN; or any other error), the
 * rest of the text and everything after it goes to the stream, so errors surface exactly
 * as before and bytes never change order.
 */
export function fdWriter(fd: number, stream: () => NodeJS.WriteStream): (text: string) => void {
  let useStream = false;
  return (text) => {
    if (useStream) {
      stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    } catch {
      useStream = true;
      stream().write(bytes.subarray(written));
    }
  };
}

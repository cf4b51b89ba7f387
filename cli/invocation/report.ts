import { appendFileSync, writeFileSync } from 'node:fs';
import type { PostrenderInvocation } from './invocation.js';

/**
 * `krmkit postrender --report FILE`: starts the report file afresh for this run and appends
 * each message (Helm 4 hides a plugin's stderr). A report that cannot be written must not
 * break the render, so failures to write are ignored.
 */
export function reportWriter(path: string, invocation: PostrenderInvocation): (text: string) => void {
  const what = 'overlay' in invocation.source ? `--overlay=${invocation.source.overlay}` : `--config=${invocation.source.config}`;
  try {
    writeFileSync(path, `# krmkit postrender ${what} at ${new Date().toISOString()}\n`);
  } catch {
    return () => undefined;
  }
  return (text) => {
    try {
      appendFileSync(path, text);
    } catch {
      // Reported where it could be: on stderr.
    }
  };
}

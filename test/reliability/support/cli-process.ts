import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { KRMKIT_BIN, REPO_ROOT } from '../../helpers/cli.js';

export interface TimedRun {
  status: number;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
  /** Bytes of input the process accepted before it exited. */
  bytesWritten: number;
}

/**
 * Runs the bundled `krmkit` asynchronously (so table rows run side by side) with `input`
 * on stdin: a string, a Buffer, or chunks produced on demand — a 200 MB input is streamed,
 * never held in the test's memory. A process that stops reading early (a size limit) ends
 * the stream; that is not an error of the test.
 */
export function runCliStreaming(args: readonly string[], input: string | Buffer | Iterable<Buffer>, options: { timeoutMs?: number } = {}): Promise<TimedRun> {
  if (!existsSync(KRMKIT_BIN)) throw new Error(`${KRMKIT_BIN} is missing: run \`npm run build\` (npm test does)`);
  const started = performance.now();
  const child = spawn(process.execPath, [KRMKIT_BIN, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let bytesWritten = 0;
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.on('error', () => {
    // EPIPE: krmkit closed stdin (input refused); its exit code and stderr tell the rest.
  });
  const source = typeof input === 'string' || Buffer.isBuffer(input) ? [Buffer.from(input)] : input;
  const stream = Readable.from(
    (function* counted() {
      for (const chunk of source) {
        bytesWritten += chunk.length;
        yield chunk;
      }
    })(),
  );
  stream.pipe(child.stdin);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      stream.destroy();
      resolve({
        status: code ?? (signal ? -1 : -2),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        ms: performance.now() - started,
        bytesWritten,
      });
    });
  });
}

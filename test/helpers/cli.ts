import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The bundled CLI, as users run it. `npm test` builds it first. */
export const KRMKIT_BIN = `${REPO_ROOT}dist/krmkit.cjs`;

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the bundled `krmkit` with `input` on stdin. */
export function runCli(args: readonly string[], input: string | Buffer = '', options: { env?: Record<string, string>; cwd?: string } = {}): CliRun {
  if (!existsSync(KRMKIT_BIN)) throw new Error(`${KRMKIT_BIN} is missing: run \`npm run build\` (npm test does)`);
  const run = spawnSync(process.execPath, [KRMKIT_BIN, ...args], {
    input,
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    maxBuffer: 1024 * 1024 * 1024,
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** Asserts how a run ended: its exit status (stderr shown when it differs), then that stderr says each of `messages`. */
export function expectExit(run: CliRun, status: number, ...messages: string[]): void {
  expect(run.status, run.stderr).toBe(status);
  for (const message of messages) expect(run.stderr).toContain(message);
}

/** A refused run: exit `status`, nothing on stdout (no half-written stream), and each of `messages` on stderr. */
export function expectRefused(run: CliRun, status: number, ...messages: string[]): void {
  expectExit(run, status, ...messages);
  expect(run.stdout).toBe('');
}

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

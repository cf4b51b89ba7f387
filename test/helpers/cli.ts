import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The processes one test run started, recorded in `<run>/pids` as "name pid" lines, so the
 * run that started them (vitest's global teardown) stops exactly those and nothing else, also
 * when the worker that started them is long gone.
 */
export const PIDS_FILE = 'pids';

export interface RecordedProcess {
  name: string;
  pid: number;
}

export function recordedProcesses(runDir: string): RecordedProcess[] {
  const file = join(runDir, PIDS_FILE);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^(\S+) (\d+)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ name: match[1] as string, pid: Number(match[2]) }));
}

/**
 * A pid is only ours while its command line still names the run folder: after a crash the
 * number may belong to an unrelated process by the time anyone gets to stop it.
 */
function isOurs(pid: number, runDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(runDir);
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** SIGTERM in reverse start order (the API server before its etcd), SIGKILL after 10 s. */
export async function stopRecorded(runDir: string): Promise<void> {
  const ours = recordedProcesses(runDir)
    .reverse()
    .filter((process) => isOurs(process.pid, runDir));
  for (const { pid } of ours) {
    signal(pid, 'SIGTERM');
    for (let waited = 0; waited < 10_000 && isOurs(pid, runDir); waited += 100) await sleep(100);
    if (isOurs(pid, runDir)) signal(pid, 'SIGKILL');
  }
}

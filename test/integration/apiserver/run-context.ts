/**
 * What vitest's global setup hands every test worker (vitest's provide/inject): the run's
 * folder, where the shared server's state and pids are recorded, and the pid of the vitest
 * process that owns it (the watchdog stops the server when that process disappears).
 */
export const RUN_DIR_KEY = 'krmkitApiServerRunDir';
export const OWNER_PID_KEY = 'krmkitApiServerOwnerPid';

declare module 'vitest' {
  export interface ProvidedContext {
    krmkitApiServerRunDir: string;
    krmkitApiServerOwnerPid: number;
  }
}

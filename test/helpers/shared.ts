import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { REPO_ROOT } from './cli.js';

/**
 * `../shared` beside the checkout holds what is too big or not ours to commit: real
 * third-party manifests (`corpora/`) and a chart (`charts/`). A clone without it would make
 * every test reading it fail at collection with a bare ENOENT; instead those tests ask
 * `needsShared` first.
 */
export type SharedFolder = 'corpora' | 'charts';

export function sharedPath(folder: SharedFolder): string {
  return join(REPO_ROOT, '..', 'shared', folder);
}

/**
 * True when `../shared/<folder>` is there. When it is not, declares in the current scope one
 * test that names the missing folder — skipped on a developer's machine, failing under
 * `CI=true`, where a missing folder means the run checks less than it claims — and returns
 * false, so the caller can skip its own tests: `describe.runIf(needsShared('corpora'))(…)`.
 */
export function needsShared(folder: SharedFolder): boolean {
  const path = sharedPath(folder);
  if (existsSync(path)) return true;
  const message = `needs ../shared/${folder} (${path}), which is missing: clone the shared folder beside the checkout to run these tests`;
  if (process.env.CI === 'true') {
    it(message, () => {
      throw new Error(`${message} (CI=true: a missing shared folder fails the run)`);
    });
  } else {
    console.warn(`skipped: ${message}`);
    it.skip(message, () => undefined);
  }
  return false;
}

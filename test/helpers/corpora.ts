import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from './shared.js';

/** ../shared/corpora: real third-party manifests, read-only. */
export const CORPORA_DIR = sharedPath('corpora');

export interface Corpus {
  name: string;
  text: string;
}

/**
 * Every corpus, by name. None when ../shared/corpora is absent, so that a suite skipped by
 * `needsShared('corpora')` still collects; the suite must ask `needsShared` for the skip.
 */
export function corpora(): Corpus[] {
  if (!existsSync(CORPORA_DIR)) return [];
  return readdirSync(CORPORA_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(CORPORA_DIR, name), 'utf8') }));
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';

/** ../shared/corpora: real third-party manifests, read-only. */
export const CORPORA_DIR = join(REPO_ROOT, '..', 'shared', 'corpora');

export interface Corpus {
  name: string;
  text: string;
}

export function corpora(): Corpus[] {
  return readdirSync(CORPORA_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(CORPORA_DIR, name), 'utf8') }));
}

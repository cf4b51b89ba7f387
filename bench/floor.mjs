// The floor the targets are measured against: js-yaml loadAll + dump of stdin. It keeps no
// comments and no formatting, so a comment-preserving tool cannot beat it.
import { readFileSync } from 'node:fs';
import { dump, loadAll } from 'js-yaml';

const documents = loadAll(readFileSync(0, 'utf8'));
process.stdout.write(documents.map((document) => dump(document)).join('---\n'));

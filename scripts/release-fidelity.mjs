// The runs a single executable must reproduce byte for byte (stdout, stderr, exit code)
// against the Node bundle: every golden fixture with its own config, and every corpus in
// ../shared/corpora plus base/rendered.yaml through both overlays. Shared by the release
// tests (test/release/) and the runtime comparison (bench/runtimes.mjs).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function fidelityCases() {
  const cases = [];
  const fixtures = join(ROOT, 'fixtures');
  for (const fn of readdirSync(fixtures).sort()) {
    for (const name of readdirSync(join(fixtures, fn)).sort()) {
      const dir = join(fixtures, fn, name);
      cases.push({ name: `fixtures/${fn}/${name}`, args: [fn, '--config', join(dir, 'config.yaml')], input: readFileSync(join(dir, 'input.yaml'), 'utf8') });
    }
  }
  const corporaDir = join(ROOT, '..', 'shared', 'corpora');
  const corpora = existsSync(corporaDir) ? readdirSync(corporaDir).filter((file) => file.endsWith('.yaml')).sort().map((file) => join(corporaDir, file)) : [];
  for (const file of [join(ROOT, 'base', 'rendered.yaml'), ...corpora]) {
    for (const overlay of ['dev', 'prod']) {
      cases.push({ name: `${file.slice(file.lastIndexOf('/') + 1)} | run overlays/${overlay}`, args: ['run', join(ROOT, 'overlays', overlay)], input: readFileSync(file, 'utf8') });
    }
  }
  return cases;
}

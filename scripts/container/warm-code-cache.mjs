// Runs at image build time inside the runtime base (Dockerfile stage `code-cache`), so the
// V8 code cache next to krmkit.cjs is written by the Node that will read it: V8 rejects a
// cache made by any other Node build, and a rejected cache costs the whole saving. The base
// has no shell, hence a Node script rather than `RUN … < sample.yaml`. It warms the cache
// the way `npm run build` does: every function once over a one-application release.
// Usage: node warm-code-cache.mjs <krmkit.cjs> <pipeline.yaml> <sample.yaml>
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [launcher, pipeline, sample] = process.argv.slice(2);
if (!launcher || !pipeline || !sample) {
  console.error('usage: node warm-code-cache.mjs <krmkit.cjs> <pipeline.yaml> <sample.yaml>');
  process.exit(2);
}
const run = spawnSync(process.execPath, [launcher, 'run', pipeline], {
  input: readFileSync(sample),
  env: { ...process.env, KRMKIT_WRITE_CODE_CACHE: '1' },
  stdio: ['pipe', 'ignore', 'inherit'],
});
if (run.status !== 0) {
  console.error(`warm-code-cache: krmkit exited with ${run.status ?? run.signal}`);
  process.exit(1);
}
const cache = join(dirname(launcher), 'krmkit.cache');
console.error(`warm-code-cache: ${cache} (${statSync(cache).size} bytes) written by Node ${process.version}`);

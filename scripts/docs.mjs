// `npm run docs`: rewrites the option tables of functions/*/README.md and the JSON Schemas in
// schemas/ from the functions' option declarations. The generator is TypeScript (it imports the
// functions), so esbuild bundles it first, as scripts/build.mjs bundles the CLI.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'krmkit-docs-'));
try {
  const outfile = join(dir, 'generate.mjs');
  await build({ entryPoints: [join(root, 'scripts/docs/generate.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', absWorkingDir: root });
  const { writeGeneratedFiles } = await import(pathToFileURL(outfile).href);
  const changed = await writeGeneratedFiles(root);
  console.log(changed.length === 0 ? 'docs: up to date' : `docs: wrote ${changed.join(', ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

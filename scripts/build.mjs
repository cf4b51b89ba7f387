// Builds dist/krmkit.cjs: one executable file holding the whole CLI (esbuild bundle of
// cli/krmkit.ts, embedded as a string into scripts/launcher.cjs), its source map, and
// dist/krmkit.cache, the V8 code cache the launcher uses to start fast. Also
// dist/standalone.cjs, the same bundle without the launcher: what the single executables
// compile (scripts/release-executables.mjs).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const commit = buildCommit();

// The commit this build comes from, for `krmkit --version`: KRMKIT_COMMIT when the caller
// knows it (a build context without .git, like the container's), else git's HEAD with
// `-dirty` when tracked files differ from it, else `unknown`.
function buildCommit() {
  if (process.env.KRMKIT_COMMIT) return process.env.KRMKIT_COMMIT;
  const git = (args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const head = git(['rev-parse', '--short=12', 'HEAD']);
    return git(['status', '--porcelain', '--untracked-files=no']) === '' ? head : `${head}-dirty`;
  } catch {
    return 'unknown';
  }
}
rmSync(new URL('dist', root), { recursive: true, force: true });
mkdirSync(new URL('dist', root));

const result = await build({
  entryPoints: ['cli/krmkit.ts'],
  outfile: 'dist/krmkit.bundle.cjs',
  bundle: true,
  write: false,
  platform: 'node',
  // CommonJS because V8's code cache (node:vm Script) takes scripts, not ES modules.
  format: 'cjs',
  target: 'node20',
  sourcemap: 'external',
  minify: true,
  legalComments: 'linked',
  // yargs is ESM and asks import.meta.url for its own location.
  define: { KRMKIT_VERSION: JSON.stringify(version), KRMKIT_COMMIT: JSON.stringify(commit), 'import.meta.url': '__krmkitBundleUrl' },
  banner: { js: "var __krmkitBundleUrl=require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

let bundle = '';
for (const file of result.outputFiles) {
  if (file.path.endsWith('.map')) writeFileSync(new URL('dist/krmkit.cjs.map', root), file.text);
  else if (file.path.endsWith('.cjs')) bundle = file.text.replace(/\/\/# sourceMappingURL=.*\n?$/, '');
  else writeFileSync(file.path, file.contents);
}
writeFileSync(new URL('dist/standalone.cjs', root), bundle);
const launcher = readFileSync(new URL('scripts/launcher.cjs', root), 'utf8').replace(
  '${BUNDLE}',
  () => `\${${JSON.stringify(`${bundle}\n//# sourceMappingURL=krmkit.cjs.map`)}}`,
);
const executable = new URL('dist/krmkit.cjs', root);
writeFileSync(executable, `#!/usr/bin/env node\n${launcher}`);
chmodSync(executable, 0o755);

// Warm the code cache on a pipeline that exercises every function, then save it.
const sample = readFileSync(new URL('bench/fixtures/one-app.yaml', root));
execFileSync(process.execPath, ['dist/krmkit.cjs', 'run', 'bench/fixtures/all-functions.yaml'], {
  cwd: root,
  input: sample,
  env: { ...process.env, KRMKIT_WRITE_CODE_CACHE: '1' },
  stdio: ['pipe', 'ignore', 'inherit'],
});

// `npm run release`: every artifact krmkit ships, written to release/ (git-ignored) with
// SHA-256 sums. docs/shipping.md says what each is and how it is installed.
//
//   node scripts/release.mjs [--out DIR] [--no-image] [--no-build] [--platforms linux-x64,linux-arm64]
//                            [--runtime bun|node-sea|deno]
//                            [--sign-key NAME --keyring SECRET_KEYRING [--passphrase-file FILE]]
//
//   npm/krmkit-<v>.tgz               npm package: `npm install -g` it; the bundle carries its libraries
//   bin/krmkit-<v>-linux-<arch>      single executables (no Node needed)
//   helm-plugin/krmkit-<v>.tgz(.prov) Helm 4 plugin package (`helm plugin package`), signed when a key is given
//   image/krmkit-<v>.oci.tar         the container image (podman save), unless --no-image
//   SHA256SUMS                       `sha256sum -c SHA256SUMS` in release/
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PLATFORMS, RELEASE_RUNTIME, ROOT, compileExecutable, tool } from './release-executables.mjs';

const { values: options } = parseArgs({
  options: {
    out: { type: 'string', default: join(ROOT, 'release') },
    'no-image': { type: 'boolean', default: false },
    // Package the dist/ already built (the tests: other test files run dist/ meanwhile).
    'no-build': { type: 'boolean', default: false },
    platforms: { type: 'string', default: Object.keys(PLATFORMS).join(',') },
    runtime: { type: 'string', default: RELEASE_RUNTIME },
    'sign-key': { type: 'string' },
    keyring: { type: 'string' },
    'passphrase-file': { type: 'string' },
  },
});

const say = (text) => process.stderr.write(`release: ${text}\n`);
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const out = resolve(options.out);
const platforms = options.platforms.split(',').filter(Boolean);
for (const platform of platforms) if (!PLATFORMS[platform]) throw new Error(`unknown platform ${platform} (${Object.keys(PLATFORMS).join(', ')})`);
if (Boolean(options['sign-key']) !== Boolean(options.keyring)) throw new Error('--sign-key and --keyring go together');

function run(command, args, extra = {}) {
  return execFileSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...extra });
}

rmSync(out, { recursive: true, force: true });
for (const dir of ['npm', 'bin', 'helm-plugin']) mkdirSync(join(out, dir), { recursive: true });

if (!options['no-build']) {
  say('building dist/ (npm run build)');
  run(process.execPath, ['scripts/build.mjs'], { stdio: ['ignore', 'inherit', 'inherit'] });
}
for (const file of ['dist/krmkit.cjs', 'dist/standalone.cjs']) {
  if (!exists(join(ROOT, file))) throw new Error(`${file} is missing: run npm run build (or leave out --no-build)`);
}
const versionLine = run(process.execPath, ['dist/krmkit.cjs', '--version']).trim();
if (versionLine.endsWith('-dirty)')) say(`warning: ${versionLine}: built from uncommitted changes`);

say('npm package');
const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', join(out, 'npm')]));
say(`  npm/${packed[0].filename} (${packed[0].entryCount} files)`);

const executables = {};
for (const platform of platforms) {
  const file = join(out, 'bin', `krmkit-${version}-${platform}`);
  say(`single executable ${platform} (${options.runtime})`);
  compileExecutable(options.runtime, platform, file);
  executables[platform] = file;
}

say('Helm plugin package');
const pluginDir = join(mkdtempSync(join(tmpdir(), 'krmkit-plugin-')), 'krmkit');
mkdirSync(join(pluginDir, 'bin'), { recursive: true });
for (const [platform, file] of Object.entries(executables)) {
  copyFileSync(file, join(pluginDir, 'bin', `krmkit-linux-${PLATFORMS[platform].helmArch}`));
  chmodSync(join(pluginDir, 'bin', `krmkit-linux-${PLATFORMS[platform].helmArch}`), 0o755);
}
for (const overlay of readdirSync(join(ROOT, 'overlays'))) {
  const pipeline = join(ROOT, 'overlays', overlay, 'pipeline.yaml');
  if (!statSync(join(ROOT, 'overlays', overlay)).isDirectory() || !exists(pipeline)) continue;
  mkdirSync(join(pluginDir, 'overlays', overlay), { recursive: true });
  copyFileSync(pipeline, join(pluginDir, 'overlays', overlay, 'pipeline.yaml'));
}
// The overlays' `yaml-language-server: $schema=../../schemas/pipeline.schema.json` line resolves here too.
cpSync(join(ROOT, 'schemas'), join(pluginDir, 'schemas'), { recursive: true });
cpSync(join(ROOT, 'scripts', 'release', 'postrender'), join(pluginDir, 'postrender'));
chmodSync(join(pluginDir, 'postrender'), 0o755);
writeFileSync(join(pluginDir, 'plugin.yaml'), pluginManifest(Object.keys(executables)));
const helm = tool('helm4');
const signing = options['sign-key']
  ? ['--sign', '--key', options['sign-key'], '--keyring', resolve(options.keyring), ...(options['passphrase-file'] ? ['--passphrase-file', resolve(options['passphrase-file'])] : [])]
  : ['--sign=false'];
if (!options['sign-key']) say('  warning: no --sign-key: the plugin package has no provenance; `helm plugin install` then needs --verify=false');
run(helm, ['plugin', 'package', pluginDir, '--destination', join(out, 'helm-plugin'), ...signing], { env: { ...process.env, HELM_DATA_HOME: join(pluginDir, '..', 'helm') } });
rmSync(join(pluginDir, '..'), { recursive: true, force: true });

if (!options['no-image']) {
  say('container image (scripts/container/build-local-image.sh, then podman save)');
  mkdirSync(join(out, 'image'));
  const image = run('bash', [join(ROOT, 'scripts', 'container', 'build-local-image.sh'), '--tag', version]).trim();
  run('podman', ['save', '--quiet', '--format', 'oci-archive', '--output', join(out, 'image', `krmkit-${version}.oci.tar`), image]);
}

const files = listFiles(out).filter((file) => file !== 'SHA256SUMS');
writeFileSync(join(out, 'SHA256SUMS'), files.map((file) => `${sha256(join(out, file))}  ${file}\n`).join(''));
for (const file of files) say(`  ${file}  ${(statSync(join(out, file)).size / 1e6).toFixed(1)} MB`);
say(`${versionLine}: ${files.length} artifacts and SHA256SUMS in ${relative(process.cwd(), out) || '.'}`);

function pluginManifest(platformNames) {
  const commands = platformNames.map((platform) => {
    const arch = PLATFORMS[platform].helmArch;
    return `    - os: linux\n      arch: ${arch}\n      command: \${HELM_PLUGIN_DIR}/bin/krmkit-linux-${arch}\n      args: [postrender]`;
  });
  return [
    '# krmkit: Helm 4 post-renderer plugin (postrenderer/v1), self-contained: the executables',
    '# need no Node. helm template demo ./chart --post-renderer krmkit --post-renderer-args=--overlay=prod',
    '# Helm 3: --post-renderer <this folder>/postrender. Helm 4 hides stderr: --report=FILE.',
    '# No sourceURL: krmkit has no public repository to point at yet.',
    'apiVersion: v1',
    'name: krmkit',
    'type: postrenderer/v1',
    'runtime: subprocess',
    `version: ${version}`,
    'runtimeConfig:',
    '  platformCommand:',
    ...commands,
    '',
  ].join('\n');
}

function exists(path) {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(dir, join(prefix, entry.name)) : [join(prefix, entry.name)]))
    .sort();
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

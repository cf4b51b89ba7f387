// Single executables: the CLI bundle (dist/standalone.cjs) compiled together with a
// JavaScript runtime into one file that needs no Node on the machine. Three runtimes can do
// it; docs/shipping.md has the measurements (bench/runtimes.mjs) that chose the one
// releases ship, RELEASE_RUNTIME.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TOOLS_BIN = join(ROOT, '.tools', 'bin');
export const STANDALONE_BUNDLE = join(ROOT, 'dist', 'standalone.cjs');

/** Chosen by measurement: see docs/shipping.md. */
export const RELEASE_RUNTIME = 'bun';

/** Release platform names (Node's) and what each runtime calls them. */
export const PLATFORMS = {
  'linux-x64': { bun: 'bun-linux-x64', deno: 'x86_64-unknown-linux-gnu', helmArch: 'amd64', nodeArch: 'x64' },
  'linux-arm64': { bun: 'bun-linux-arm64', deno: 'aarch64-unknown-linux-gnu', helmArch: 'arm64', nodeArch: 'arm64' },
};

/** A pinned tool from scripts/install-tools.sh (KRMKIT_<NAME> overrides), or a clear error. */
export function tool(name) {
  const path = process.env[`KRMKIT_${name.toUpperCase()}`] || join(TOOLS_BIN, name);
  if (!existsSync(path)) throw new Error(`${name} not found at ${path}: run scripts/install-tools.sh`);
  return path;
}

function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    throw new Error(`${[command, ...args].join(' ')} failed:\n${output}`, { cause: error });
  }
}

/**
 * `bun build --compile --bytecode`: the bundle is stored precompiled to JavaScriptCore
 * bytecode — Bun's counterpart of the V8 code cache the Node launcher uses, worth about
 * 40 ms of CPU per run on the example (docs/shipping.md). Bun fetches the runtime of another
 * platform from the npm registry (the `@oven/bun-*` packages), so it cross-builds arm64 here.
 */
function compileBun(entry, out, platform, jitPolicy = BUN_JIT_POLICY) {
  run(tool('bun'), ['build', '--compile', '--bytecode', `--compile-jit-policy=${jitPolicy}`, `--target=${PLATFORMS[platform].bun}`, entry, '--outfile', out], { cwd: ROOT });
}

/**
 * How many times more reluctant than normal JavaScriptCore's JIT is to compile, baked into
 * the executable (`--compile-jit-policy`, see Bun.unsafe.setJITPolicy). A post-renderer run
 * is ~40 ms of code that mostly runs once: at the normal policy the JIT spends ~25 ms of
 * CPU (on other threads, so wall time too on a busy machine) compiling functions that have
 * finished before the compiled code would pay off. At 100: base/ through prod ~60 → ~37 ms
 * CPU; a 1,200-object stream (bench/workload.mjs 300) the same within noise, because hot
 * loops still reach the JIT, later (at 1000 it was ~10% slower). docs/shipping.md has the
 * measurements.
 */
export const BUN_JIT_POLICY = 100;

/**
 * Node's single executable application: a preparation blob (with V8's code cache, the same
 * start-up trick as dist/krmkit.cache) injected into a copy of this Node with postject.
 * Only for the platform Node runs on: there is no other platform's Node binary to copy.
 */
function compileNodeSea(entry, out, platform) {
  if (PLATFORMS[platform].nodeArch !== process.arch || process.platform !== 'linux') {
    throw new Error(`Node SEA builds only for this machine's platform (linux-${process.arch}), not ${platform}`);
  }
  const work = mkdtempSync(join(tmpdir(), 'krmkit-sea-'));
  try {
    const blob = join(work, 'sea.blob');
    const config = join(work, 'sea-config.json');
    writeFileSync(config, JSON.stringify({ main: entry, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
    run(process.execPath, ['--experimental-sea-config', config]);
    copyFileSync(process.execPath, out);
    chmodSync(out, 0o755);
    run(tool('postject'), [out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `deno compile` downloads its runtime stub (denort) from Deno's own download server, which
 * is not a package registry; where that is unreachable it fails, and says so.
 */
function compileDeno(entry, out, platform) {
  try {
    run(tool('deno'), ['compile', '--allow-all', '--no-check', '--no-config', `--target=${PLATFORMS[platform].deno}`, '--output', out, entry], { cwd: ROOT });
  } catch (error) {
    const url = /error sending request for url \((\S+)\)/.exec(error.message)?.[1];
    if (!url) throw error;
    throw new Error(`deno compile could not download its runtime stub (${url}): that server is unreachable here`, { cause: error });
  }
}

export const COMPILERS = { bun: compileBun, 'node-sea': compileNodeSea, deno: compileDeno };

/** Compiles `entry` (by default dist/standalone.cjs: npm run build first) for `platform` with `runtime` into `out`. */
export function compileExecutable(runtime, platform, out, entry = STANDALONE_BUNDLE) {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build`);
  const compile = COMPILERS[runtime];
  if (!compile) throw new Error(`unknown runtime ${runtime} (${Object.keys(COMPILERS).join(', ')})`);
  rmSync(out, { force: true });
  compile(entry, out, platform);
  chmodSync(out, 0o755);
  return out;
}

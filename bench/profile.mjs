// Where a post-renderer run's CPU time goes, by source module and by function: builds the
// CLI as an unminified bundle (so profiles name real functions and esbuild's `// file`
// comments tell which module each line belongs to), runs it N times under a runtime's
// sampling profiler, and sums the samples of all runs (one run is too short for a
// 100 µs sampler to say much).
//
//   node bench/profile.mjs [runs=20] [runtime=executable|bun|node] [pipeline=overlays/prod] [input=base/rendered.yaml]
//
// `executable` (the default) is what the release ships: the bundle compiled by
// `bun build --compile --bytecode` with the release's JIT policy, profiled through BUN_OPTIONS; `bun` runs the bundle
// from source (so parsing shows up that the bytecode saves); `node` is Node's profiler.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUN_JIT_POLICY } from '../scripts/release-executables.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 20);
const runtime = process.argv[3] ?? 'executable';
const pipeline = join(root, process.argv[4] ?? 'overlays/prod');
const input = readFileSync(join(root, process.argv[5] ?? 'base/rendered.yaml'));

const work = mkdtempSync(join(tmpdir(), 'krmkit-profile-'));
const bundle = join(work, 'krmkit.cjs');
await build({
  entryPoints: [join(root, 'cli/krmkit.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { KRMKIT_VERSION: '"profile"', KRMKIT_COMMIT: '"profile"', 'import.meta.url': '__krmkitBundleUrl' },
  banner: { js: "var __krmkitBundleUrl=require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

const executable = join(work, 'krmkit');
if (runtime === 'executable') {
  spawnSync(join(root, '.tools/bin/bun'), ['build', '--compile', '--bytecode', `--compile-jit-policy=${BUN_JIT_POLICY}`, bundle, '--outfile', executable], { stdio: 'ignore' });
}

// esbuild starts each module's code with a `// path` comment: line → module.
const moduleStarts = [];
readFileSync(bundle, 'utf8')
  .split('\n')
  .forEach((line, index) => {
    const match = /^\/\/ (\S+\.(?:ts|js|mjs|cjs|json))$/.exec(line);
    if (match) moduleStarts.push([index, match[1].replace(/^node_modules\//, 'npm:')]);
  });
function moduleOf(lineNumber) {
  let found = '(bundle prelude)';
  for (const [start, name] of moduleStarts) {
    if (start > lineNumber) break;
    found = name;
  }
  return found;
}

const profiler = {
  executable: () => [executable, []],
  bun: (dir) => [join(root, '.tools/bin/bun'), ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${dir}`, bundle]],
  node: (dir) => [process.execPath, ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${dir}`, bundle]],
}[runtime];
const byModule = new Map();
const byFunction = new Map();
const inclusive = new Map();
let totalMicros = 0;
for (let i = 0; i < runs; i++) {
  const dir = join(work, `run-${i}`);
  const [command, args] = profiler(dir);
  const env = runtime === 'executable' ? { ...process.env, BUN_OPTIONS: `--cpu-prof --cpu-prof-interval=100 --cpu-prof-dir=${dir}` } : process.env;
  const result = spawnSync(command, [...args, 'run', pipeline], { input, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`exit ${result.status}: ${result.stderr}`);
  for (const file of readdirSync(dir)) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const parents = new Map();
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
    const label = ({ callFrame }) => {
      const inBundle = callFrame.url.endsWith('krmkit.cjs') || callFrame.url.endsWith('/krmkit');
      const module = inBundle ? moduleOf(callFrame.lineNumber) : callFrame.url ? `(runtime) ${callFrame.url.replace(/^.*\//, '')}` : `(${callFrame.functionName || 'native'})`;
      return { module, fn: `${callFrame.functionName || '(anonymous)'}  ${module}${inBundle ? `:${callFrame.lineNumber + 1}` : ''}` };
    };
    const deltas = profile.timeDeltas;
    profile.samples.forEach((id, index) => {
      // A sample's time is the gap to the next one (the last gets the mean gap).
      const micros = deltas[index + 1] ?? (profile.endTime - profile.startTime) / profile.samples.length;
      const { module, fn } = label(nodes.get(id));
      // Inclusive: every function on the sample's stack, each once.
      const onStack = new Set();
      for (let node = id; node !== undefined; node = parents.get(node)) onStack.add(label(nodes.get(node)).fn);
      for (const name of onStack) inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
      byModule.set(module, (byModule.get(module) ?? 0) + micros);
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
      totalMicros += micros;
    });
  }
}
rmSync(work, { recursive: true, force: true });

const perRun = (micros) => `${(micros / runs / 1000).toFixed(2).padStart(6)} ms`;
const top = (map, count) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
console.log(`${runtime}, ${runs} runs, ${pipeline}: ${perRun(totalMicros)} of sampled CPU per run (self time, per run)`);
console.log('by module:');
for (const [name, micros] of top(byModule, 40)) console.log(`  ${perRun(micros)}  ${name}`);
console.log('by function, inclusive (itself and what it calls):');
for (const [name, micros] of top(inclusive, 60)) console.log(`  ${perRun(micros)}  ${name}`);
console.log('by function:');
for (const [name, micros] of top(byFunction, 40)) console.log(`  ${perRun(micros)}  ${name}`);

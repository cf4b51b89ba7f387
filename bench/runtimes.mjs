// Which runtime the single executables use, by measurement (docs/shipping.md has the table):
// each candidate compiles dist/standalone.cjs into one executable, and is measured for
//   - cold start: `krmkit run overlays/prod < base/rendered.yaml`, alternating, N runs each
//     (median wall, mean CPU), next to the runtime's floor — the same runtime compiled around
//     an empty program — and the Node bundle as npm installs it (dist/krmkit.cjs with its code cache);
//   - size of the executable;
//   - fidelity: stdout, stderr and exit code identical to the Node bundle's on every golden
//     fixture and corpus (scripts/release-fidelity.mjs).
//
//   npm run build && node bench/runtimes.mjs [runs=20]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fidelityCases } from '../scripts/release-fidelity.mjs';
import { COMPILERS, ROOT, STANDALONE_BUNDLE, compileExecutable, tool } from '../scripts/release-executables.mjs';
import { cpuMillis, mean, median } from './measure.mjs';

const runs = Number(process.argv[2] ?? 20);
const work = mkdtempSync(join(tmpdir(), 'krmkit-runtimes-'));
const input = readFileSync(join(ROOT, 'base', 'rendered.yaml'));
const empty = join(work, 'empty.cjs');
writeFileSync(empty, '');

function exec(command, args, stdin = input) {
  const cpuBefore = cpuMillis();
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { input: stdin, cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpu: cpuMillis() - cpuBefore, ...result };
}

/** Compiles `entry` with `runtime`, or returns why it cannot be done here. */
function compile(runtime, entry, name) {
  const out = join(work, name);
  try {
    compileExecutable(runtime, 'linux-x64', out, entry);
    return { path: out };
  } catch (error) {
    return { error: error.message.split('\n').filter(Boolean).slice(-3).join(' ').slice(0, 300) };
  }
}

const candidates = {};
for (const runtime of Object.keys(COMPILERS)) {
  console.error(`compiling with ${runtime}…`);
  candidates[runtime] = { krmkit: compile(runtime, STANDALONE_BUNDLE, `krmkit-${runtime}`), floor: compile(runtime, empty, `floor-${runtime}`) };
}

// The release's Bun executable next to one at JavaScriptCore's normal JIT policy: what the
// policy (BUN_JIT_POLICY) saves.
const normalJit = join(work, 'krmkit-bun-normal-jit');
COMPILERS.bun(STANDALONE_BUNDLE, normalJit, 'linux-x64', 1);

const pipeline = ['run', join(ROOT, 'overlays', 'prod')];
const timed = {
  'node dist/krmkit.cjs (npm package)': [process.execPath, [join(ROOT, 'dist', 'krmkit.cjs'), ...pipeline]],
  'node -e 0 (floor)': [process.execPath, ['-e', '0']],
};
for (const [runtime, { krmkit, floor }] of Object.entries(candidates)) {
  if (krmkit.path) timed[`${runtime} executable`] = [krmkit.path, pipeline];
  if (floor.path) timed[`${runtime} floor (empty program)`] = [floor.path, []];
}
timed['bun executable, normal JIT policy (1)'] = [normalJit, pipeline];
// Deno's runtime itself, running the bundle: what a deno-compiled executable would start
// from, where `deno compile` cannot fetch its stub.
timed['deno run (the runtime, not an executable)'] = [tool('deno'), ['run', '--allow-all', '--no-config', STANDALONE_BUNDLE, ...pipeline]];
timed['deno run (floor, empty program)'] = [tool('deno'), ['run', '--no-config', empty]];
const reference = exec(...timed['node dist/krmkit.cjs (npm package)']).stdout;
for (const [name, [command, args]] of Object.entries(timed)) {
  const result = exec(command, args);
  if (!name.includes('floor') && result.stdout !== reference) throw new Error(`${name}: output differs from the Node bundle's`);
}
const samples = Object.fromEntries(Object.keys(timed).map((name) => [name, { ms: [], cpu: [] }]));
for (let i = 0; i < runs; i++) {
  for (const [name, [command, args]] of Object.entries(timed)) {
    const { ms, cpu } = exec(command, args);
    samples[name].ms.push(ms);
    samples[name].cpu.push(cpu);
  }
}

const cases = fidelityCases();
const fidelity = {};
for (const [runtime, { krmkit }] of Object.entries(candidates)) {
  if (!krmkit.path) continue;
  let identical = 0;
  const differing = [];
  for (const entry of cases) {
    const node = exec(process.execPath, [join(ROOT, 'dist', 'krmkit.cjs'), ...entry.args], entry.input);
    const single = exec(krmkit.path, entry.args, entry.input);
    if (node.stdout === single.stdout && node.stderr === single.stderr && node.status === single.status) identical++;
    else differing.push(entry.name);
  }
  fidelity[runtime] = { identical, total: cases.length, differing };
}

console.log(`\ncold start on base/ through prod: ${runs} alternating runs each (median wall, mean CPU user+sys)`);
for (const [name, { ms, cpu }] of Object.entries(samples)) {
  console.log(`  ${name.padEnd(40)} ${median(ms).toFixed(1).padStart(7)} ms  ${mean(cpu).toFixed(1).padStart(7)} ms CPU`);
}
console.log('\n| runtime | cold start, base/ through prod (wall / CPU) | runtime floor (wall / CPU) | size | fidelity (identical runs) |');
console.log('|---|---:|---:|---:|---|');
const cell = (name) => (samples[name] ? `${median(samples[name].ms).toFixed(0)} / ${mean(samples[name].cpu).toFixed(0)} ms` : '—');
for (const [runtime, { krmkit, floor }] of Object.entries(candidates)) {
  if (!krmkit.path) {
    console.log(`| ${runtime} | cannot build here: ${krmkit.error} | | | |`);
    continue;
  }
  const f = fidelity[runtime];
  console.log(
    `| ${runtime} | ${cell(`${runtime} executable`)} | ${floor.path ? cell(`${runtime} floor (empty program)`) : '—'} | ${(statSync(krmkit.path).size / 1e6).toFixed(1)} MB | ${f.identical}/${f.total}${f.differing.length ? ` (differ: ${f.differing.join(', ')})` : ''} |`,
  );
}
console.log(`| node bundle (npm package, needs Node) | ${cell('node dist/krmkit.cjs (npm package)')} | ${cell('node -e 0 (floor)')} | ${(statSync(join(ROOT, 'dist', 'krmkit.cjs')).size / 1e6).toFixed(1)} MB + cache | reference |`);
rmSync(work, { recursive: true, force: true });

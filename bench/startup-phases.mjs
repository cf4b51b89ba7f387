// Where a post-renderer run's time goes, phase by phase, for one krmkit artifact: each row
// adds one phase to the one above, so the differences are what each phase costs.
//
//   node bench/startup-phases.mjs [runs=30] [executable]   (default: the release's linux-x64
//   single executable; give `node` to measure dist/krmkit.cjs under Node)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMillis, mean, median } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 30);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const target = process.argv[3] ?? join(root, 'release', 'bin', `krmkit-${version}-linux-x64`);
const [command, prefix] = target === 'node' ? [process.execPath, [join(root, 'dist', 'krmkit.cjs')]] : [target, []];
if (target !== 'node' && !existsSync(target)) throw new Error(`${target} is missing: run npm run release -- --no-image`);

const work = mkdtempSync(join(tmpdir(), 'krmkit-phases-'));
const emptyPipeline = join(work, 'empty-pipeline.yaml');
writeFileSync(emptyPipeline, 'apiVersion: krmkit.dev/v1alpha1\nkind: Pipeline\nsteps: []\n');
const rendered = readFileSync(join(root, 'base', 'rendered.yaml'));
const prod = join(root, 'overlays', 'prod');

const phases = {
  'start, read an empty pipeline, empty stdin': [[...prefix, 'run', emptyPipeline], ''],
  '+ load and configure the prod pipeline’s five functions': [[...prefix, 'run', prod], ''],
  '+ the work: base/ (11 objects) through prod': [[...prefix, 'run', prod], rendered],
};
const samples = Object.fromEntries(Object.keys(phases).map((name) => [name, { ms: [], cpu: [] }]));
for (let i = 0; i < runs; i++) {
  for (const [name, [args, input]] of Object.entries(phases)) {
    const before = cpuMillis();
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (result.status !== 0) throw new Error(`${name}: exit ${result.status}: ${result.stderr}`);
    samples[name].ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    samples[name].cpu.push(cpuMillis() - before);
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`${target}: ${runs} alternating runs (median wall, mean CPU user+sys)`);
let previous = 0;
for (const [name, { ms, cpu }] of Object.entries(samples)) {
  const cost = mean(cpu);
  console.log(`  ${name.padEnd(58)} ${median(ms).toFixed(1).padStart(7)} ms  ${cost.toFixed(1).padStart(6)} ms CPU  (phase: +${(cost - previous).toFixed(1)})`);
  previous = cost;
}

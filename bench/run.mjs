// krmkit benchmark: `npm run bench` (builds first). Not a test: it prints figures.
// Every figure is the median of several runs of a whole process (stdin → stdout), measured
// in this one run together with the comparisons the targets name.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { workload } from './workload.mjs';

const root = new URL('..', import.meta.url).pathname;
const krmkit = join(root, 'dist/krmkit.cjs');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 20);
const rssFile = join(tmpdir(), `krmkit-bench-rss-${process.pid}`);

function once(args, input) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['-r', join(root, 'bench/max-rss.cjs'), ...args], {
    input,
    maxBuffer: 1 << 30,
    env: { ...process.env, KRMKIT_BENCH_RSS_FILE: rssFile },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : NaN;
  return { ms, rss };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(label, args, input, count = runs) {
  const samples = Array.from({ length: count }, () => once(args, input));
  const result = { label, ms: median(samples.map((s) => s.ms)), rssMiB: Math.max(...samples.map((s) => s.rss)), runs: count };
  console.log(`${label.padEnd(58)} ${result.ms.toFixed(1).padStart(9)} ms   peak RSS ${result.rssMiB.toFixed(0).padStart(4)} MiB   (median of ${count})`);
  return result;
}

const inputs = {
  one: workload(1),
  '1k': workload(250),
  '10k': workload(2500),
};
const securityContext = join(root, 'bench/fixtures/security-context.yaml');
const allFunctions = join(root, 'bench/fixtures/all-functions.yaml');

console.log(`krmkit benchmark — node ${process.version}, ${runs} runs (cold start: ${coldRuns})`);
console.log(`workload: apps × (Deployment, Service, ConfigMap, Secret) with # Source: comments; 1k = 1,000 objects (${(inputs['1k'].length / 1e6).toFixed(1)} MB), 10k = 10,000 (${(inputs['10k'].length / 1e6).toFixed(1)} MB)\n`);

const results = {};
results.floor10k = measure('floor: js-yaml loadAll+dump, 10k', [join(root, 'bench/floor.mjs')], inputs['10k']);
results.floor1k = measure('floor: js-yaml loadAll+dump, 1k', [join(root, 'bench/floor.mjs')], inputs['1k']);
results.sc1k = measure('security-context restricted enforce, 1k', [krmkit, 'run', securityContext], inputs['1k']);
results.sc10k = measure('security-context restricted enforce, 10k', [krmkit, 'run', securityContext], inputs['10k']);
// Each function alone, configured as in the all-functions pipeline.
const pipeline = load(readFileSync(allFunctions, 'utf8'));
for (const step of pipeline.steps) {
  const file = join(tmpdir(), `krmkit-bench-${step.kind}.yaml`);
  writeFileSync(file, dump({ apiVersion: 'krmkit.dev/v1alpha1', kind: 'Pipeline', steps: [step] }));
  for (const size of ['1k', '10k']) results[`${step.kind}${size}`] = measure(`${step.kind} alone, ${size}`, [krmkit, 'run', file], inputs[size]);
}
results.all1k = measure('pipeline of every function, 1k', [krmkit, 'run', allFunctions], inputs['1k']);
results.all10k = measure('pipeline of every function, 10k', [krmkit, 'run', allFunctions], inputs['10k']);
results.nodeCold = measure('cold start: node -e 0', ['-e', '0'], '', coldRuns);
results.krmkitCold = measure('cold start: krmkit security-context, one app', [krmkit, 'run', securityContext], inputs.one, coldRuns);

const ratio = (a, b) => (a / b).toFixed(2);
const targets = [
  ['security-context t(10k) / floor(10k)', ratio(results.sc10k.ms, results.floor10k.ms), '≤ 3'],
  ['security-context t(10k) / t(1k)', ratio(results.sc10k.ms, results.sc1k.ms), '≤ 11'],
  ['all functions t(10k) / floor(10k)', ratio(results.all10k.ms, results.floor10k.ms), '≤ 4'],
  ['all functions t(10k) / t(1k)', ratio(results.all10k.ms, results.all1k.ms), '≤ 11'],
  ...pipeline.steps.map((step) => [`${step.kind} t(10k) / floor(10k)`, ratio(results[`${step.kind}10k`].ms, results.floor10k.ms), '—']),
  ['cold start krmkit / node -e 0', ratio(results.krmkitCold.ms, results.nodeCold.ms), '≤ 1.3'],
  ['peak RSS at 10k (MiB), security-context', results.sc10k.rssMiB.toFixed(0), '≤ 300'],
  ['peak RSS at 10k (MiB), all functions', results.all10k.rssMiB.toFixed(0), '≤ 300'],
];
console.log('\ntarget                                          measured   target');
for (const [name, value, target] of targets) console.log(`${name.padEnd(46)} ${String(value).padStart(9)}   ${target}`);

mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/latest.json'), JSON.stringify({ node: process.version, runs, results, targets }, null, 2));

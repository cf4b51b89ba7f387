// krmkit benchmark: `npm run bench` (builds first). Not a test: it prints figures.
// Every figure is the median of several runs of a whole process (stdin → stdout), measured
// in this one run together with the comparisons the targets name.
//   BENCH_RUNS=5 (runs at ≤ 10k objects)  BENCH_LARGE_RUNS=3 (runs at 100k)  BENCH_COLD_RUNS=20
// On a shared machine, measure part of it: `node bench/run.mjs --only=floor,prod,InjectEnv`
// (groups: floor, security-context, each (every function alone) or a step kind, all, prod,
// cold) `--sizes=10k,100k` (of 1k, 10k, 100k). Targets whose figures were not measured are left out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { workload } from './workload.mjs';

const root = new URL('..', import.meta.url).pathname;
const krmkit = join(root, 'dist/krmkit.cjs');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const largeRuns = Number(process.env.BENCH_LARGE_RUNS ?? 3);
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 20);
const rssFile = join(tmpdir(), `krmkit-bench-rss-${process.pid}`);
const flag = (name) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3).split(',');
const only = flag('only');
const sizes = flag('sizes') ?? ['1k', '10k', '100k'];
const wanted = (group, size) => (!only || only.includes(group)) && (size === undefined || sizes.includes(size));

function once(args, input) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['-r', join(root, 'bench/max-rss.cjs'), ...args], {
    input,
    maxBuffer: 1 << 30,
    env: { ...process.env, KRMKIT_BENCH_RSS_FILE: rssFile },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  const usage = existsSync(rssFile) ? JSON.parse(readFileSync(rssFile, 'utf8')) : { maxRssKiB: NaN, cpuMs: NaN };
  return { ms, rss: usage.maxRssKiB / 1024, cpuMs: usage.cpuMs };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(label, args, input, count = runs) {
  const samples = Array.from({ length: count }, () => once(args, input));
  const result = { label, ms: median(samples.map((s) => s.ms)), cpuMs: median(samples.map((s) => s.cpuMs)), rssMiB: Math.max(...samples.map((s) => s.rss)), runs: count };
  console.log(
    `${label.padEnd(50)} ${result.ms.toFixed(0).padStart(7)} ms   cpu ${result.cpuMs.toFixed(0).padStart(7)} ms   peak RSS ${result.rssMiB.toFixed(0).padStart(4)} MiB` +
      // The largest is the figure; the range shows how much when a collection runs moves it.
      `${count > 1 ? ` (runs ${Math.min(...samples.map((s) => s.rss)).toFixed(0)}–${result.rssMiB.toFixed(0)})` : ''}   (median of ${count})`,
  );
  return result;
}

// 4 objects per app: 250 apps = 1k objects, 25,000 apps = 100k.
const inputs = {
  one: workload(1),
  '1k': workload(250),
  '10k': workload(2500),
  '100k': workload(25000),
};
const runsAt = (size) => (size === '100k' ? largeRuns : runs);
const securityContext = join(root, 'bench/fixtures/security-context.yaml');
const allFunctions = join(root, 'bench/fixtures/all-functions.yaml');
const prodOverlay = join(root, 'overlays/prod/pipeline.yaml');

console.log(`krmkit benchmark — node ${process.version}, ${runs} runs (100k: ${largeRuns}; cold start: ${coldRuns})`);
console.log(
  `workload: apps × (Deployment, Service, ConfigMap, Secret) with # Source: comments; ` +
    ['1k', '10k', '100k'].map((size) => `${size} = ${(inputs[size].length / 1e6).toFixed(1)} MB`).join(', ') +
    '\n',
);

const results = {};
for (const size of ['1k', '10k', '100k']) {
  if (wanted('floor', size)) results[`floor${size}`] = measure(`floor: js-yaml loadAll+dump, ${size}`, [join(root, 'bench/floor.mjs')], inputs[size], runsAt(size));
}
if (wanted('security-context', '1k')) results.sc1k = measure('security-context restricted enforce, 1k', [krmkit, 'run', securityContext], inputs['1k']);
if (wanted('security-context', '10k')) results.sc10k = measure('security-context restricted enforce, 10k', [krmkit, 'run', securityContext], inputs['10k']);
// Each function alone, configured as in the all-functions pipeline.
const pipeline = load(readFileSync(allFunctions, 'utf8'));
for (const step of pipeline.steps) {
  const file = join(tmpdir(), `krmkit-bench-${step.kind}.yaml`);
  writeFileSync(file, dump({ apiVersion: 'krmkit.dev/v1alpha1', kind: 'Pipeline', steps: [step] }));
  for (const size of ['10k', '100k']) {
    if (wanted('each', size) || wanted(step.kind, size)) results[`${step.kind}${size}`] = measure(`${step.kind} alone, ${size}`, [krmkit, 'run', file], inputs[size], runsAt(size));
  }
}
for (const size of ['1k', '10k', '100k']) {
  if (wanted('all', size)) results[`all${size}`] = measure(`pipeline of every function, ${size}`, [krmkit, 'run', allFunctions], inputs[size], runsAt(size));
}
for (const size of ['10k', '100k']) {
  if (wanted('prod', size)) results[`prod${size}`] = measure(`overlays/prod, ${size}`, [krmkit, 'run', prodOverlay], inputs[size], runsAt(size));
}
if (wanted('cold')) {
  results.nodeCold = measure('cold start: node -e 0', ['-e', '0'], '', coldRuns);
  results.krmkitCold = measure('cold start: krmkit security-context, one app', [krmkit, 'run', securityContext], inputs.one, coldRuns);
}

// Each ratio twice: of wall times, and of CPU times (the steadier one on a machine others share).
const ratio = (a, b) => (a && b ? `${(a.ms / b.ms).toFixed(2)} / ${(a.cpuMs / b.cpuMs).toFixed(2)}` : undefined);
const rss = (result) => result?.rssMiB.toFixed(0);
const targets = [
  ['floor t(100k) / t(10k)', ratio(results.floor100k, results.floor10k), '—'],
  ['security-context t(10k) / floor(10k)', ratio(results.sc10k, results.floor10k), '≤ 3'],
  ['security-context t(10k) / t(1k)', ratio(results.sc10k, results.sc1k), '≤ 11'],
  ['all functions t(10k) / floor(10k)', ratio(results.all10k, results.floor10k), '≤ 4'],
  ['all functions t(10k) / t(1k)', ratio(results.all10k, results.all1k), '≤ 11'],
  ['all functions t(100k) / t(10k)', ratio(results.all100k, results.all10k), '≤ 11'],
  ['overlays/prod t(100k) / t(10k)', ratio(results.prod100k, results.prod10k), '≤ 11'],
  ...pipeline.steps.flatMap((step) => [
    [`${step.kind} t(10k) / floor(10k)`, ratio(results[`${step.kind}10k`], results.floor10k), '—'],
    [`${step.kind} t(100k) / floor(100k)`, ratio(results[`${step.kind}100k`], results.floor100k), '—'],
    [`${step.kind} t(100k) / t(10k)`, ratio(results[`${step.kind}100k`], results[`${step.kind}10k`]), '≤ 11'],
  ]),
  ['cold start krmkit / node -e 0', ratio(results.krmkitCold, results.nodeCold), '≤ 1.3'],
  ['peak RSS at 10k (MiB), security-context', rss(results.sc10k), '≤ 300'],
  ['peak RSS at 10k (MiB), all functions', rss(results.all10k), '≤ 300'],
  ['peak RSS at 100k (MiB), floor', rss(results.floor100k), '—'],
  ['peak RSS at 100k (MiB), overlays/prod', rss(results.prod100k), '≤ 600'],
  ...pipeline.steps.flatMap((step) => [
    [`peak RSS ${step.kind} 10k / floor(10k)`, results[`${step.kind}10k`] && results.floor10k && (results[`${step.kind}10k`].rssMiB / results.floor10k.rssMiB).toFixed(2), '—'],
    [`peak RSS ${step.kind} 100k / floor(100k)`, results[`${step.kind}100k`] && results.floor100k && (results[`${step.kind}100k`].rssMiB / results.floor100k.rssMiB).toFixed(2), '—'],
  ]),
].filter(([, value]) => value !== undefined);
console.log('\ntarget                                          wall / cpu     target');
for (const [name, value, target] of targets) console.log(`${name.padEnd(46)} ${String(value).padStart(13)}   ${target}`);

mkdirSync(join(root, 'bench/results'), { recursive: true });
// A partial run must not pass for the whole benchmark.
writeFileSync(join(root, `bench/results/${only || flag('sizes') ? 'partial' : 'latest'}.json`), JSON.stringify({ node: process.version, runs, largeRuns, results, targets }, null, 2));

// Post-renderer overhead: `helm template demo base/chart` with and without krmkit as the
// post-renderer (overlay prod), Helm 3 (executable) and Helm 4 (plugin), median of N runs
// each, interleaved so both sides see the same machine state.
//   npm run build && node bench/postrender-overhead.mjs [runs=10] [overlay=prod]
// Uses the pinned tools in .tools/bin (scripts/install-tools.sh) and a throwaway Helm home.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 10);
const overlay = process.argv[3] ?? 'prod';
const home = mkdtempSync(join(tmpdir(), 'krmkit-bench-helm-'));
const env = { ...process.env, HELM_DATA_HOME: join(home, 'data'), HELM_CONFIG_HOME: join(home, 'config'), HELM_CACHE_HOME: join(home, 'cache'), HELM_PLUGINS: join(home, 'data', 'plugins') };
const helm3 = join(root, '.tools/bin/helm3');
const helm4 = join(root, '.tools/bin/helm4');
const chart = join(root, 'base/chart');

function exec(command, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return ms;
}

exec(helm4, ['plugin', 'install', join(root, 'postrender')]);
const cases = {
  'helm3 template': [helm3, ['template', 'demo', chart]],
  'helm3 template --post-renderer ./postrender/postrender': [helm3, ['template', 'demo', chart, '--post-renderer', join(root, 'postrender/postrender'), `--post-renderer-args=--overlay=${overlay}`]],
  'helm4 template': [helm4, ['template', 'demo', chart]],
  'helm4 template --post-renderer krmkit': [helm4, ['template', 'demo', chart, '--post-renderer', 'krmkit', `--post-renderer-args=--overlay=${overlay}`]],
};
const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const [command, args] of Object.values(cases)) exec(command, args); // warm the page cache
for (let i = 0; i < runs; i++) {
  for (const [name, [command, args]] of Object.entries(cases)) times[name].push(exec(command, args));
}
rmSync(home, { recursive: true, force: true });

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const medians = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
console.log(`node ${process.version}, ${runs} runs each, overlay ${overlay}, median wall time:`);
for (const [name, ms] of Object.entries(medians)) console.log(`  ${name.padEnd(58)} ${ms.toFixed(1).padStart(7)} ms`);
const names = Object.keys(cases);
for (const [plain, post] of [
  [names[0], names[1]],
  [names[2], names[3]],
]) {
  console.log(`  overhead ${plain.split(' ')[0]}: +${(medians[post] - medians[plain]).toFixed(1)} ms`);
}

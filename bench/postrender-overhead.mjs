// Post-renderer overhead (issue 12's target): what a post-renderer adds to
// `helm template demo base/chart`, side by side in one run, alternating, N runs each:
//
//   - the reference: a one-patch kustomize script in the style of the reference deployments
//     (stdin to a file, `kustomize build` with one JSON patch) — bench/kustomize-postrender.sh;
//   - krmkit as the README recommends installing it: the Helm plugin package from
//     `npm run release` (single executable; Helm 4 runs it as the plugin, Helm 3 through the
//     package's `postrender` script), overlay prod;
//   - krmkit run by Node from a checkout (postrender/postrender, the repository's plugin), for scale.
//
//   npm run release -- --no-image && node bench/postrender-overhead.mjs [runs=20]
//
// Prints the median wall time of each case, the overhead over plain `helm template`, and
// the ratio krmkit overhead / kustomize-script overhead (target: ≤ 1). Also the CPU time
// (user+sys of all processes) per case: on a loaded machine it is the steadier figure.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMillis, mean, median } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 20);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pluginPackage = join(root, 'release', 'helm-plugin', `krmkit-${version}.tgz`);
if (!existsSync(pluginPackage)) throw new Error(`${pluginPackage} is missing: run npm run release first`);

const home = mkdtempSync(join(tmpdir(), 'krmkit-bench-helm-'));
const env = {
  ...process.env,
  HELM_DATA_HOME: join(home, 'data'),
  HELM_CONFIG_HOME: join(home, 'config'),
  HELM_CACHE_HOME: join(home, 'cache'),
  HELM_PLUGINS: join(home, 'data', 'plugins'),
  KUSTOMIZE: join(root, '.tools/bin/kustomize'),
};
const helm3 = join(root, '.tools/bin/helm3');
const helm4 = join(root, '.tools/bin/helm4');
const chart = join(root, 'base/chart');
const kustomizeScript = join(root, 'bench', 'kustomize-postrender.sh');

function exec(command, args) {
  const cpuBefore = cpuMillis();
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return { ms, cpu: cpuMillis() - cpuBefore, stdout: result.stdout };
}

// Helm 4 plugins: krmkit from its package (Node-free), the checkout's plugin as `krmkit-node`,
// and the kustomize script wrapped as a plugin.
exec(helm4, ['plugin', 'install', pluginPackage, '--verify=false']);
const nodePlugin = join(home, 'krmkit-node');
mkdirSync(nodePlugin);
writeFileSync(join(nodePlugin, 'plugin.yaml'), readFileSync(join(root, 'postrender', 'plugin.yaml'), 'utf8').replace(/^name: krmkit$/m, 'name: krmkit-node').replace('${HELM_PLUGIN_DIR}/postrender', join(root, 'postrender', 'postrender')));
exec(helm4, ['plugin', 'install', nodePlugin]);
const kustomizePlugin = join(home, 'kustomize-patch');
mkdirSync(kustomizePlugin);
writeFileSync(
  join(kustomizePlugin, 'plugin.yaml'),
  ['apiVersion: v1', 'name: kustomize-patch', 'type: postrenderer/v1', 'runtime: subprocess', 'version: 0.0.1', 'runtimeConfig:', '  platformCommand:', `    - command: ${kustomizeScript}`, ''].join('\n'),
);
chmodSync(kustomizeScript, 0o755);
exec(helm4, ['plugin', 'install', kustomizePlugin]);
const packaged = join(env.HELM_PLUGINS, 'krmkit');

const prod = '--post-renderer-args=--overlay=prod';
const cases = {
  'helm3 template': [helm3, ['template', 'demo', chart]],
  'helm3 + kustomize one-patch script': [helm3, ['template', 'demo', chart, '--post-renderer', kustomizeScript]],
  'helm3 + krmkit (plugin package, single executable)': [helm3, ['template', 'demo', chart, '--post-renderer', join(packaged, 'postrender'), prod]],
  'helm3 + krmkit (checkout, Node)': [helm3, ['template', 'demo', chart, '--post-renderer', join(root, 'postrender', 'postrender'), prod]],
  'helm4 template': [helm4, ['template', 'demo', chart]],
  'helm4 + kustomize one-patch script': [helm4, ['template', 'demo', chart, '--post-renderer', 'kustomize-patch']],
  'helm4 + krmkit (plugin package, single executable)': [helm4, ['template', 'demo', chart, '--post-renderer', 'krmkit', prod]],
  'helm4 + krmkit (checkout, Node)': [helm4, ['template', 'demo', chart, '--post-renderer', 'krmkit-node', prod]],
};
// Each case must do its work: the kustomize script patches, krmkit adds NetworkPolicies.
for (const [name, [command, args]] of Object.entries(cases)) {
  const { stdout } = exec(command, args);
  if (name.includes('kustomize') && !stdout.includes('revisionHistoryLimit: 5')) throw new Error(`${name}: the patch did not apply`);
  if (name.includes('krmkit') && !stdout.includes('kind: NetworkPolicy')) throw new Error(`${name}: no NetworkPolicy in the output`);
}
const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, { ms: [], cpu: [] }]));
for (let i = 0; i < runs; i++) {
  for (const [name, [command, args]] of Object.entries(cases)) {
    const { ms, cpu } = exec(command, args);
    samples[name].ms.push(ms);
    samples[name].cpu.push(cpu);
  }
}
rmSync(home, { recursive: true, force: true });

const wall = Object.fromEntries(Object.entries(samples).map(([name, { ms }]) => [name, median(ms)]));
const cpu = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, mean(values.cpu)]));
console.log(`${runs} alternating runs each, overlay prod, median wall time, mean CPU time (user+sys):`);
for (const name of Object.keys(cases)) console.log(`  ${name.padEnd(54)} ${wall[name].toFixed(1).padStart(7)} ms  ${cpu[name].toFixed(1).padStart(7)} ms CPU`);
for (const helm of ['helm3', 'helm4']) {
  const plain = `${helm} template`;
  const reference = `${helm} + kustomize one-patch script`;
  const addedBy = (name, table) => table[name] - table[plain];
  console.log(`  ${helm}: kustomize script adds ${addedBy(reference, wall).toFixed(1)} ms (${addedBy(reference, cpu).toFixed(1)} CPU)`);
  for (const krmkit of [`${helm} + krmkit (plugin package, single executable)`, `${helm} + krmkit (checkout, Node)`]) {
    console.log(
      `  ${helm}: ${krmkit.slice(helm.length + 3)} adds ${addedBy(krmkit, wall).toFixed(1)} ms (${addedBy(krmkit, cpu).toFixed(1)} CPU): ` +
        `${(addedBy(krmkit, wall) / addedBy(reference, wall)).toFixed(2)}× the kustomize script (CPU ${(addedBy(krmkit, cpu) / addedBy(reference, cpu)).toFixed(2)}×)`,
    );
  }
}

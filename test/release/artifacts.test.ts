/**
 * `npm run release`, then each artifact installed into a clean machine (empty HOME, Helm's
 * folders set, no repository) and run for real: the npm package with npm, the single
 * executable with no node on PATH (filter, kustomize exec transformer, `kpt fn eval
 * --exec`, Helm 3 post-renderer), and the Helm 4 plugin from its signed package. Each
 * output is compared with what the repository's Node build gives for the same input.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fidelityCases } from '../../scripts/release-fidelity.mjs';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { CHART, FUNCTION_WRAPPER, overlayDir } from '../integration/paths.js';
import { run } from '../integration/process.js';
import { toolPath } from '../integration/tools.js';
import { buildRelease, cleanMachine, runOn, type CleanMachine, type Release } from './release.js';

let release: Release;
const rendered = readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8');
/** What the repository's Node build makes of the example through prod: the reference. */
let nodeProd: string;
const gitHead = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();

beforeAll(() => {
  release = buildRelease();
  const reference = runCli(['run', 'overlays/prod'], rendered);
  expect(reference.status, reference.stderr).toBe(0);
  // The reference really hardens something: otherwise equal outputs would prove nothing.
  expect(reference.stdout).not.toBe(rendered);
  expect(reference.stdout).toContain('kind: NetworkPolicy');
  nodeProd = reference.stdout;
});

/** A clean machine whose PATH has the single executable as `krmkit`, and provably no node. */
function machineWithExecutable(programs: Record<string, string> = {}): CleanMachine {
  const machine = cleanMachine({ krmkit: release.executable('linux-x64'), ...programs });
  expect(runOn(machine, 'sh', ['-c', 'command -v node || command -v npm']).status, 'node must not be on the clean PATH').not.toBe(0);
  return machine;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'krmkit-release-run-'));
}

describe('release/', () => {
  it('holds every artifact with a SHA-256 sum that matches it', () => {
    const sums = readFileSync(join(release.dir, 'SHA256SUMS'), 'utf8').trim().split('\n');
    const listed = Object.fromEntries(sums.map((line) => line.split(/\s+/).reverse() as [string, string]));
    const v = release.version;
    expect(Object.keys(listed).sort()).toEqual(
      [`bin/krmkit-${v}-linux-arm64`, `bin/krmkit-${v}-linux-x64`, `helm-plugin/krmkit-${v}.tgz`, `helm-plugin/krmkit-${v}.tgz.prov`, `npm/krmkit-${v}.tgz`].sort(),
    );
    for (const [file, sum] of Object.entries(listed)) {
      expect(createHash('sha256').update(readFileSync(join(release.dir, file))).digest('hex'), file).toBe(sum);
    }
  });
});

describe('the npm package', () => {
  it('declares no runtime dependencies: the bundle carries them', () => {
    const manifest = JSON.parse(execFileSync('tar', ['-xOzf', release.npmPackage, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    // The libraries the bundle holds are still there, for building it.
    expect(Object.keys(manifest.devDependencies as object)).toEqual(expect.arrayContaining(['yaml', 'js-yaml', 'yargs', 'fast-json-patch']));
  });

  it('installs with `npm install -g` into an empty prefix without network, and works from there', async () => {
    const machine = cleanMachine();
    const prefix = join(machine.home, 'prefix');
    const npmEnv = { PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`, npm_config_cache: join(machine.home, '.npm'), npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
    const install = runOn(machine, 'npm', ['install', '--global', '--prefix', prefix, release.npmPackage], { env: npmEnv });
    expect(install.status, install.stderr).toBe(0);

    const version = runOn(machine, 'krmkit', ['--version'], { env: npmEnv });
    expect(version.stdout.trim()).toMatch(new RegExp(`^${release.version} \\(commit ${gitHead}(-dirty)?\\)$`));
    const filtered = runOn(machine, 'krmkit', ['run', join(prefix, 'lib', 'node_modules', 'krmkit', 'overlays', 'prod')], { env: npmEnv, input: rendered });
    expect(filtered.status, filtered.stderr).toBe(0);
    expect(filtered.stdout).toBe(nodeProd);

    // The package's Helm 3 post-renderer finds its own overlays, not the repository's.
    const helm3 = await run(toolPath('helm3'), ['template', 'demo', CHART, '--post-renderer', join(prefix, 'lib', 'node_modules', 'krmkit', 'postrender', 'postrender'), '--post-renderer-args=--overlay=prod'], {
      env: { ...machine.env, ...npmEnv },
      cwd: machine.home,
    });
    expect(helm3.status, helm3.stderr).toBe(0);
    expect(helm3.stdout).toContain('kind: NetworkPolicy');
  });
});

describe('the single executable', () => {
  it('is an x86-64 and an arm64 ELF executable (arm64 cross-built: no arm64 machine here to run it)', () => {
    const machineOf = (file: string): number => readFileSync(file).readUInt16LE(18);
    expect(readFileSync(release.executable('linux-x64')).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(machineOf(release.executable('linux-x64'))).toBe(0x3e);
    expect(machineOf(release.executable('linux-arm64'))).toBe(0xb7);
  });

  it('prints the version and the commit it was built from, with no node on the machine', () => {
    const machine = machineWithExecutable();
    const version = runOn(machine, 'krmkit', ['--version']);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(new RegExp(`^${release.version} \\(commit ${gitHead}(-dirty)?\\)$`));
  });

  it('gives the Node bundle’s bytes, messages and exit code on every golden fixture and corpus', () => {
    const machine = machineWithExecutable();
    const cases = fidelityCases();
    expect(cases.filter((entry) => entry.name.startsWith('fixtures/')).length).toBeGreaterThan(30);
    expect(cases.filter((entry) => entry.name.includes('.yaml | run')).length).toBeGreaterThanOrEqual(10);
    const mismatches: string[] = [];
    let changed = 0;
    for (const entry of cases) {
      const node = runCli(entry.args, entry.input);
      const single = runOn(machine, 'krmkit', entry.args, { input: entry.input });
      if (node.stdout !== entry.input) changed++;
      if (single.stdout !== node.stdout || single.stderr !== node.stderr || single.status !== node.status) {
        mismatches.push(`${entry.name}: exit ${single.status} vs ${node.status}${single.stdout !== node.stdout ? ', stdout differs' : ''}${single.stderr !== node.stderr ? `, stderr differs:\n${single.stderr}\nvs\n${node.stderr}` : ''}`);
      }
    }
    expect(changed, 'most cases change their input').toBeGreaterThan(cases.length / 2);
    expect(mismatches).toEqual([]);
  });

  it('fails closed like the bundle: bad input gives a located error, exit 2 and nothing on stdout', () => {
    const machine = machineWithExecutable();
    const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: [not, a, map]\n';
    const single = runOn(machine, 'krmkit', ['run', join(overlayDir('prod'), 'pipeline.yaml')], { input: bad });
    expect(single.status).toBe(2);
    expect(single.stdout).toBe('');
    expect(single.stderr).toMatch(/Deployment/);
  });

  it('runs as a kustomize exec transformer', async () => {
    const machine = machineWithExecutable();
    const build = (path: string) => {
      const dir = tempDir();
      writeFileSync(join(dir, 'manifests.yaml'), rendered);
      writeFileSync(join(dir, 'krmkit.yaml'), readFileSync(join(overlayDir('prod'), 'kustomize', 'krmkit.yaml'), 'utf8').replace('path: ../../bin/krmkit', `path: ${path}`));
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - manifests.yaml\ntransformers:\n  - krmkit.yaml\n');
      return dir;
    };
    const single = runOn(machine, toolPath('kustomize'), ['build', '--enable-alpha-plugins', '--enable-exec', build(release.executable('linux-x64'))]);
    const node = await run(toolPath('kustomize'), ['build', '--enable-alpha-plugins', '--enable-exec', build(FUNCTION_WRAPPER)], { cwd: tmpdir() });
    expect(node.status, node.stderr).toBe(0);
    expect(single.status, single.stderr).toBe(0);
    expect(node.stdout).toContain('kind: NetworkPolicy');
    expect(single.stdout).toBe(node.stdout);
  });

  it('runs under `kpt fn eval --exec`', async () => {
    // kpt itself insists on git (not krmkit).
    const git = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const machine = machineWithExecutable({ git });
    const pkg = () => {
      const dir = join(tempDir(), 'package');
      mkdirSync(dir);
      writeFileSync(join(dir, 'manifests.yaml'), rendered);
      return dir;
    };
    const fnConfig = join(overlayDir('prod'), 'kpt', 'krmkit.yaml');
    const single = runOn(machine, toolPath('kpt'), ['fn', 'eval', pkg(), '--exec', release.executable('linux-x64'), '--fn-config', fnConfig, '-o', 'unwrap']);
    const node = await run(toolPath('kpt'), ['fn', 'eval', pkg(), '--exec', FUNCTION_WRAPPER, '--fn-config', fnConfig, '-o', 'unwrap'], { cwd: tmpdir() });
    expect(node.status, node.stderr).toBe(0);
    expect(single.status, single.stderr).toBe(0);
    expect(node.stdout).toContain('kind: NetworkPolicy');
    expect(single.stdout).toBe(node.stdout);
  });
});

describe('the Helm plugin package', () => {
  let machine: CleanMachine;
  let installed: string;

  beforeAll(() => {
    machine = machineWithExecutable();
    const install = runOn(machine, toolPath('helm4'), ['plugin', 'install', release.pluginPackage, '--keyring', release.key.publicKeyring]);
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout + install.stderr).toMatch(/Plugin Hash Verified/);
    installed = join(machine.plugins, 'krmkit');
  });

  it('is signed: `helm plugin list` says so, and another key or a changed package is refused', () => {
    const list = runOn(machine, toolPath('helm4'), ['plugin', 'list']);
    expect(list.stdout).toMatch(/^krmkit\s+\S+\s+postrenderer\/v1\s+v1\s+signed/m);

    const other = cleanMachine();
    const wrongKey = runOn(other, toolPath('helm4'), ['plugin', 'install', release.pluginPackage, '--keyring', join(other.home, 'empty.gpg')]);
    expect(wrongKey.status).not.toBe(0);

    const tampered = join(tempDir(), `krmkit-${release.version}.tgz`);
    const bytes = readFileSync(release.pluginPackage);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    writeFileSync(tampered, bytes);
    cpSync(`${release.pluginPackage}.prov`, `${tampered}.prov`);
    const changed = runOn(cleanMachine(), toolPath('helm4'), ['plugin', 'install', tampered, '--keyring', release.key.publicKeyring]);
    expect(changed.status).not.toBe(0);
    expect(changed.stderr).toMatch(/sha256|hash|verif/i);
  });

  it('holds plugin.yaml without a sourceURL, executables for both architectures, the overlays and the Helm 3 script', () => {
    const manifest = readFileSync(join(installed, 'plugin.yaml'), 'utf8');
    expect(manifest).not.toMatch(/^sourceURL:/m);
    expect(manifest).toMatch(/arch: amd64/);
    expect(manifest).toMatch(/arch: arm64/);
    for (const file of ['bin/krmkit-linux-amd64', 'bin/krmkit-linux-arm64', 'overlays/prod/pipeline.yaml', 'overlays/dev/pipeline.yaml', 'schemas/pipeline.schema.json', 'postrender']) {
      expect(() => readFileSync(join(installed, file)), file).not.toThrow();
    }
  });

  it('post-renders with Helm 4 from the package alone, with no node on the machine', () => {
    const result = runOn(machine, toolPath('helm4'), ['template', 'demo', CHART, '--post-renderer', 'krmkit', '--post-renderer-args=--overlay=prod']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('kind: NetworkPolicy');
    expect(result.stdout).toContain('runAsNonRoot: true');
    // The same bytes as the repository's own plugin (run by Node) gives.
    const withNode = cleanMachine({ node: process.execPath });
    const install = runOn(withNode, toolPath('helm4'), ['plugin', 'install', join(REPO_ROOT, 'postrender')]);
    expect(install.status, install.stderr).toBe(0);
    const reference = runOn(withNode, toolPath('helm4'), ['template', 'demo', CHART, '--post-renderer', 'krmkit', '--post-renderer-args=--overlay=prod']);
    expect(reference.status, reference.stderr).toBe(0);
    expect(result.stdout).toBe(reference.stdout);
  });

  it('serves Helm 3 as a --post-renderer path: the package’s script, and the executable itself', async () => {
    const helm3Home = cleanMachine();
    const viaRepo = await run(toolPath('helm3'), ['template', 'demo', CHART, '--post-renderer', join(REPO_ROOT, 'postrender', 'postrender'), '--post-renderer-args=--overlay=prod'], { cwd: tmpdir() });
    expect(viaRepo.status, viaRepo.stderr).toBe(0);
    expect(viaRepo.stdout).toContain('kind: NetworkPolicy');
    const env = { ...helm3Home.env, PATH: machine.env.PATH as string };
    const script = runOn(helm3Home, toolPath('helm3'), ['template', 'demo', CHART, '--post-renderer', join(installed, 'postrender'), '--post-renderer-args=--overlay=prod'], { env });
    expect(script.status, script.stderr).toBe(0);
    expect(script.stdout).toBe(viaRepo.stdout);
    const direct = runOn(helm3Home, toolPath('helm3'), ['template', 'demo', CHART, '--post-renderer', join(installed, 'bin', 'krmkit-linux-amd64'), '--post-renderer-args=postrender', '--post-renderer-args=--overlay=prod'], { env });
    expect(direct.status, direct.stderr).toBe(0);
    expect(direct.stdout).toBe(viaRepo.stdout);
  });
});

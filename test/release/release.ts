import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { toolPath } from '../integration/tools.js';

/**
 * The artifacts of `npm run release`, built once per test file into a temporary folder
 * (never the repository's release/), their Helm plugin package signed by a throwaway key.
 */
export interface Release {
  dir: string;
  version: string;
  npmPackage: string;
  executable: (platform: 'linux-x64' | 'linux-arm64') => string;
  pluginPackage: string;
  key: SigningKey;
}

export interface SigningKey {
  name: string;
  /** What `helm plugin package --keyring` signs with. */
  secretKeyring: string;
  /** What `helm plugin install --keyring` verifies with. */
  publicKeyring: string;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** An RSA signing key made for this run only, exported as the keyrings Helm reads. */
export function throwawayKey(): SigningKey {
  const dir = mkdtempSync(join(tmpdir(), 'krmkit-gpg-'));
  const home = join(dir, 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  const name = 'krmkit release test <release-test@krmkit.invalid>';
  const gpg = (args: string[]): Buffer => execFileSync('gpg', ['--homedir', home, '--batch', '--yes', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  gpg(['--passphrase', '', '--quick-gen-key', name, 'rsa2048', 'sign', 'never']);
  const key = { name, secretKeyring: join(dir, 'secring.gpg'), publicKeyring: join(dir, 'pubring.gpg') };
  gpg(['--output', key.secretKeyring, '--export-secret-keys']);
  gpg(['--output', key.publicKeyring, '--export']);
  return key;
}

/**
 * Runs scripts/release.mjs on the dist/ `npm test` built (rebuilding it would pull it away
 * from the test files running it meanwhile), without the container image: test/container
 * builds and runs that.
 */
export function buildRelease(): Release {
  const dir = join(mkdtempSync(join(tmpdir(), 'krmkit-release-')), 'release');
  const key = throwawayKey();
  execFileSync(process.execPath, ['scripts/release.mjs', '--out', dir, '--no-image', '--no-build', '--sign-key', key.name, '--keyring', key.secretKeyring], {
    cwd: REPO_ROOT,
    env: { ...process.env, KRMKIT_HELM4: toolPath('helm4') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const version = packageVersion();
  return {
    dir,
    version,
    npmPackage: join(dir, 'npm', `krmkit-${version}.tgz`),
    executable: (platform) => join(dir, 'bin', `krmkit-${version}-${platform}`),
    pluginPackage: join(dir, 'helm-plugin', `krmkit-${version}.tgz`),
    key,
  };
}

/**
 * A machine as a user's CI runner might be: an empty HOME, Helm's folders inside it, and
 * a PATH of only the given programs (plus sh and uname) — no node, no npm, no repository.
 */
export interface CleanMachine {
  home: string;
  /** HELM_PLUGINS: where `helm plugin install` puts plugins. */
  plugins: string;
  env: Record<string, string>;
}

const BASIC_PROGRAMS = ['sh', 'uname', 'readlink', 'cat'];

export function cleanMachine(programs: Record<string, string> = {}): CleanMachine {
  const root = mkdtempSync(join(tmpdir(), 'krmkit-clean-'));
  const home = join(root, 'home');
  const bin = join(root, 'bin');
  mkdirSync(home);
  mkdirSync(bin);
  for (const name of BASIC_PROGRAMS) {
    const path = ['/bin', '/usr/bin'].map((dir) => join(dir, name)).find((candidate) => existsSync(candidate));
    if (!path) throw new Error(`${name} not found in /bin or /usr/bin`);
    symlinkSync(path, join(bin, name));
  }
  for (const [name, path] of Object.entries(programs)) symlinkSync(path, join(bin, name));
  const plugins = join(home, '.local', 'share', 'helm', 'plugins');
  return {
    home,
    plugins,
    env: {
      HOME: home,
      PATH: bin,
      HELM_DATA_HOME: join(home, '.local', 'share', 'helm'),
      HELM_CONFIG_HOME: join(home, '.config', 'helm'),
      HELM_CACHE_HOME: join(home, '.cache', 'helm'),
      HELM_PLUGINS: plugins,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
    },
  };
}

export interface MachineRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a program on the clean machine: its environment only, nothing inherited. */
export function runOn(machine: CleanMachine, command: string, args: readonly string[], options: { input?: string; cwd?: string; env?: Record<string, string> } = {}): MachineRun {
  const result = spawnSync(command, args, {
    input: options.input ?? '',
    cwd: options.cwd ?? machine.home,
    env: { ...machine.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Named overlays are found in every install layout (cli/install-layout.ts): beside the
 * bundle (checkout, npm package) and beside a single executable (the Helm plugin package),
 * also through a symlink, as `helm plugin install` may make.
 */
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installedOverlaysDir } from '../../cli/install-layout.js';
import { REPO_ROOT } from '../helpers/cli.js';

/** A plugin package's folder: bin/krmkit-linux-amd64 beside overlays/prod/pipeline.yaml. */
function pluginFolder(): { root: string; executable: string } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'krmkit-layout-')));
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'overlays', 'prod'), { recursive: true });
  writeFileSync(join(root, 'overlays', 'prod', 'pipeline.yaml'), 'kind: Pipeline\n');
  const executable = join(root, 'bin', 'krmkit-linux-amd64');
  writeFileSync(executable, '');
  return { root, executable };
}

/** Where a compiled executable's bundle claims to be: a folder that exists only inside it. */
const INSIDE_EXECUTABLE = pathToFileURL('/$bunfs/root/krmkit').href;

describe('finding the named overlays', () => {
  it('beside the bundle in a checkout or the npm package', () => {
    expect(installedOverlaysDir(pathToFileURL(join(REPO_ROOT, 'dist', 'krmkit.bundle.cjs')).href, process.execPath)).toBe(join(REPO_ROOT, 'overlays'));
  });

  it('beside a single executable, also when reached through a symlinked folder', () => {
    const { root, executable } = pluginFolder();
    expect(installedOverlaysDir(INSIDE_EXECUTABLE, executable)).toBe(join(root, 'overlays'));
    const link = join(realpathSync(mkdtempSync(join(tmpdir(), 'krmkit-layout-link-'))), 'krmkit');
    symlinkSync(root, link);
    expect(installedOverlaysDir(INSIDE_EXECUTABLE, join(link, 'bin', 'krmkit-linux-amd64'))).toBe(join(root, 'overlays'));
  });

  it('names a real folder, not the inside of the executable, when there are none', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'krmkit-layout-none-')));
    writeFileSync(join(root, 'krmkit'), '');
    expect(installedOverlaysDir(INSIDE_EXECUTABLE, join(root, 'krmkit'))).toBe(join(root, '..', 'overlays'));
  });
});

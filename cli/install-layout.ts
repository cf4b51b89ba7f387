import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the named overlays (`--overlay=prod`) live in each way krmkit is installed:
 *
 * - a checkout or the npm package: `overlays/` one folder above the bundle
 *   (dist/krmkit.cjs) or the sources (cli/install-layout.ts);
 * - a single executable (the Helm plugin package: `bin/krmkit-linux-amd64` beside
 *   `overlays/`): the bundle then lives inside the executable, in a folder that exists only
 *   there, so the overlays are found from the executable's real path (Helm 4 may link the
 *   plugin folder).
 */
export function overlaysDirs(bundleUrl: string = import.meta.url, executable: string = process.execPath): string[] {
  const dirs: string[] = [];
  if (bundleUrl.startsWith('file:')) {
    const bundleDir = dirname(fileURLToPath(bundleUrl));
    if (existsSync(bundleDir)) dirs.push(join(bundleDir, '..', 'overlays'));
  }
  try {
    const binDir = dirname(realpathSync(executable));
    dirs.push(join(binDir, '..', 'overlays'), join(binDir, 'overlays'));
  } catch {
    // No executable to look beside (deleted while running): only the bundle's folder.
  }
  return dirs;
}

/** The first folder of overlaysDirs() that exists; else the first looked at, for the error message. */
export function installedOverlaysDir(bundleUrl?: string, executable?: string): string {
  const candidates = overlaysDirs(bundleUrl, executable);
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0] ?? 'overlays';
}

import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the named overlays (`--overlay=prod`) live in each way krmkit is installed:
 *
 * - a checkout or the npm package: `overlays/` one folder above the bundle
 *   (dist/krmkit.cjs) or the sources (cli/postrender.ts);
 * - a single executable (the Helm plugin package: `bin/krmkit-linux-amd64` beside
 *   `overlays/`): the bundle then lives inside the executable and has no folder of its own,
 *   so the overlays are found from the executable's real path (Helm 4 may link the plugin).
 *
 * The first folder that exists wins; without any, the bundle's own is returned so the
 * error message names where krmkit looked.
 */
export function overlaysDirs(bundleUrl: string = import.meta.url, executable: string = process.execPath): string[] {
  const nearBundle = bundleUrl.startsWith('file:') ? [fileURLToPath(new URL('../overlays', bundleUrl))] : [];
  let nearExecutable: string[] = [];
  try {
    const binDir = dirname(realpathSync(executable));
    nearExecutable = [join(binDir, '..', 'overlays'), join(binDir, 'overlays')];
  } catch {
    // No executable to look beside (it was deleted while running): the bundle's folder only.
  }
  return [...nearBundle, ...nearExecutable];
}

export function installedOverlaysDir(bundleUrl?: string, executable?: string): string {
  const candidates = overlaysDirs(bundleUrl, executable);
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0] ?? 'overlays';
}

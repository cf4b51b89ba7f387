import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { KrmInputError } from '../../krm/base/errors.js';
import { didYouMean } from '../../krm/base/messages.js';
import { installedOverlaysDir } from '../install-layout.js';

/** Where the named overlays are: next to dist/ and cli/ in a checkout or the npm package, next to bin/ in the Helm plugin package. */
export function defaultOverlaysDir(): string {
  return installedOverlaysDir();
}

/**
 * The pipeline file an `--overlay` value names. A bare name is one of the repository's
 * overlays, found relative to krmkit itself, so Helm may run from any folder; anything that
 * looks like a path is taken relative to the working directory (or as given, if absolute).
 */
export function overlayPipelinePath(overlay: string, cwd: string = process.cwd(), overlaysDir: string = defaultOverlaysDir()): string {
  const looksLikePath = isAbsolute(overlay) || overlay.includes('/') || overlay.includes('\\') || overlay.startsWith('.') || /\.ya?ml$/.test(overlay);
  if (!looksLikePath) {
    const file = join(overlaysDir, overlay, 'pipeline.yaml');
    if (existsSync(file)) return file;
    const known = listOverlays(overlaysDir);
    throw new KrmInputError(
      `no overlay named ${JSON.stringify(overlay)} in ${overlaysDir}` +
        didYouMean(overlay, known, known.length > 0 ? ` (overlays: ${known.join(', ')})` : '') +
        '; give a folder or pipeline file as a path (./my-overlay) to use your own',
    );
  }
  const path = resolve(cwd, overlay);
  if (!existsSync(path)) throw new KrmInputError(`overlay ${JSON.stringify(overlay)} not found (looked for ${path})`);
  return statSync(path).isDirectory() ? join(path, 'pipeline.yaml') : path;
}

function listOverlays(overlaysDir: string): string[] {
  try {
    return readdirSync(overlaysDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(overlaysDir, entry.name, 'pipeline.yaml')))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

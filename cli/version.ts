declare const KRMKIT_VERSION: string | undefined;
declare const KRMKIT_COMMIT: string | undefined;

/** Set by the esbuild bundle from package.json; tests running the sources see the dev marker. */
export const VERSION: string = typeof KRMKIT_VERSION === 'string' ? KRMKIT_VERSION : '0.0.0-dev';

/**
 * The git commit the bundle was built from (`-dirty` when the tree had uncommitted changes),
 * so a bug report from an installed artifact names the exact source. `unknown` when built
 * outside a git checkout (e.g. inside the container build).
 */
export const COMMIT: string = typeof KRMKIT_COMMIT === 'string' ? KRMKIT_COMMIT : 'unknown';

/** What `krmkit --version` prints. */
export const VERSION_LINE = `${VERSION} (commit ${COMMIT})`;

declare const KRMKIT_VERSION: string | undefined;

/** Set by the esbuild bundle from package.json; tests running the sources see the dev marker. */
export const VERSION: string = typeof KRMKIT_VERSION === 'string' ? KRMKIT_VERSION : '0.0.0-dev';

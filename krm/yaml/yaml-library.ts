import { createRequire } from 'node:module';

type YamlLibrary = typeof import('yaml');

let loaded: YamlLibrary | undefined;

/**
 * The `yaml` library, evaluated on first use instead of at start-up. Most runs never need
 * it: documents nobody edits are copied, edited ones are spliced (splice-edits.ts), and only
 * a re-print, a document with anchors or an object the block writer cannot print uses it.
 * Evaluating it costs ~3 ms of a ~65 ms post-renderer run of the single executable.
 * In the bundle (CommonJS) esbuild bundles the `require` and keeps the library behind a
 * lazy initialiser; from the sources (ES modules: tests, tsc) Node's `createRequire` loads
 * the same file `import 'yaml'` does (its `node` export, dist/index.js).
 */
export function yamlLibrary(): YamlLibrary {
  // A lazy `require` is the point here: an `import` would evaluate the library at start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= typeof require === 'function' ? (require('yaml') as YamlLibrary) : (createRequire(import.meta.url)('yaml') as YamlLibrary);
  return loaded;
}

import { KrmConfigError } from '../../krm/base/errors.js';
import * as v from 'valibot';
import type { CommonOptionDocs } from '../../krm/function/function.js';
import type { OptionsOf } from '../../krm/function/options.js';
import { parseIgnorePattern, type IgnorePattern } from './ignore-patterns.js';

/**
 * How a workload learns that its configuration changed:
 * - `auto`: Stakater Reloader watches everything the workload references;
 * - `explicit`: Reloader watches the objects krmkit names on the workload;
 * - `checksum`: no controller; the pod template carries a hash of each object, so the
 *   rollout `kubectl apply`/`helm upgrade` does anyway restarts the pods when content changes.
 */
export const RELOAD_MODES = ['auto', 'explicit', 'checksum'] as const;
export type ReloadMode = (typeof RELOAD_MODES)[number];

export interface ReloaderConfig {
  mode: ReloadMode;
  /** Only objects present in the stream may trigger a reload (checksum mode implies it). */
  onlyInStream: boolean;
  /** Referenced objects that must never trigger a reload. */
  ignore: IgnorePattern[];
}

export const FUNCTION_NAME = 'reloader';

export const reloaderOptions = v.strictObject({
  mode: v.optional(
    v.pipe(
      v.picklist(RELOAD_MODES),
      v.description('auto: reloader.stakater.com/auto; explicit: name each ConfigMap/Secret in Reloader annotations; checksum: a sha256 of each one on the pod template, no controller needed.'),
      v.metadata({ readme: 'What to write (above).' }),
    ),
    'auto',
  ),
  onlyInStream: v.optional(
    v.pipe(
      v.boolean(),
      v.description('Only ConfigMaps/Secrets present in the stream trigger reloads; references to others are left out (auto: excluded).'),
      v.metadata({
        readme:
          'Only ConfigMaps/Secrets present in the stream trigger reloads. `explicit`: others are not named; `auto`: others are named in the exclude annotations, and a workload using only such objects is not annotated; `checksum`: silences the warning for references outside the stream.',
      }),
    ),
    false,
  ),
  ignore: v.optional(
    v.pipe(
      v.array(v.string()),
      v.description('Names that never trigger a reload: anchored regular expressions, optionally prefixed with ConfigMap/ or Secret/ (e.g. Secret/.*-tls).'),
      v.metadata({
        shape: 'list of patterns',
        readme:
          'Objects that never trigger a reload. Each pattern is a regular expression anchored at both ends — the rule `select.name` uses — so `app-config` means exactly that name and `.*-tls` every name ending in `-tls`. Prefix `ConfigMap/` or `Secret/` to limit a pattern to one kind: `Secret/.*-tls`.',
      }),
    ),
    () => [],
  ),
});

export const reloaderCommonOptionDocs: CommonOptionDocs = {
  select: 'Which workloads to annotate: `group`, `version`, `kind`, `name` (regex, anchored), `namespace`, `labelSelector`, `annotationSelector`.',
  podTemplateKinds: 'Extra kinds embedding a pod template; `checksum` mode annotates them.',
};

export function parseReloaderConfig(options: OptionsOf<typeof reloaderOptions>): ReloaderConfig {
  return {
    mode: options.mode,
    onlyInStream: options.onlyInStream,
    ignore: options.ignore.map((pattern, index) => {
      try {
        return parseIgnorePattern(pattern);
      } catch (error) {
        throw new KrmConfigError(FUNCTION_NAME, (error as Error).message, ['ignore', index]);
      }
    }),
  };
}

import { KrmConfigError } from '../../krm/base/errors.js';
import type { OptionSpecs } from '../../krm/function/options.js';
import { parseIgnorePattern, type IgnorePattern } from './ignore-patterns.js';

/**
 * How a workload learns that its configuration changed:
 * - `auto`: Stakater Reloader watches everything the workload references;
 * - `explicit`: Reloader watches the objects krmkit names on the workload;
 * - `checksum`: no controller; the pod template carries a hash of each object, so the
 *   rollout `kubectl apply`/`helm upgrade` does anyway restarts the pods when content changes.
 */
export type ReloadMode = 'auto' | 'explicit' | 'checksum';

export interface ReloaderConfig {
  mode: ReloadMode;
  /** Only objects present in the stream may trigger a reload (checksum mode implies it). */
  onlyInStream: boolean;
  /** Referenced objects that must never trigger a reload. */
  ignore: IgnorePattern[];
}

export const FUNCTION_NAME = 'reloader';

export const reloaderOptions: OptionSpecs = {
  mode: {
    type: 'string',
    enum: ['auto', 'explicit', 'checksum'],
    default: 'auto',
    description: 'auto: reloader.stakater.com/auto; explicit: name each ConfigMap/Secret in Reloader annotations; checksum: a sha256 of each one on the pod template, no controller needed.',
  },
  onlyInStream: {
    type: 'boolean',
    default: 'false',
    description: 'Only ConfigMaps/Secrets present in the stream trigger reloads; references to others are left out (auto: excluded).',
  },
  ignore: {
    type: 'stringList',
    description: 'Names that never trigger a reload: anchored regular expressions, optionally prefixed with ConfigMap/ or Secret/ (e.g. Secret/.*-tls).',
  },
};

export function parseReloaderConfig(options: Record<string, unknown>): ReloaderConfig {
  const ignore = (options.ignore as string[] | undefined) ?? [];
  return {
    mode: (options.mode as ReloadMode | undefined) ?? 'auto',
    onlyInStream: (options.onlyInStream as boolean | undefined) ?? false,
    ignore: ignore.map((pattern, index) => {
      try {
        return parseIgnorePattern(pattern);
      } catch (error) {
        throw new KrmConfigError(FUNCTION_NAME, (error as Error).message, ['ignore', index]);
      }
    }),
  };
}

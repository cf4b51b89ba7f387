import { KrmConfigError } from '../../krm/base/errors.js';
import * as v from 'valibot';
import type { CommonOptionDocs } from '../../krm/function/function.js';
import type { OptionsOf } from '../../krm/function/options.js';

export const FUNCTION_NAME = 'pod-security-labels';

/** The Pod Security Standards levels, from least to most strict. */
export const LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type Level = (typeof LEVELS)[number];

/** What Pod Security admission does at a level: reject pods, annotate the audit log, or warn the client. */
export const MODES = ['enforce', 'audit', 'warn'] as const;
export type Mode = (typeof MODES)[number];

export interface PodSecurityLabelsConfig {
  /** Undefined: take the profile of the pipeline's security-context step. */
  profile?: Level;
  modes: Mode[];
  /** The `-version` label: `latest` or a Kubernetes minor version such as `v1.31`. */
  version: string;
}

export const DEFAULT_VERSION = 'latest';

export const podSecurityLabelsOptions = v.strictObject({
  profile: v.optional(
    v.pipe(
      v.picklist(LEVELS),
      v.description("Level to label namespaces with. Default: the profile of the pipeline's security-context step (a run without one must set it)."),
      v.metadata({ defaultText: "the security-context step's", readme: 'The level to label with.' }),
    ),
  ),
  modes: v.optional(
    v.pipe(
      v.array(v.picklist(MODES)),
      v.description('Which labels to set: enforce (reject pods), audit (audit log), warn (warn the client).'),
      v.metadata({ defaultText: 'all three', readme: 'Which labels to set. `[audit, warn]` reports without rejecting pods (the dev overlay).' }),
    ),
    () => [...MODES],
  ),
  version: v.optional(
    v.pipe(
      v.string(),
      v.description('Value of the -version labels: latest, or a Kubernetes minor version such as v1.31.'),
      v.metadata({ shape: '`latest` or `v1.<minor>`', readme: 'Value of the `-version` labels it sets: the Kubernetes version whose definition of the level applies.' }),
    ),
    DEFAULT_VERSION,
  ),
});

export const podSecurityLabelsCommonOptionDocs: CommonOptionDocs = {
  select: 'Which Namespaces to label.',
  podTemplateKinds: 'Accepted like every function; not used (it labels Namespaces, not pods).',
};

export function parsePodSecurityLabelsConfig(options: OptionsOf<typeof podSecurityLabelsOptions>): PodSecurityLabelsConfig {
  if (options.modes.length === 0) throw new KrmConfigError(FUNCTION_NAME, `expected at least one of ${MODES.join(', ')}`, ['modes']);
  const { version } = options;
  if (version !== 'latest' && !/^v1\.\d+$/.test(version)) throw new KrmConfigError(FUNCTION_NAME, `expected latest or a version such as v1.31, got ${JSON.stringify(version)}`, ['version']);
  const config: PodSecurityLabelsConfig = { modes: [...new Set(options.modes)], version };
  if (options.profile !== undefined) config.profile = options.profile;
  return config;
}

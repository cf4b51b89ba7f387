import { KrmConfigError } from '../../krm/base/errors.js';
import type { OptionSpecs } from '../../krm/function/options.js';
import { nearest } from '../../krm/base/messages.js';

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

export const podSecurityLabelsOptions: OptionSpecs = {
  profile: {
    type: 'string',
    enum: LEVELS,
    description: "Level to label namespaces with. Default: the profile of the pipeline's security-context step (a run without one must set it).",
  },
  modes: { type: 'stringList', default: MODES.join(','), description: 'Which labels to set: enforce (reject pods), audit (audit log), warn (warn the client).' },
  version: { type: 'string', default: DEFAULT_VERSION, description: 'Value of the -version labels: latest, or a Kubernetes minor version such as v1.31.' },
};

export function parsePodSecurityLabelsConfig(options: Record<string, unknown>): PodSecurityLabelsConfig {
  const modes = ((options.modes as string[] | undefined) ?? [...MODES]).map((mode, index) => {
    if ((MODES as readonly string[]).includes(mode)) return mode as Mode;
    const suggestion = nearest(mode, MODES);
    throw new KrmConfigError(FUNCTION_NAME, `${JSON.stringify(mode)} is not one of ${MODES.join(', ')}${suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : ''}`, ['modes', index]);
  });
  if (modes.length === 0) throw new KrmConfigError(FUNCTION_NAME, `expected at least one of ${MODES.join(', ')}`, ['modes']);
  const version = (options.version as string | undefined) ?? DEFAULT_VERSION;
  if (version !== 'latest' && !/^v1\.\d+$/.test(version)) throw new KrmConfigError(FUNCTION_NAME, `expected latest or a version such as v1.31, got ${JSON.stringify(version)}`, ['version']);
  const config: PodSecurityLabelsConfig = { modes: [...new Set(modes)], version };
  if (options.profile !== undefined) config.profile = options.profile as Level;
  return config;
}

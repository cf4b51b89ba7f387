import type { OptionSpecs } from '../../krm/function/options.js';

export type Profile = 'restricted' | 'baseline';
export type Mode = 'fill' | 'enforce' | 'audit';

export interface SecurityContextConfig {
  profile: Profile;
  mode: Mode;
  auditSeverity: 'error' | 'warning';
  /** Pod-level IDs; for `restricted`, unset ones default to NON_ROOT_ID. */
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  writableTmp: boolean;
  skipContainers: string[];
}

/**
 * The UID/GID `restricted` uses when none is configured: 65532 is the `nonroot` user of
 * distroless and Chainguard images, is not 0, and is outside the ranges distributions
 * allocate to system and login users, so it owns nothing in a typical image by accident.
 */
export const NON_ROOT_ID = 65532;

export const securityContextOptions: OptionSpecs = {
  profile: { type: 'string', enum: ['restricted', 'baseline'], default: 'restricted', description: 'Pod Security Standard to satisfy.' },
  mode: { type: 'string', enum: ['fill', 'enforce', 'audit'], default: 'fill', description: 'fill: set only absent fields; enforce: overwrite non-compliant values and set configured ones; audit: change nothing, report violations.' },
  auditSeverity: { type: 'string', enum: ['error', 'warning'], default: 'warning', description: 'Severity of the results audit mode reports.' },
  runAsUser: { type: 'integer', minimum: 0, description: `Pod-level runAsUser (restricted default: ${NON_ROOT_ID}).` },
  runAsGroup: { type: 'integer', minimum: 0, description: `Pod-level runAsGroup (restricted default: ${NON_ROOT_ID}).` },
  fsGroup: { type: 'integer', minimum: 0, description: `Pod-level fsGroup (restricted default: ${NON_ROOT_ID}).` },
  readOnlyRootFilesystem: { type: 'boolean', description: 'Set readOnlyRootFilesystem on every container.' },
  writableTmp: { type: 'boolean', default: 'false', description: 'Mount an emptyDir at /tmp in containers with a read-only root filesystem and nothing at /tmp.' },
  skipContainers: { type: 'stringList', description: 'Container names to leave alone.' },
};

export function parseSecurityContextConfig(options: Record<string, unknown>): SecurityContextConfig {
  const config: SecurityContextConfig = {
    profile: (options.profile as Profile | undefined) ?? 'restricted',
    mode: (options.mode as Mode | undefined) ?? 'fill',
    auditSeverity: (options.auditSeverity as 'error' | 'warning' | undefined) ?? 'warning',
    writableTmp: (options.writableTmp as boolean | undefined) ?? false,
    skipContainers: (options.skipContainers as string[] | undefined) ?? [],
  };
  for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    if (typeof options[key] === 'number') config[key] = options[key] as number;
  }
  if (typeof options.readOnlyRootFilesystem === 'boolean') config.readOnlyRootFilesystem = options.readOnlyRootFilesystem;
  return config;
}
